#include "services/intake/domain/progress.h"

#include "services/intake/domain/validation.h"

namespace pmo::intake::domain {

absl::StatusOr<ProgressOutcome> ApplyProgress(Initiative& initiative, const ProgressReport& report,
                                              std::string_view currency) {
  return ApplyProgress(initiative.latest_progress, initiative.version, report, currency);
}

absl::StatusOr<ProgressOutcome> ApplyProgress(std::optional<ProgressReport>& latest, int64_t& version,
                                              const ProgressReport& report, std::string_view currency) {
  if (auto s = ValidateProgressReport(report, currency); !s.ok()) return s;
  if (const auto& held = latest) {
    if (report.as_of < held->as_of) return ProgressOutcome{false, "a report with a later as_of is already held"};
    if (report == *held) return ProgressOutcome{false, "the same report is already held"};
  }
  latest = report;
  ++version;
  return ProgressOutcome{true, {}};
}

}  // namespace pmo::intake::domain
