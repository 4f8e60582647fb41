// Status matchers for the scoring domain tests: assert the specific code and message,
// and the field paths of INVALID_ARGUMENT violations.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "pmo/common/errors.h"

namespace pmo::scoring::domain::testing {

inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(status.message()), result_listener);
}

// The field paths of the violations attached to a status, for Contains/UnorderedElementsAre.
template <typename S>
std::vector<std::string> ViolationFields(const S& s) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : ViolationsOf(StatusOf(s))) fields.push_back(v.field);
  return fields;
}

}  // namespace pmo::scoring::domain::testing
