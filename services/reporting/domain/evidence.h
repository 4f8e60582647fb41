// The reporting domain's plain types: what the read models know about an initiative
// (its evidence), about key results and benefits, and about the portfolio. Everything
// here is built from other services' events; nothing is typed in by hand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pmo/base/calendar.h"

namespace pmo::reporting::domain {

using ::pmo::calendar::Date;
using ::pmo::calendar::Quarter;

// Benefit statuses as benefits publishes them.
enum class BenefitStatus { kUnknown, kNotStarted, kOnTrack, kAtRisk, kOffTrack, kRealised, kStale };
BenefitStatus ParseBenefitStatus(std::string_view name);  // "AT_RISK", "BENEFIT_STATUS_AT_RISK", …
std::string_view BenefitStatusName(BenefitStatus status);

struct BenefitEvidence {
  std::string benefit_id;
  std::string metric;
  BenefitStatus status = BenefitStatus::kUnknown;
  std::string status_reason;  // e.g. "eroding: fell back below target"
  // Share of the planned improvement realised by the latest measurement (direction-aware).
  std::optional<double> realised_share;
  // Share of the planned improvement the forecast reaches at the target date.
  std::optional<double> forecast_share;
  // The benefit reached REALISED at some point (for information; erosion is benefits'
  // verdict, see IsEroding).
  bool was_realised = false;
  int measurements = 0;
  std::optional<Date> last_measured;
  double planned_value = 0;   // money: (target - baseline) × value per unit
  double realised_value = 0;  // money realised so far
};

bool IsEroding(const BenefitEvidence& benefit);

struct KeyResultEvidence {
  std::string key_result_id;
  std::string objective_id;
  bool measurable = false;
  std::optional<double> progress;  // 0..1 from the latest check-in
  std::optional<double> confidence;
  std::optional<double> previous_confidence;  // the check-in before the latest
  std::optional<Date> last_check_in;
};

struct InitiativeEvidence {
  std::string initiative_id;
  std::string title;
  std::string stage;  // "ACTIVE", …
  std::vector<KeyResultEvidence> key_results;
  std::vector<BenefitEvidence> benefits;
  // Delivery (intake's progress reports); budget = the business case's total cost.
  std::optional<double> budget;
  std::optional<double> actual_spend;
  std::optional<double> forecast_at_completion;
  std::optional<int> schedule_variance_days;
  std::optional<double> delivery_confidence;
  std::optional<double> percent_complete;
  std::optional<Date> last_progress;
  // Scoring.
  std::optional<double> score;
  std::optional<int> rank;  // 1 = best
  int ranked_count = 0;      // initiatives in the ranking
};

}  // namespace pmo::reporting::domain
