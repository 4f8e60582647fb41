// Strategic alignment of an initiative, computed from the key results it is linked to
// and the priority of their objectives (okr's events), never typed in by hand.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pmo::scoring::domain {

// One initiative <-> key result link from okr's AlignmentChanged event.
struct KeyResultLink {
  std::string key_result_id;
  std::string objective_id;   // the objective the key result belongs to
  double contribution = 0;    // 0..1: the share of the key result this initiative moves
};

// An objective's priority weight as okr publishes it (any non-negative scale).
struct ObjectivePriority {
  std::string objective_id;
  double priority = 0;
};

struct AlignmentTerm {
  std::string key_result_id;
  std::string objective_id;
  double contribution = 0;
  double normalised_priority = 0;  // priority / highest priority; 0 if the objective is unknown
  double term = 0;                 // contribution * normalised_priority
};

struct Alignment {
  double value = 0;                  // in [0, 1]
  std::vector<AlignmentTerm> terms;  // one per link, in input order
};

// alignment = min(1, sum over links of contribution_l * priority(o_l) / max_o priority(o))
//
// Priorities are normalised by the highest priority among `objectives`, so a full
// contribution to a key result of the top objective alone means full alignment, and
// the same contribution to an objective of half that priority counts half. Pass every
// objective the read model knows for the portfolio, not only the linked ones, or the
// normalisation loses its meaning. Several links add up and the sum is clamped at 1.
// A link to an objective not (yet) in `objectives` adds nothing; the score catches up
// when the objective's event arrives and triggers a re-score. No links: alignment 0.
//
// INVALID_ARGUMENT (every violation listed) for a contribution outside [0, 1], a
// negative or non-finite priority, an empty id, or a key result linked twice.
absl::StatusOr<Alignment> ComputeAlignment(const std::vector<KeyResultLink>& links,
                                           const std::vector<ObjectivePriority>& objectives);

}  // namespace pmo::scoring::domain
