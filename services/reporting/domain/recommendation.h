// Evidence review recommendations: CONTINUE, PIVOT or STOP, with every reason that drove
// the verdict. The rules are explicit and their thresholds configurable (ReviewRules);
// the README lists them.
//
// Each rule looks at one kind of evidence and may raise a reason pointing to PIVOT or to
// STOP:
//   benefit-forecast   a benefit's forecast at its target date reaches less than
//                      `stop_forecast_share` of the planned improvement → STOP; less than
//                      `pivot_forecast_share` → PIVOT.
//   benefit-status     a benefit OFF_TRACK → STOP when `off_track_stops`, else PIVOT;
//                      AT_RISK (erosion included, with benefits' reason) → PIVOT;
//                      STALE → PIVOT (the evidence stopped arriving).
//   cost               forecast at completion above budget by more than
//                      `stop_cost_overrun` → STOP; by more than `pivot_cost_overrun` → PIVOT.
//   schedule           slipping more than `stop_slip_days` → STOP; `pivot_slip_days` → PIVOT.
//   key-results        linked to no measurable key result → PIVOT; the linked key results'
//                      mean progress below `pivot_kr_progress` once the initiative is past
//                      `kr_progress_after_complete` % complete → PIVOT; a key result's
//                      confidence below `pivot_confidence` → PIVOT.
//   delivery           delivery confidence below `pivot_confidence` → PIVOT.
//   rank               ranked in the bottom `low_rank_share` of the portfolio → PIVOT.
//   no-evidence        no benefit measurement, no key-result check-in and no progress
//                      report at all → PIVOT and flagged: an initiative without evidence
//                      is never waved through.
// Verdict: STOP if any STOP reason; else PIVOT if any PIVOT reason; else CONTINUE with the
// evidence that supports it.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/reporting/domain/evidence.h"

namespace pmo::reporting::domain {

enum class Recommendation { kContinue, kPivot, kStop };
std::string_view RecommendationName(Recommendation r);  // "CONTINUE", "PIVOT", "STOP"

struct ReviewRules {
  double stop_forecast_share = 0.5;
  double pivot_forecast_share = 0.8;
  bool off_track_stops = true;
  double stop_cost_overrun = 0.5;   // 0.5 = 50 % over budget
  double pivot_cost_overrun = 0.15;
  int stop_slip_days = 120;
  int pivot_slip_days = 30;
  double pivot_kr_progress = 0.25;
  double kr_progress_after_complete = 50;  // percent complete
  double pivot_confidence = 0.5;
  double low_rank_share = 0.25;
};

// Every threshold in range (shares in [0, 1], stop beyond pivot, …); all violations
// listed as field violations.
absl::Status ValidateRules(const ReviewRules& rules);

struct Reason {
  std::string rule;  // "benefit-forecast", "cost", …
  Recommendation points_to = Recommendation::kContinue;
  std::string detail;  // what the evidence says, with the threshold it was held against
};

struct Verdict {
  Recommendation recommendation = Recommendation::kContinue;
  std::vector<Reason> reasons;  // STOP reasons first, then PIVOT, then supporting ones
  bool no_evidence = false;
};

Verdict Recommend(const InitiativeEvidence& evidence, const ReviewRules& rules);

}  // namespace pmo::reporting::domain
