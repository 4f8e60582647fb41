// Tests of common/base/src/calendar.cpp: Date, Quarter and Period parsing, formatting,
// ordering and day arithmetic. The union of the calendar tests intake, okr and benefits
// kept while each had its own copy of the calendar.
#include "pmo/base/calendar.h"

#include <cstdint>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pmo/testing/status_matchers.h"

namespace pmo::calendar {
namespace {

using ::testing::HasSubstr;
using pmo::testing::StatusIs;

Date Day(int32_t year, int32_t month, int32_t day) { return Date{year, month, day}; }

// --- Quarter ---------------------------------------------------------------------------

TEST(QuarterTest, ParsesAndFormats) {
  auto q = ParseQuarter("2027Q3");
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(*q, (Quarter{2027, 3}));
  EXPECT_EQ(FormatQuarter(*q), "2027Q3");
  EXPECT_EQ(*ParseQuarter("2028q1"), (Quarter{2028, 1}));
}

TEST(QuarterTest, RejectsMalformedText) {
  for (const char* text : {"", "2027", "2027Q", "2027Q5", "2027Q0", "27Q1", "2027-Q1", "2027Q1 ", "abcdQ1"}) {
    EXPECT_THAT(ParseQuarter(text).status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("quarter")))
        << text;
  }
  EXPECT_THAT(ParseQuarter("2027-Q1"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("yyyyQn")));
  EXPECT_THAT(ParseQuarter("2027Q5"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not exist")));
  EXPECT_THAT(ParseQuarter("1899Q4"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not exist")));
}

TEST(QuarterTest, Validity) {
  EXPECT_TRUE(IsValidQuarter(Quarter{2027, 1}));
  EXPECT_TRUE(IsValidQuarter(Quarter{kMaxYear, 4}));
  EXPECT_FALSE(IsValidQuarter(Quarter{}));
  EXPECT_FALSE(IsValidQuarter(Quarter{2027, 0}));
  EXPECT_FALSE(IsValidQuarter(Quarter{2027, 5}));
  EXPECT_FALSE(IsValidQuarter(Quarter{kMinYear - 1, 1}));
  EXPECT_FALSE(IsValidQuarter(Quarter{kMaxYear + 1, 1}));
}

TEST(QuarterTest, OrdersChronologically) {
  EXPECT_LT((Quarter{2027, 4}), (Quarter{2028, 1}));
  EXPECT_LT((Quarter{2027, 1}), (Quarter{2027, 2}));
  EXPECT_EQ((Quarter{2027, 2}), (Quarter{2027, 2}));
}

TEST(QuarterTest, NextAndDistance) {
  EXPECT_EQ(NextQuarter({2027, 4}), (Quarter{2028, 1}));
  EXPECT_EQ(NextQuarter({2027, 2}), (Quarter{2027, 3}));
  EXPECT_EQ(QuarterDistance({2027, 3}, {2028, 2}), 3);
  EXPECT_EQ(QuarterDistance({2028, 2}, {2027, 3}), -3);
  EXPECT_EQ(QuarterDistance({2027, 1}, {2027, 1}), 0);
}

TEST(QuarterTest, RangeAndDays) {
  EXPECT_TRUE(InRange({2027, 2}, {2027, 1}, {2027, 4}));
  EXPECT_TRUE(InRange({2027, 4}, {2027, 1}, {2027, 4}));
  EXPECT_TRUE(InRange({2027, 1}, {2027, 1}, {2027, 4}));
  EXPECT_FALSE(InRange({2028, 1}, {2027, 1}, {2027, 4}));
  EXPECT_FALSE(InRange({2026, 4}, {2027, 1}, {2027, 4}));
  EXPECT_EQ(FirstDayOf(Quarter{2027, 2}), (Date{2027, 4, 1}));
  EXPECT_EQ(LastDayOf(Quarter{2028, 1}), (Date{2028, 3, 31}));
  EXPECT_EQ(LastDayOf(Quarter{2027, 4}), (Date{2027, 12, 31}));
  EXPECT_EQ(LastDayOf(Quarter{2027, 2}), (Date{2027, 6, 30}));
  EXPECT_EQ(QuarterOf({2027, 9, 30}), (Quarter{2027, 3}));
  EXPECT_EQ(QuarterOf({2027, 10, 1}), (Quarter{2027, 4}));
  EXPECT_EQ(QuarterOf({2027, 1, 1}), (Quarter{2027, 1}));
  EXPECT_EQ(QuarterOf({2027, 12, 31}), (Quarter{2027, 4}));
}

// --- Date ------------------------------------------------------------------------------

TEST(DateTest, ParsesAndFormats) {
  auto d = ParseDate("2028-02-29");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, (Date{2028, 2, 29}));
  EXPECT_EQ(FormatDate(*d), "2028-02-29");
  EXPECT_EQ(FormatDate({2027, 1, 5}), "2027-01-05");
  EXPECT_EQ(FormatDate(Day(2027, 3, 5)), "2027-03-05");
  ASSERT_TRUE(ParseDate("2027-04-11").ok());
  EXPECT_EQ(*ParseDate("2027-04-11"), Day(2027, 4, 11));
  EXPECT_EQ(FormatDate(Day(2027, 4, 1)), "2027-04-01");
}

TEST(DateTest, RejectsImpossibleOrMalformedDates) {
  for (const char* text : {"2027-02-29", "2100-02-29", "2027-13-01", "2027-04-31", "2027-00-10", "2027-1-01",
                           "2027/01/01", "20270101", ""}) {
    EXPECT_THAT(ParseDate(text).status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("date"))) << text;
  }
  EXPECT_TRUE(ParseDate("2000-02-29").ok());
  // The message says which: a date that does not exist, or text not in the form.
  EXPECT_THAT(ParseDate("2027-02-29"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not exist")));
  EXPECT_THAT(ParseDate("2027-2-28"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("yyyy-mm-dd")));
  EXPECT_THAT(ParseDate("2027-4-11"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("yyyy-mm-dd")));
}

TEST(DateTest, ValidityAndOrder) {
  EXPECT_FALSE(IsValidDate(Date{}));
  EXPECT_FALSE(IsValidDate(Day(1899, 12, 31)));
  EXPECT_TRUE(IsValidDate(Day(1900, 1, 1)));
  EXPECT_TRUE(IsValidDate(Day(2028, 2, 29)));
  EXPECT_FALSE(IsValidDate(Day(2027, 2, 29)));
  EXPECT_TRUE(IsValidDate(Day(9999, 12, 31)));
  EXPECT_FALSE(IsValidDate(Day(10000, 1, 1)));
  EXPECT_LT(Day(2027, 3, 31), Day(2027, 4, 1));
  EXPECT_LT(Day(2026, 12, 31), Day(2027, 1, 1));
}

TEST(DateTest, DaysSinceEpochRoundTrips) {
  EXPECT_EQ(DaysSinceEpoch({1970, 1, 1}), 0);
  EXPECT_EQ(DaysSinceEpoch({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysSinceEpoch({1969, 12, 31}), -1);
  for (int64_t days : {-25567, -1000, -1, 0, 1, 11016, 20000, 21915, 2932896}) {
    EXPECT_EQ(DaysSinceEpoch(DateFromDaysSinceEpoch(days)), days) << days;
  }
  for (int64_t days = -30000; days <= 30000; days += 97) {
    EXPECT_EQ(DaysSinceEpoch(DateFromDaysSinceEpoch(days)), days) << days;
  }
  EXPECT_EQ(DaysSinceEpoch({2028, 1, 1}) - DaysSinceEpoch({2027, 1, 1}), 365);
  EXPECT_EQ(DaysSinceEpoch(Day(2027, 3, 31)) - DaysSinceEpoch(Day(2027, 3, 1)), 30);
}

TEST(DateTest, AddDaysAndDaysBetween) {
  EXPECT_EQ(AddDays(Day(2027, 1, 1), 100), Day(2027, 4, 11));
  EXPECT_EQ(AddDays(Day(2028, 2, 28), 1), Day(2028, 2, 29));
  EXPECT_EQ(AddDays(Day(2027, 1, 1), -1), Day(2026, 12, 31));
  EXPECT_EQ(DaysBetween(Day(2027, 3, 10), Day(2027, 4, 24)), 45);
  EXPECT_EQ(DaysBetween(Day(2027, 4, 24), Day(2027, 3, 10)), -45);
  EXPECT_EQ(DaysBetween(Day(2027, 4, 24), Day(2027, 4, 24)), 0);
}

TEST(DateTest, AddMonthsClampsToTheLastDayOfTheMonth) {
  EXPECT_EQ(AddMonths(Day(2027, 3, 1), 12), Day(2028, 3, 1));
  EXPECT_EQ(AddMonths(Day(2027, 1, 31), 1), Day(2027, 2, 28));
  EXPECT_EQ(AddMonths(Day(2028, 1, 31), 1), Day(2028, 2, 29));
  EXPECT_EQ(AddMonths(Day(2027, 11, 15), 3), Day(2028, 2, 15));
  EXPECT_EQ(AddMonths(Day(2027, 1, 15), -1), Day(2026, 12, 15));
  EXPECT_EQ(AddMonths(Day(2027, 8, 31), 60), Day(2032, 8, 31));
  EXPECT_EQ(AddMonths(Day(2027, 3, 31), -13), Day(2026, 2, 28));
  EXPECT_EQ(AddMonths(Day(2027, 5, 31), 0), Day(2027, 5, 31));
}

// --- Period ----------------------------------------------------------------------------

TEST(PeriodTest, ParsesQuartersAndYears) {
  EXPECT_EQ(ParsePeriod("2027Q1").value(), (Period{2027, 1}));
  EXPECT_EQ(ParsePeriod("2027q4").value(), (Period{2027, 4}));
  EXPECT_EQ(ParsePeriod("2027").value(), (Period{2027, 0}));
  EXPECT_TRUE(IsWholeYear(ParsePeriod("2027").value()));
  EXPECT_FALSE(IsWholeYear(ParsePeriod("2027Q2").value()));
}

TEST(PeriodTest, RefusesAnythingElse) {
  for (const char* text : {"", "27Q1", "2027Q", "2027Q5", "2027Q0", "2027-Q1", "2027 ", "Q1 2027", "1899", "2027Q12"}) {
    EXPECT_THAT(ParsePeriod(text), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("period"))) << text;
  }
}

TEST(PeriodTest, FormatsAsParsed) {
  EXPECT_EQ(FormatPeriod(Period{2027, 3}), "2027Q3");
  EXPECT_EQ(FormatPeriod(Period{2027, 0}), "2027");
}

TEST(PeriodTest, FirstAndLastDays) {
  EXPECT_EQ(FirstDayOf(Period{2027, 1}), Day(2027, 1, 1));
  EXPECT_EQ(LastDayOf(Period{2027, 1}), Day(2027, 3, 31));
  EXPECT_EQ(FirstDayOf(Period{2027, 2}), Day(2027, 4, 1));
  EXPECT_EQ(LastDayOf(Period{2027, 2}), Day(2027, 6, 30));
  EXPECT_EQ(FirstDayOf(Period{2027, 4}), Day(2027, 10, 1));
  EXPECT_EQ(LastDayOf(Period{2027, 4}), Day(2027, 12, 31));
  EXPECT_EQ(FirstDayOf(Period{2028, 0}), Day(2028, 1, 1));
  EXPECT_EQ(LastDayOf(Period{2028, 0}), Day(2028, 12, 31));
}

TEST(PeriodTest, ValidityAndOrder) {
  EXPECT_TRUE(IsValidPeriod(Period{2027, 0}));
  EXPECT_TRUE(IsValidPeriod(Period{2027, 4}));
  EXPECT_FALSE(IsValidPeriod(Period{2027, 5}));
  EXPECT_FALSE(IsValidPeriod(Period{2027, -1}));
  EXPECT_FALSE(IsValidPeriod(Period{}));
  EXPECT_LT((Period{2027, 0}), (Period{2027, 1}));
  EXPECT_LT((Period{2027, 4}), (Period{2028, 0}));
}

}  // namespace
}  // namespace pmo::calendar
