#include "services/intake/domain/versioning.h"

#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"

namespace pmo::intake::domain {

absl::Status CheckExpectedVersion(std::string_view entity, int64_t current, int64_t expected) {
  if (current == expected) return absl::OkStatus();
  return absl::AbortedError(absl::StrCat(AbslView(entity), " is at version ", current, ", not the expected ", expected,
                                         "; re-read it and retry"));
}

}  // namespace pmo::intake::domain
