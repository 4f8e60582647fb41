// Input validation for benefits and measurements. Every rule is checked and every
// violation is reported at once, with a field path per problem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "pmo/base/validation.h"
#include "services/benefits/domain/calendar.h"
#include "services/benefits/domain/model.h"

namespace pmo::benefits::domain {

// Documented limits. Lengths count Unicode code points, not bytes.
inline constexpr size_t kMaxNameLength = 200;  // ids, metrics, units, owners
inline constexpr int32_t kMinTrackingWindowMonths = 1;
inline constexpr int32_t kMaxTrackingWindowMonths = 60;
// A measurement may be dated at most this many days after "today": one day absorbs
// the time-zone difference between a source and this service; more is a wrong date.
inline constexpr int64_t kMaxFutureDays = 1;
// A benefit's planned money value, |target − baseline| × value per unit, must stay
// within this many minor units (10^15 in major units), so every sum of values that
// the service reports stays exact in 64 bits.
inline constexpr double kMaxPlannedMinorUnits = 1e17;

// Rules of ValidateBenefit, with their field paths (the Benefit member names; the
// currency of the value per unit is "value_per_unit.currency"):
//   initiative_id   must not be empty
//   category        must be set
//   metric, unit    must not be empty; at most kMaxNameLength
//   owner           at most kMaxNameLength (may be empty until someone owns it)
//   baseline        finite
//   target          finite; differs from the baseline
//   target_date     a valid date
//   tracking_window_months   1..60
//   value_per_unit  not negative; planned value within kMaxPlannedMinorUnits
//   value_per_unit.currency  three upper-case letters (only when a value is given)
//   key_result_id   not empty when given
// id, portfolio_id and version are assigned by the service and not looked at.
// OK, or INVALID_ARGUMENT carrying every violation (see pmo::ViolationsOf).
absl::Status ValidateBenefit(const Benefit& benefit);

// Rules of ValidateMeasurement: value finite; as_of a valid date no more than
// kMaxFutureDays after `today`; source_id not empty, at most kMaxNameLength.
absl::Status ValidateMeasurement(const Measurement& measurement, const Date& today);

// Characters of UTF-8 text, as the limits above count them.
using ::pmo::Utf8Length;

}  // namespace pmo::benefits::domain
