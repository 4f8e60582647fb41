#include "services/benefits/domain/validation.h"

#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"

namespace pmo::benefits::domain {
namespace {

bool IsBlank(std::string_view text) { return absl::StripAsciiWhitespace(AbslView(text)).empty(); }

void CheckLength(std::string_view text, const std::string& path, Violations& out) {
  if (const size_t n = Utf8Length(text); n > kMaxNameLength) {
    out.Add(path, absl::StrCat("is ", n, " characters long; at most ", kMaxNameLength, " are allowed"));
  }
}

void CheckRequiredName(std::string_view text, const std::string& path, Violations& out) {
  if (IsBlank(text)) {
    out.Add(path, "must not be empty");
  } else {
    CheckLength(text, path, out);
  }
}

// Reports a non-finite number; returns whether the value can be used further.
bool CheckFinite(double value, const std::string& path, Violations& out) {
  if (std::isfinite(value)) return true;
  out.Add(path, "must be a finite number");
  return false;
}

bool CheckDate(const Date& date, const std::string& path, Violations& out) {
  if (IsValidDate(date)) return true;
  out.Add(path, absl::StrCat("is not a valid date (", date.year, "-", date.month, "-", date.day, ")"));
  return false;
}

bool IsIso4217Shaped(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

}  // namespace

size_t Utf8Length(std::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;  // count every byte that starts a code point
  }
  return n;
}

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
