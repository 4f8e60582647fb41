// Progress and confidence of key results (direction-aware, from the latest check-in)
// and their roll-up through the objective cascade, computed for a whole tree at once.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "services/okr/domain/calendar.h"
#include "services/okr/domain/model.h"

namespace pmo::okr::domain {

// How far `value` has taken the key result towards its target, in [0, 1]:
//   INCREASE  (v - b) / (t - b)
//   DECREASE  (b - v) / (b - t)
//   MAINTAIN  1 while |v - t| <= tol, else max(0, 1 - (|v - t| - tol) / max(|t|, 1))
// (b baseline, t target, v value, tol tolerance), clamped to [0, 1]: overshooting the
// target counts as 1, falling behind the baseline as 0.
//
// MAINTAIN: holding the value inside the tolerance band is full progress. Outside it,
// progress falls linearly with the drift beyond the band, measured relative to the
// target's magnitude, and reaches 0 once that drift equals |t|. The floor of 1 unit
// in the denominator keeps a target of 0 (or near it) from turning the smallest drift
// into total failure. A negative tolerance counts as 0.
//
// Degenerate input (a non-finite number, INCREASE/DECREASE with t == b, an unspecified
// direction) is refused by validation; should it reach here, the answer is 1 when the
// value has reached the target in the stated direction and 0 otherwise.
double ProgressOf(const KeyResult& key_result, double value);

struct KeyResultProgress {
  double progress = 0;    // ProgressOf the latest check-in's value; 0 without a check-in
  double confidence = 0;  // the latest check-in's confidence; 0 without a check-in
  bool checked_in = false;  // false flags a key result nobody has reported on yet
  Date as_of;               // the latest check-in's as_of (all zero without one)
};

// `latest` is the key result's latest check-in (LatestCheckIn), or nullptr.
KeyResultProgress EvaluateKeyResult(const KeyResult& key_result, const CheckIn* latest);

struct ObjectiveProgress {
  double progress = 0;    // in [0, 1]
  double confidence = 0;  // in [0, 1]
  // The sum of the weights behind the means; 0 when the objective has nothing that
  // counts (no live key result, no counted child), and then progress and confidence are 0.
  double total_weight = 0;
  // Counted key results in this objective's subtree without any check-in.
  int32_t key_results_without_check_in = 0;
};

struct ProgressTree {
  std::map<std::string, KeyResultProgress> key_results;  // every key result given
  std::map<std::string, ObjectiveProgress> objectives;   // every objective given
};

// Computes every key result's and every objective's progress and confidence.
//
// An objective's progress is the weighted mean over what it directly holds:
//   progress(o) = ( sum_kr 1 * p(kr) + sum_child w(child) * progress(child) )
//               / ( number of kr + sum_child w(child) )
// with w(child) = the child's priority. Each live key result weighs 1, and a child
// objective weighs its priority, so priorities share the scale of one key result: a
// child of priority 1 counts as much as one key result, one of priority 3 as three.
// Confidence rolls up by the same formula from the latest check-ins' confidence. A key
// result without a check-in contributes 0 to both ("no evidence, no claim") and is
// counted in key_results_without_check_in.
//
// Left out of a parent's mean (but still computed and reported themselves): retired
// key results, RETIRED child objectives, and children whose priority is not a finite
// number above 0. DEPRIORITISED and ACHIEVED children count with their evidence: a
// status set by a person does not replace the measured progress.
//
// Key results of an objective not in `objectives`, and check-ins of an unknown key
// result, are ignored in the roll-up; an objective whose parent is not in `objectives`
// is a root. Ids are assumed unique. A cycle in the parent links (which validation
// refuses) cannot trap the computation: the link that would close it is ignored.
ProgressTree ComputeProgress(const std::vector<Objective>& objectives, const std::vector<KeyResult>& key_results,
                             const std::vector<CheckIn>& check_ins);

// One objective's place in a roll-up: what a check-in moved.
struct ObjectiveRollUp {
  std::string objective_id;
  double progress = 0;
  double confidence = 0;
};

// `objective_id` and its ancestors, nearest first, each with its progress and confidence
// from `tree` (ComputeProgress over `objectives`). The walk ends at an objective not in
// `objectives` (empty when `objective_id` is unknown) and before revisiting one, so a
// cycle in stored parent links cannot trap it.
std::vector<ObjectiveRollUp> AncestorRollUp(const std::vector<Objective>& objectives, const ProgressTree& tree,
                                            const std::string& objective_id);

}  // namespace pmo::okr::domain
