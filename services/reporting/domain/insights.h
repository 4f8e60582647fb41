// What needs an executive's attention, each item with the evidence behind it:
//   BENEFIT_AT_RISK        a benefit AT_RISK or OFF_TRACK (high when OFF_TRACK)
//   BENEFIT_ERODING        a benefit that was realised and fell back (high)
//   KR_CONFIDENCE_FALLING  a key result whose latest check-in lowered confidence by at
//                          least `confidence_drop` (high when it ends below the pivot
//                          confidence of the review rules)
//   OVER_BUDGET            forecast at completion above budget by more than the pivot
//                          overrun (high beyond the stop overrun)
//   WIP_ABOVE_LIMIT        more ACTIVE initiatives than the portfolio's WIP limit (high)
//   NOT_LINKED             a live initiative linked to no key result
//   LOW_RANK_ACTIVE        an ACTIVE initiative in the bottom share of the ranking
// Ordered high before medium, then by kind and subject, so the list is stable.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "services/reporting/domain/evidence.h"
#include "services/reporting/domain/recommendation.h"

namespace pmo::reporting::domain {

struct Insight {
  std::string kind;
  std::string severity;  // "high" or "medium"
  std::string initiative_id;  // empty for portfolio-wide insights
  std::string subject_id;     // the benefit / key result concerned, when there is one
  std::string message;
  std::vector<std::pair<std::string, std::string>> evidence;
};

struct InsightOptions {
  double confidence_drop = 0.1;
};

std::vector<Insight> Insights(const std::vector<InitiativeEvidence>& initiatives, int wip_limit,
                              const ReviewRules& rules, const InsightOptions& options = {});

}  // namespace pmo::reporting::domain
