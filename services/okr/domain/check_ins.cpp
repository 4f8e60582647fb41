#include "services/okr/domain/check_ins.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/okr/domain/validation.h"

namespace pmo::okr::domain {

absl::StatusOr<CheckInOutcome> ApplyCheckIn(std::vector<CheckIn>& history, const CheckIn& check_in) {
  if (auto s = ValidateCheckIn(check_in); !s.ok()) return s;
  if (!history.empty() && history.front().key_result_id != check_in.key_result_id) {
    return InvalidArgument("check-in for another key result",
                           {{"key_result_id", absl::StrCat("is ", check_in.key_result_id, " but this history is of ",
                                                           history.front().key_result_id)}});
  }
  for (const CheckIn& held : history) {
    if (held.source_id == check_in.source_id) {
      return CheckInOutcome{false, false, "a check-in with this source_id was already applied"};
    }
  }
  const CheckIn* latest = LatestCheckIn(history);
  const bool became_latest = latest == nullptr || check_in.as_of >= latest->as_of;
  history.push_back(check_in);
  return CheckInOutcome{true, became_latest, {}};
}

const CheckIn* LatestCheckIn(const std::vector<CheckIn>& history) {
  const CheckIn* latest = nullptr;
  for (const CheckIn& c : history) {
    if (latest == nullptr || c.as_of >= latest->as_of) latest = &c;
  }
  return latest;
}

std::unordered_map<std::string, const CheckIn*> LatestCheckIns(const std::vector<CheckIn>& check_ins) {
  std::unordered_map<std::string, const CheckIn*> latest;
  for (const CheckIn& c : check_ins) {
    const CheckIn*& held = latest[c.key_result_id];
    if (held == nullptr || c.as_of >= held->as_of) held = &c;
  }
  return latest;
}

}  // namespace pmo::okr::domain
