// pmoctl's command line: the CLI11 application built from the command table, and the
// run of one invocation (parse, build the request, call, render) with its exit code.
#pragma once

#include <atomic>
#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pmo::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the call failed, a service is not serving, ...
inline constexpr int kExitUsage = 2;   // the command line or an input file is wrong

struct Environment {
  bool stdout_is_tty = false;  // picks the default output format (table on a terminal, json otherwise)
  const std::atomic<bool>* interrupted = nullptr;  // set by SIGINT/SIGTERM; ends events tail and status --wait
  // Called before a command that ends cleanly on `interrupted` (events tail, status
  // --wait); any other command is simply killed by the signal.
  void (*watch_interrupts)() = nullptr;
};

// Runs one invocation; `args` includes the program name. Output on `out`, diagnostics on `err`.
int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Environment& env);

// "10s", "500ms", "2m", "1h", "1.5s"; a bare number is seconds.
absl::StatusOr<std::chrono::milliseconds> ParseDuration(const std::string& text);

}  // namespace pmo::ctl
