#include "services/okr/domain/calendar.h"

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::okr::domain {
namespace {

using ::testing::HasSubstr;
using testing::Day;
using testing::StatusIs;

TEST(PeriodTest, ParsesQuartersAndYears) {
  EXPECT_EQ(ParsePeriod("2027Q1").value(), (Period{2027, 1}));
  EXPECT_EQ(ParsePeriod("2027q4").value(), (Period{2027, 4}));
  EXPECT_EQ(ParsePeriod("2027").value(), (Period{2027, 0}));
  EXPECT_TRUE(IsWholeYear(ParsePeriod("2027").value()));
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

TEST(DateTest, ParsesFormatsAndValidates) {
  EXPECT_EQ(ParseDate("2028-02-29").value(), Day(2028, 2, 29));
  EXPECT_THAT(ParseDate("2027-02-29"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not exist")));
  EXPECT_THAT(ParseDate("2027-2-28"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("yyyy-mm-dd")));
  EXPECT_EQ(FormatDate(Day(2027, 3, 5)), "2027-03-05");
  EXPECT_FALSE(IsValidDate(Date{}));
  EXPECT_LT(Day(2027, 3, 31), Day(2027, 4, 1));
}

TEST(DateTest, DayArithmeticRoundTrips) {
  EXPECT_EQ(DaysSinceEpoch(Day(1970, 1, 1)), 0);
  EXPECT_EQ(DaysSinceEpoch(Day(2027, 3, 31)) - DaysSinceEpoch(Day(2027, 3, 1)), 30);
  for (int64_t d : {-1000, 0, 20000, 2932896}) {
    EXPECT_EQ(DaysSinceEpoch(DateFromDaysSinceEpoch(d)), d);
  }
}

}  // namespace
}  // namespace pmo::okr::domain
