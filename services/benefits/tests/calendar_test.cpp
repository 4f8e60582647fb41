#include "services/benefits/domain/calendar.h"

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::benefits::domain {
namespace {

using testing::Day;
using ::testing::HasSubstr;
using testing::StatusIs;

TEST(CalendarTest, DaysSinceEpochRoundTrips) {
  EXPECT_EQ(DaysSinceEpoch(Day(1970, 1, 1)), 0);
  EXPECT_EQ(DaysSinceEpoch(Day(1969, 12, 31)), -1);
  EXPECT_EQ(DaysSinceEpoch(Day(2000, 3, 1)), 11017);
  for (int64_t d = -30000; d <= 30000; d += 97) {
    EXPECT_EQ(DaysSinceEpoch(DateFromDaysSinceEpoch(d)), d);
  }
}

TEST(CalendarTest, AddDaysAndDaysBetween) {
  EXPECT_EQ(AddDays(Day(2027, 1, 1), 100), Day(2027, 4, 11));
  EXPECT_EQ(AddDays(Day(2028, 2, 28), 1), Day(2028, 2, 29));
  EXPECT_EQ(AddDays(Day(2027, 1, 1), -1), Day(2026, 12, 31));
  EXPECT_EQ(DaysBetween(Day(2027, 3, 10), Day(2027, 4, 24)), 45);
  EXPECT_EQ(DaysBetween(Day(2027, 4, 24), Day(2027, 3, 10)), -45);
}

TEST(CalendarTest, AddMonthsClampsToTheLastDayOfTheMonth) {
  EXPECT_EQ(AddMonths(Day(2027, 3, 1), 12), Day(2028, 3, 1));
  EXPECT_EQ(AddMonths(Day(2027, 1, 31), 1), Day(2027, 2, 28));
  EXPECT_EQ(AddMonths(Day(2028, 1, 31), 1), Day(2028, 2, 29));
  EXPECT_EQ(AddMonths(Day(2027, 11, 15), 3), Day(2028, 2, 15));
  EXPECT_EQ(AddMonths(Day(2027, 1, 15), -1), Day(2026, 12, 15));
  EXPECT_EQ(AddMonths(Day(2027, 8, 31), 60), Day(2032, 8, 31));
}

TEST(CalendarTest, ParseAndFormat) {
  ASSERT_TRUE(ParseDate("2027-04-11").ok());
  EXPECT_EQ(*ParseDate("2027-04-11"), Day(2027, 4, 11));
  EXPECT_EQ(FormatDate(Day(2027, 4, 1)), "2027-04-01");
  EXPECT_THAT(ParseDate("2027-4-11"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("yyyy-mm-dd")));
  EXPECT_THAT(ParseDate("2027-02-29"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not exist")));
  EXPECT_FALSE(IsValidDate(Day(1899, 12, 31)));
  EXPECT_TRUE(IsValidDate(Day(2028, 2, 29)));
}

}  // namespace
}  // namespace pmo::benefits::domain
