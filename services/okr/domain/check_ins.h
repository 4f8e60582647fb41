// Applies check-ins to a key result's history: late ones are kept but never overwrite
// a newer one, and a redelivered check-in (same source_id) is applied only once.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/okr/domain/model.h"

namespace pmo::okr::domain {

struct CheckInOutcome {
  bool recorded = false;       // added to the history
  bool became_latest = false;  // and is now the key result's latest check-in
  // Why a valid check-in was not recorded (a duplicate source_id); empty otherwise.
  std::string_view ignored_because;
};

// `history` holds one key result's recorded check-ins in arrival order.
//
// Validates the check-in (INVALID_ARGUMENT with every violation; see ValidateCheckIn)
// and refuses one for another key result than the history's. A check-in whose
// source_id is already in the history is not recorded again (redelivery is a no-op,
// even if its content differs: the first arrival is the record). Otherwise it is
// appended. It becomes the latest unless a check-in with a later as_of is held; one
// with the same as_of as the latest replaces it (a same-day correction).
absl::StatusOr<CheckInOutcome> ApplyCheckIn(std::vector<CheckIn>& history, const CheckIn& check_in);

// The latest check-in of a history by as_of; among equal as_of the later arrival (the
// later element). nullptr for an empty history. Points into `history`.
const CheckIn* LatestCheckIn(const std::vector<CheckIn>& history);

// The latest check-in per key result id over check-ins of many key results, by the same
// rule as LatestCheckIn. The pointers point into `check_ins`.
std::unordered_map<std::string, const CheckIn*> LatestCheckIns(const std::vector<CheckIn>& check_ins);

}  // namespace pmo::okr::domain
