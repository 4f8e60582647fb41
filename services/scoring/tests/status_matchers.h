// The scoring domain tests use the suite's shared status matchers.
#pragma once

#include "pmo/testing/status_matchers.h"

namespace pmo::scoring::domain::testing {
using ::pmo::testing::StatusIs;
using ::pmo::testing::StatusOf;
using ::pmo::testing::ViolationFields;
}  // namespace pmo::scoring::domain::testing
