// Input validation for objectives, key results, check-ins and links, and the SMART
// measurability rules of a key result. Every rule is checked; every violation is listed.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/okr/domain/model.h"
#include "pmo/base/errors.h"

namespace pmo::okr::domain {

// Documented maxima. Lengths count Unicode code points, not bytes.
inline constexpr size_t kMaxTitleLength = 200;
inline constexpr size_t kMaxNameLength = 200;    // ids, people, metrics, units
inline constexpr size_t kMaxTextLength = 10000;  // descriptions and notes

// Field paths are the domain struct's member names ("title", "due_date", ...).

// A stored objective by id, or nullopt when there is none. Lets validation walk the
// parent chain without knowing where objectives are kept.
using ObjectiveLookup = std::function<std::optional<Objective>(std::string_view id)>;

// Checks an objective to be created or updated:
// - portfolio_id, title (at most kMaxTitleLength), level and status given; description
//   and owner within their limits; a valid period; a finite priority above 0;
// - with a parent: not itself, strictly below the parent's level ("level"), and the
//   parent chain must not lead back to this objective ("parent_id");
// - `children` are the objective's current children (on an update): each must still
//   sit strictly below the objective's (possibly new) level ("level").
// Returns INVALID_ARGUMENT with every violation; otherwise NOT_FOUND when `lookup` does
// not know the parent (a malformed request is reported before a missing parent, so the
// caller fixes the request first); otherwise OK. A break further up the parent chain
// (an ancestor that is no longer known) is not this objective's problem and ends the walk.
absl::Status ValidateObjective(const Objective& objective, const ObjectiveLookup& lookup,
                               const std::vector<Objective>& children = {});

// The SMART verdict on a key result: measurable exactly when `reasons` is empty.
struct Measurability {
  bool measurable = false;
  std::vector<FieldViolation> reasons;
};

// The measurability rules, each reported on one field:
// - "metric": must be named;            - "unit": must be named;
// - "baseline", "target": finite numbers;
// - "direction": INCREASE, DECREASE or MAINTAIN; INCREASE needs target > baseline and
//   DECREASE target < baseline (checked only when both are finite and differ);
// - "target": must differ from the baseline for INCREASE and DECREASE;
// - "tolerance": MAINTAIN needs a finite tolerance >= 0;
// - "due_date": a valid date not before the first day of the objective's period (a due
//   date after the period is allowed: outcomes often land after the work). Skipped
//   when the objective's own period is invalid; ValidateObjective reports that.
// `objective` is the key result's objective; the caller resolves it (NOT_FOUND is
// the caller's answer when there is none). Whether the key result is retired is not
// part of this verdict.
Measurability IsMeasurable(const KeyResult& key_result, const Objective& objective);
void CheckMeasurability(const KeyResult& key_result, const Objective& objective, Violations& out);

// Checks a key result to be created or updated: objective_id given, owner within its
// limit, plus every measurability rule. OK or INVALID_ARGUMENT with every violation.
absl::Status ValidateKeyResult(const KeyResult& key_result, const Objective& objective);

// key_result_id and source_id given; a finite value; a finite confidence in [0, 1]; a
// valid as_of date; a note within kMaxTextLength. OK or INVALID_ARGUMENT.
absl::Status ValidateCheckIn(const CheckIn& check_in);

// key_result_id and initiative_id given; a finite contribution in [0, 1]. Whether the
// two exist is the caller's question (NOT_FOUND). OK or INVALID_ARGUMENT.
absl::Status ValidateLink(const Link& link);

// A new period for `objective` must not leave its key results behind: a due date before
// the period's first day would quietly make a key result unmeasurable. Adds one "period"
// violation per broken measurability rule ("would leave key result <id> unmeasurable:
// <field> <description>"), in the order of `key_results`. Retired key results and those
// of other objectives are not looked at.
void CheckPeriodKeepsKeyResultsMeasurable(const Objective& objective, const std::vector<KeyResult>& key_results,
                                          Violations& out);

}  // namespace pmo::okr::domain
