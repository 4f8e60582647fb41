// Calendar values of the okr domain: a civil Date ("2027-03-31") and an objective's
// Period, either a quarter ("2027Q1") or a whole year ("2027"). Plain ordered values.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace pmo::okr::domain {

// Years outside this range are typing mistakes, not plans; keeping them bounded keeps
// day arithmetic far from overflow.
inline constexpr int32_t kMinYear = 1900;
inline constexpr int32_t kMaxYear = 9999;

// A day in the proleptic Gregorian calendar. The all-zero Date means "not given".
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
// Days since 1970-01-01 (negative before); used for the staleness window.
int64_t DaysSinceEpoch(const Date& date);
Date DateFromDaysSinceEpoch(int64_t days);

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

}  // namespace pmo::okr::domain
