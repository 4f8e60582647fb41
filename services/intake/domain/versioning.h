// Optimistic concurrency for intake's aggregates: every change bumps the version, and
// a write made against a version that is no longer current is refused with ABORTED.
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"

namespace pmo::intake::domain {

// ABORTED (retry after re-reading) when `expected` is not `current`. There is no
// "any version" wildcard: a client that read nothing has nothing to overwrite.
absl::Status CheckExpectedVersion(std::string_view entity, int64_t current, int64_t expected);

}  // namespace pmo::intake::domain
