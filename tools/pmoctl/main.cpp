// pmoctl: the command-line client of the strategic PMO suite's five services.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include "cli.h"

namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<bool> g_watching{false};

// A watching command (events tail, status --wait) finishes its output and exits 0 on
// Ctrl-C or SIGTERM; anything else ends at once, as a signal would end it.
extern "C" void OnSignal(int sig) {
  if (g_watching.load()) {
    g_interrupted.store(true);
    return;
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::vector<std::string> args(argv, argv + argc);
  pmo::ctl::Environment env{.stdout_is_tty = isatty(STDOUT_FILENO) == 1,
                            .interrupted = &g_interrupted,
                            .watch_interrupts = [] { g_watching.store(true); }};
  return pmo::ctl::Run(args, std::cout, std::cerr, env);
}
