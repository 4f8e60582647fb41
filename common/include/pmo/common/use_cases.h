// Helpers every service's use cases share: page sizes, merging structural and
// domain violations into one answer, and re-running a read-modify-write that lost a race.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/base/errors.h"
#include "pmo/base/validation.h"  // ValidateId
#include "pmo/common/v1/types.pb.h"

namespace pmo {

// The page size asked for: the default for 0, capped at the maximum; negative is invalid.
absl::StatusOr<int> PageSize(const common::v1::PageRequest& page, int default_size, int max_size);

// Adds the domain's field violations to those found before it, so one answer lists them
// all; a domain error of another kind is returned as it is.
absl::Status MergeViolations(Violations& early, const absl::Status& domain_status, std::string_view summary);

// Runs a read-modify-write again, from a fresh read, while its version-guarded commit
// answers ABORTED because a concurrent write won; at most `attempts` times.
inline constexpr int kRaceRetries = 8;
template <typename F>
auto RetryOnRace(F&& f, int attempts = kRaceRetries) -> decltype(f()) {
  for (int attempt = 1;; ++attempt) {
    auto r = f();
    if (r.ok() || r.status().code() != absl::StatusCode::kAborted || attempt >= attempts) return r;
  }
}

}  // namespace pmo
