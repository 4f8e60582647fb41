// Coverage of a portfolio's strategy: how many active initiatives move a measurable key
// result, which initiatives and objectives stand alone, and which key results went quiet.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "services/okr/domain/calendar.h"
#include "services/okr/domain/model.h"

namespace pmo::okr::domain {

// A key result is stale when its latest check-in is more than this many days older
// than the day coverage is computed for (one exactly 30 days old still counts).
inline constexpr int32_t kStaleAfterDays = 30;

// What okr knows of an initiative from intake's events.
struct InitiativeRef {
  std::string id;
  std::string stage;  // intake's stage name, e.g. "ACTIVE"
  bool active = false;
};

// The stages in which an initiative counts as active for coverage: submitted and
// neither closed nor stopped (SUBMITTED, IN_REVIEW, APPROVED, ACTIVE, DELIVERED,
// SUSTAINING, PAUSED, PIVOTING). A draft is not yet a commitment; a closed or stopped
// initiative no longer moves anything. DELIVERED and SUSTAINING stay in because value
// is realised after go-live.
bool IsActiveStage(std::string_view stage);

// One portfolio's data. The spans are read only during ComputeCoverage.
struct CoverageInput {
  std::span<const Objective> objectives = {};
  std::span<const KeyResult> key_results = {};
  std::span<const CheckIn> check_ins = {};
  std::span<const InitiativeRef> initiatives = {};
  std::span<const Link> links = {};
  Date as_of;  // the day staleness is judged on
};

struct Coverage {
  int32_t active_initiatives = 0;
  // Active initiatives linked to at least one live (not retired) key result.
  int32_t active_linked = 0;
  // Active initiatives linked to at least one live key result that IsMeasurable.
  int32_t active_with_measurable_key_result = 0;
  // active_with_measurable_key_result / active_initiatives; 0 when nothing is active
  // (the counts beside it tell "0 of 0" from "0 of 5").
  double measurable_share = 0;
  // Active initiatives without a link to any live key result. Sorted ids.
  std::vector<std::string> initiatives_linked_to_nothing;
  // ACTIVE objectives no active initiative works towards. Sorted ids.
  std::vector<std::string> objectives_without_initiative;
  // Live key results of live (ACTIVE or DEPRIORITISED) objectives without a check-in
  // in the kStaleAfterDays before as_of, including those never checked in. Sorted ids.
  std::vector<std::string> stale_key_results;
};

// Computes the coverage of one portfolio.
//
// A link counts when its initiative is active and its key result is known and not
// retired; its contribution weight does not matter (any share is a contribution).
// A key result is measurable by IsMeasurable against its objective; one whose
// objective is unknown is not.
//
// An objective is covered when an active initiative links to a live key result of its
// own or of a descendant, reached through children that are not RETIRED: work towards
// a program's key result serves the portfolio objective above it. Only ACTIVE
// objectives are listed as uncovered; deprioritised, retired and achieved ones are not
// expected to attract work. A cycle in the parent links cannot trap the walk.
Coverage ComputeCoverage(const CoverageInput& input);

}  // namespace pmo::okr::domain
