// Civil dates for the benefits domain: target dates, measurement dates and the
// post-delivery tracking window, with the day and month arithmetic they need.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace pmo::benefits::domain {

// Years outside this range are refused by validation: they are typing mistakes, not
// plans, and keeping them bounded keeps day arithmetic far from overflow.
inline constexpr int32_t kMinYear = 1900;
inline constexpr int32_t kMaxYear = 9999;

// A day in the proleptic Gregorian calendar. Benefits are measured per day at most, so
// neither time of day nor time zone is kept.
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

// Days since 1970-01-01 (negative before). The x axis of every regression here.
int64_t DaysSinceEpoch(const Date& date);
Date DateFromDaysSinceEpoch(int64_t days);
Date AddDays(const Date& date, int64_t days);
// Days from `from` to `to`: positive when `to` is later.
int64_t DaysBetween(const Date& from, const Date& to);
// The same day `months` later; a day past the end of the target month becomes that
// month's last day (2027-01-31 + 1 month = 2027-02-28), as calendars and contracts do.
Date AddMonths(const Date& date, int32_t months);

}  // namespace pmo::benefits::domain
