#include "pmo/common/use_cases.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace pmo {

absl::StatusOr<int> PageSize(const common::v1::PageRequest& page, int default_size, int max_size) {
  if (page.page_size() < 0) return InvalidArgument("invalid page", {{"page.page_size", "must not be negative"}});
  if (page.page_size() == 0) return default_size;
  return std::min(page.page_size(), max_size);
}

absl::Status MergeViolations(Violations& early, const absl::Status& domain_status, std::string_view summary) {
  if (domain_status.code() == absl::StatusCode::kInvalidArgument)
    for (auto& v : ViolationsOf(domain_status)) early.Add(v.field, v.description);
  else if (!domain_status.ok())
    return domain_status;
  return early.ToStatus(summary);
}

}  // namespace pmo
