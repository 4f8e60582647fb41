// Calendar values every domain shares: a civil Date ("2027-03-31"), a planning Quarter
// ("2027Q1") and an OKR Period (a quarter or a whole year). Plain, ordered, cheap to copy.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace pmo::calendar {

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

Date AddDays(const Date& date, int64_t days);
// Days from `from` to `to`: positive when `to` is later.
int64_t DaysBetween(const Date& from, const Date& to);
// The same day `months` later; a day past the end of the target month becomes that
// month's last day (2027-01-31 + 1 month = 2027-02-28), as calendars and contracts do.
Date AddMonths(const Date& date, int32_t months);

// The time an objective is set for: quarter 1..4 of `year`, or the whole year when
// `quarter` is 0. Ordered by year, then quarter, so a year sorts before its quarters.
struct Period {
  int32_t year = 0;
  int32_t quarter = 0;  // 0 = the whole year
  friend auto operator<=>(const Period&, const Period&) = default;
};

bool IsValidPeriod(const Period& period);
bool IsWholeYear(const Period& period);
// Parses "yyyyQn" (upper- or lower-case Q) or "yyyy"; INVALID_ARGUMENT otherwise.
absl::StatusOr<Period> ParsePeriod(std::string_view text);
// "2027Q1" or "2027".
std::string FormatPeriod(const Period& period);
// The first and last day the period covers (1 January / 31 December for a year).
// Only meaningful for a valid period.
Date FirstDayOf(const Period& period);
Date LastDayOf(const Period& period);

}  // namespace pmo::calendar
