// gMock matchers for absl::Status / absl::StatusOr: assert the specific code and message,
// and the field paths of INVALID_ARGUMENT violations. Header-only (gmock + abseil), so
// pure domain tests use it without the integration fixtures.
#pragma once

#include <string>
#include <vector>

#include <gmock/gmock.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/base/errors.h"

namespace pmo::testing {

inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

MATCHER_P2(StatusIs, code, message_matcher, "") {
  const absl::Status& status = StatusOf(arg);
  *result_listener << "status is " << status.ToString();
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

#define PMO_ASSERT_OK(expr)                                                 \
  do {                                                                      \
    const absl::Status _s = ::pmo::testing::StatusOf(expr);                 \
    ASSERT_TRUE(_s.ok()) << #expr << " -> " << _s.ToString();               \
  } while (0)

}  // namespace pmo::testing
