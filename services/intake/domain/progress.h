// Applies progress reports (from ReportProgress or the ingest topic) to an initiative,
// keeping only the newest report by as_of so redelivered or late reports cannot regress it.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "services/intake/domain/model.h"

namespace pmo::intake::domain {

struct ProgressOutcome {
  bool applied = false;
  // Why a valid report was not applied: older than the one held, or identical to it.
  std::string_view ignored_because;
};

// Validates the report (INVALID_ARGUMENT with every violation; `currency` is the
// portfolio's), then makes it the latest unless one with a later as_of is already held.
// A report with the same as_of replaces the held one (a same-day correction) unless it
// is identical, which keeps redelivery a no-op. Bumps the version when applied.
absl::StatusOr<ProgressOutcome> ApplyProgress(Initiative& initiative, const ProgressReport& report,
                                              std::string_view currency);

// The same rule on the only parts of an initiative a report changes, its latest report
// and its version, for callers that hold the rest in another form.
absl::StatusOr<ProgressOutcome> ApplyProgress(std::optional<ProgressReport>& latest, int64_t& version,
                                              const ProgressReport& report, std::string_view currency);

}  // namespace pmo::intake::domain
