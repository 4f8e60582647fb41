// pmoctl: the command-line client of the strategic PMO suite's five services.
#include <unistd.h>

#include <csignal>
#include <iostream>

#include "cli.h"

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void OnSignal(int) { g_interrupted.store(true); }
}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::vector<std::string> args(argv, argv + argc);
  pmo::ctl::Environment env{.stdout_is_tty = isatty(STDOUT_FILENO) == 1, .interrupted = &g_interrupted};
  return pmo::ctl::Run(args, std::cout, std::cerr, env);
}
