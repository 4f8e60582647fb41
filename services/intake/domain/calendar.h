// Calendar values of the intake domain: a civil Date ("2027-03-31") and a planning
// Quarter ("2027Q1"). Both are plain, ordered values that are cheap to copy.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace pmo::intake::domain {

// Years outside this range are rejected by validation: they are typing mistakes,
// not plans, and keeping them bounded keeps day arithmetic far from overflow.
inline constexpr int32_t kMinYear = 1900;
inline constexpr int32_t kMaxYear = 9999;

// A day in the proleptic Gregorian calendar. Time of day and time zone do not matter
// for portfolio planning, so none is kept.
struct Date {
  int32_t year = 0;
  int32_t month = 0;  // 1..12
  int32_t day = 0;    // 1..days in month
  friend auto operator<=>(const Date&, const Date&) = default;
};

bool IsValidDate(const Date& date);
// Parses exactly "yyyy-mm-dd"; INVALID_ARGUMENT otherwise.
absl::StatusOr<Date> ParseDate(std::string_view text);
std::string FormatDate(const Date& date);
// Days since 1970-01-01 (negative before); used for week and window arithmetic.
int64_t DaysSinceEpoch(const Date& date);
Date DateFromDaysSinceEpoch(int64_t days);

// A calendar quarter; q is 1..4. Ordering is chronological.
struct Quarter {
  int32_t year = 0;
  int32_t q = 0;
  friend auto operator<=>(const Quarter&, const Quarter&) = default;
};

bool IsValidQuarter(const Quarter& quarter);
// Parses exactly "yyyyQn" (an upper- or lower-case Q); INVALID_ARGUMENT otherwise.
absl::StatusOr<Quarter> ParseQuarter(std::string_view text);
std::string FormatQuarter(const Quarter& quarter);
Quarter NextQuarter(const Quarter& quarter);
// How many quarters lie from `from` to `to`: 0 for the same quarter, negative when
// `to` is earlier.
int32_t QuarterDistance(const Quarter& from, const Quarter& to);
// Whether `quarter` lies in the inclusive range first..last.
bool InRange(const Quarter& quarter, const Quarter& first, const Quarter& last);
Quarter QuarterOf(const Date& date);
Date FirstDayOf(const Quarter& quarter);
Date LastDayOf(const Quarter& quarter);

}  // namespace pmo::intake::domain
