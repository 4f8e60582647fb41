#include "pmo/base/calendar.h"

#include <cctype>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"

namespace pmo::calendar {
namespace {

bool IsLeap(int32_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int32_t DaysInMonth(int32_t year, int32_t month) {
  static constexpr int32_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeap(year)) return 29;
  return kDays[month - 1];
}

// Reads exactly `width` decimal digits; false on anything else.
bool ReadDigits(std::string_view text, size_t pos, size_t width, int32_t& out) {
  if (pos + width > text.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

bool IsValidDate(const Date& date) {
  return date.year >= kMinYear && date.year <= kMaxYear && date.month >= 1 && date.month <= 12 &&
         date.day >= 1 && date.day <= DaysInMonth(date.year, date.month);
}

absl::StatusOr<Date> ParseDate(std::string_view text) {
  Date date;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ReadDigits(text, 0, 4, date.year) ||
      !ReadDigits(text, 5, 2, date.month) || !ReadDigits(text, 8, 2, date.day)) {
    return absl::InvalidArgumentError(absl::StrCat("date \"", AbslView(text), "\" is not in yyyy-mm-dd form"));
  }
  if (!IsValidDate(date)) {
    return absl::InvalidArgumentError(absl::StrCat("date \"", AbslView(text), "\" does not exist"));
  }
  return date;
}

std::string FormatDate(const Date& date) {
  return absl::StrCat(absl::Dec(date.year, absl::kZeroPad4), "-", absl::Dec(date.month, absl::kZeroPad2), "-",
                      absl::Dec(date.day, absl::kZeroPad2));
}

// Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date.
int64_t DaysSinceEpoch(const Date& date) {
  const int64_t y = static_cast<int64_t>(date.year) - (date.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t m = date.month;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + date.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date DateFromDaysSinceEpoch(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return Date{static_cast<int32_t>(y), static_cast<int32_t>(m), static_cast<int32_t>(d)};
}

bool IsValidQuarter(const Quarter& quarter) {
  return quarter.year >= kMinYear && quarter.year <= kMaxYear && quarter.q >= 1 && quarter.q <= 4;
}

absl::StatusOr<Quarter> ParseQuarter(std::string_view text) {
  Quarter quarter;
  if (text.size() != 6 || (text[4] != 'Q' && text[4] != 'q') || !ReadDigits(text, 0, 4, quarter.year) ||
      !ReadDigits(text, 5, 1, quarter.q)) {
    return absl::InvalidArgumentError(absl::StrCat("quarter \"", AbslView(text), "\" is not in yyyyQn form"));
  }
  if (!IsValidQuarter(quarter)) {
    return absl::InvalidArgumentError(absl::StrCat("quarter \"", AbslView(text), "\" does not exist"));
  }
  return quarter;
}

std::string FormatQuarter(const Quarter& quarter) {
  return absl::StrCat(absl::Dec(quarter.year, absl::kZeroPad4), "Q", quarter.q);
}

Quarter NextQuarter(const Quarter& quarter) {
  if (quarter.q >= 4) return Quarter{quarter.year + 1, 1};
  return Quarter{quarter.year, quarter.q + 1};
}

int32_t QuarterDistance(const Quarter& from, const Quarter& to) {
  return (to.year - from.year) * 4 + (to.q - from.q);
}

bool InRange(const Quarter& quarter, const Quarter& first, const Quarter& last) {
  return first <= quarter && quarter <= last;
}

Quarter QuarterOf(const Date& date) { return Quarter{date.year, (date.month - 1) / 3 + 1}; }

Date FirstDayOf(const Quarter& quarter) { return Date{quarter.year, (quarter.q - 1) * 3 + 1, 1}; }

Date LastDayOf(const Quarter& quarter) {
  const int32_t month = quarter.q * 3;
  return Date{quarter.year, month, DaysInMonth(quarter.year, month)};
}

Date AddDays(const Date& date, int64_t days) { return DateFromDaysSinceEpoch(DaysSinceEpoch(date) + days); }

int64_t DaysBetween(const Date& from, const Date& to) { return DaysSinceEpoch(to) - DaysSinceEpoch(from); }

Date AddMonths(const Date& date, int32_t months) {
  const int64_t index = static_cast<int64_t>(date.year) * 12 + (date.month - 1) + months;
  // Floor division, so negative month counts step back across year boundaries.
  const int64_t year = index >= 0 ? index / 12 : (index - 11) / 12;
  const auto month = static_cast<int32_t>(index - year * 12 + 1);
  const auto y = static_cast<int32_t>(year);
  const int32_t last = DaysInMonth(y, month);
  return Date{y, month, date.day > last ? last : date.day};
}


bool IsValidPeriod(const Period& period) {
  return period.year >= kMinYear && period.year <= kMaxYear && period.quarter >= 0 && period.quarter <= 4;
}

bool IsWholeYear(const Period& period) { return period.quarter == 0; }

absl::StatusOr<Period> ParsePeriod(std::string_view text) {
  Period period;
  const bool year_only = text.size() == 4 && ReadDigits(text, 0, 4, period.year);
  const bool quarter = text.size() == 6 && (text[4] == 'Q' || text[4] == 'q') && ReadDigits(text, 0, 4, period.year) &&
                       ReadDigits(text, 5, 1, period.quarter);
  if (!year_only && !quarter) {
    return absl::InvalidArgumentError(
        absl::StrCat("period \"", AbslView(text), "\" is neither a quarter (yyyyQn) nor a year (yyyy)"));
  }
  if (quarter && period.quarter == 0) {
    // "2027Q0" is not a quarter; a whole year is written "2027".
    return absl::InvalidArgumentError(absl::StrCat("period \"", AbslView(text), "\" does not exist"));
  }
  if (!IsValidPeriod(period)) {
    return absl::InvalidArgumentError(absl::StrCat("period \"", AbslView(text), "\" does not exist"));
  }
  return period;
}

std::string FormatPeriod(const Period& period) {
  if (IsWholeYear(period)) return absl::StrCat(absl::Dec(period.year, absl::kZeroPad4));
  return absl::StrCat(absl::Dec(period.year, absl::kZeroPad4), "Q", period.quarter);
}

Date FirstDayOf(const Period& period) {
  if (IsWholeYear(period)) return Date{period.year, 1, 1};
  return Date{period.year, (period.quarter - 1) * 3 + 1, 1};
}

Date LastDayOf(const Period& period) {
  if (IsWholeYear(period)) return Date{period.year, 12, 31};
  const int32_t month = period.quarter * 3;
  return Date{period.year, month, DaysInMonth(period.year, month)};
}

}  // namespace pmo::calendar
