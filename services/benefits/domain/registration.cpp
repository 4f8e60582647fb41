#include "services/benefits/domain/registration.h"

#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"

namespace pmo::benefits::domain {

std::string MetricSlug(std::string_view metric) {
  std::string slug;
  bool dash = false;
  for (char c : metric) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const bool upper = c >= 'A' && c <= 'Z';
    if (alnum || upper) {
      if (dash && !slug.empty()) slug.push_back('-');
      dash = false;
      if (slug.size() >= kMaxMetricSlugLength) break;
      slug.push_back(upper ? static_cast<char>(c - 'A' + 'a') : c);
    } else {
      dash = true;
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

std::string PromisedBenefitId(std::string_view initiative_id, std::string_view metric, int occurrence,
                              size_t position) {
  std::string slug = MetricSlug(metric);
  if (slug.empty()) slug = absl::StrCat("benefit-", position + 1);
  std::string id = absl::StrCat(AbslView(initiative_id), ".", slug);
  if (occurrence > 1) absl::StrAppend(&id, "-", occurrence);
  return id;
}

bool SameDefinition(const Benefit& a, const Benefit& b) {
  return a.category == b.category && a.metric == b.metric && a.unit == b.unit && a.baseline == b.baseline &&
         a.target == b.target && a.target_date == b.target_date && a.owner == b.owner && a.indicator == b.indicator &&
         a.value_per_unit == b.value_per_unit && a.key_result_id == b.key_result_id &&
         a.tracking_window_months == b.tracking_window_months;
}

Benefit WithPromisedDefinition(Benefit current, const Benefit& promised) {
  current.category = promised.category;
  current.metric = promised.metric;
  current.unit = promised.unit;
  current.baseline = promised.baseline;
  current.target = promised.target;
  current.target_date = promised.target_date;
  current.owner = promised.owner;
  current.indicator = promised.indicator;
  current.value_per_unit = promised.value_per_unit;
  return current;
}

}  // namespace pmo::benefits::domain
