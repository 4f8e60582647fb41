#include "services/benefits/domain/validation.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"
#include "pmo/base/validation.h"

namespace pmo::benefits::domain {
namespace {

// The register's names (ids, metrics, units, owners) share one length limit.
void CheckLength(std::string_view text, const std::string& path, Violations& out) {
  ::pmo::CheckLength(text, kMaxNameLength, path, out);
}

void CheckRequiredName(std::string_view text, const std::string& path, Violations& out) {
  CheckRequiredText(text, kMaxNameLength, path, out);
}

}  // namespace

absl::Status ValidateBenefit(const Benefit& b) {
  Violations out;
  CheckRequiredName(b.initiative_id, "initiative_id", out);
  if (b.category == BenefitCategory::kUnspecified) out.Add("category", "must be set");
  CheckRequiredName(b.metric, "metric", out);
  CheckRequiredName(b.unit, "unit", out);
  CheckLength(b.owner, "owner", out);
  const bool baseline_ok = CheckFinite(b.baseline, "baseline", out);
  const bool target_ok = CheckFinite(b.target, "target", out);
  if (baseline_ok && target_ok && b.baseline == b.target) {
    out.Add("target", "must differ from the baseline; a benefit has to change something");
  }
  CheckDate(b.target_date, "target_date", out);
  if (b.tracking_window_months < kMinTrackingWindowMonths || b.tracking_window_months > kMaxTrackingWindowMonths) {
    out.Add("tracking_window_months",
            absl::StrCat("must be between ", kMinTrackingWindowMonths, " and ", kMaxTrackingWindowMonths,
                         " months, got ", b.tracking_window_months));
  }
  if (b.value_per_unit) {
    const Money& value = *b.value_per_unit;
    if (value.minor_units < 0) {
      out.Add("value_per_unit", "must not be negative");
    } else if (baseline_ok && target_ok &&
               std::abs(b.target - b.baseline) * static_cast<double>(value.minor_units) > kMaxPlannedMinorUnits) {
      out.Add("value_per_unit",
              "makes the planned value (target - baseline) * value per unit exceed 10^17 minor units");
    }
    if (!IsIso4217Shaped(value.currency)) {
      out.Add("value_per_unit.currency",
              absl::StrCat("is \"", value.currency, "\"; must be an ISO 4217 code of three upper-case letters"));
    }
  }
  if (b.key_result_id) CheckRequiredName(*b.key_result_id, "key_result_id", out);
  return out.ToStatus("invalid benefit");
}

absl::Status ValidateMeasurement(const Measurement& m, const Date& today) {
  Violations out;
  CheckFinite(m.value, "value", out);
  if (CheckDate(m.as_of, "as_of", out) && IsValidDate(today) && DaysBetween(today, m.as_of) > kMaxFutureDays) {
    out.Add("as_of", absl::StrCat(FormatDate(m.as_of), " is in the future (today is ", FormatDate(today), "); at most ",
                                  kMaxFutureDays, " day ahead is accepted"));
  }
  CheckRequiredName(m.source_id, "source_id", out);
  return out.ToStatus("invalid measurement");
}

}  // namespace pmo::benefits::domain
