// Registering the benefits an intake submission promises: a deterministic id per
// promised benefit, so a redelivered or updated submission finds the benefit it
// registered before instead of registering a second one, and the definition fields a
// submission (or an update) may change.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "services/benefits/domain/model.h"

namespace pmo::benefits::domain {

inline constexpr size_t kMaxMetricSlugLength = 40;

// "<initiative id>.<metric slug>": the metric in lower-case ASCII letters and digits,
// other characters collapsed to single '-', at most kMaxMetricSlugLength characters.
// The n-th benefit of a submission with the same slug (n = `occurrence`, from 1) gets
// "-n" appended from the second on; a metric with no letter or digit uses
// "benefit-<position + 1>". Keyed by metric rather than position, so removing or
// reordering promised benefits does not move measurements to another benefit.
std::string PromisedBenefitId(std::string_view initiative_id, std::string_view metric, int occurrence,
                              size_t position);
std::string MetricSlug(std::string_view metric);

// Whether two benefits have the same definition: category, metric, unit, baseline,
// target, target date, owner, indicator, value per unit, key result and tracking
// window. Ids, portfolio and version are not compared.
bool SameDefinition(const Benefit& a, const Benefit& b);

// What a submission promises: everything but the key result and the tracking window,
// which a submission does not carry. `current` with those fields of `promised`.
Benefit WithPromisedDefinition(Benefit current, const Benefit& promised);

}  // namespace pmo::benefits::domain
