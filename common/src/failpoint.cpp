#include "pmo/common/failpoint.h"

#include <unistd.h>

#include <cstdlib>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "pmo/common/log.h"

namespace pmo {
namespace {
const std::set<std::string, std::less<>>& Armed() {
  static const std::set<std::string, std::less<>> armed = [] {
    std::set<std::string, std::less<>> s;
    if (const char* env = std::getenv("PMO_FAILPOINTS"))
      for (auto part : absl::StrSplit(env, ',', absl::SkipWhitespace()))
        s.emplace(absl::StripAsciiWhitespace(part));  // "a, b" arms "b" too
    return s;
  }();
  return armed;
}
}  // namespace

bool FailpointArmed(std::string_view name) { return !Armed().empty() && Armed().contains(name); }

void CrashAtFailpoint(std::string_view name) {
  if (!FailpointArmed(name)) return;
  log::Warn("failpoint reached, exiting", {{"failpoint", name}, {"exit_code", kFailpointExitCode}});
  spdlog::default_logger_raw()->flush();
  _exit(kFailpointExitCode);
}

}  // namespace pmo
