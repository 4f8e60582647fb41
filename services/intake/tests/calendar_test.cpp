#include "services/intake/domain/calendar.h"

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::intake::domain {
namespace {

using ::testing::HasSubstr;
using testing::StatusIs;

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
  EXPECT_FALSE(InRange({2028, 1}, {2027, 1}, {2027, 4}));
  EXPECT_EQ(FirstDayOf(Quarter{2027, 2}), (Date{2027, 4, 1}));
  EXPECT_EQ(LastDayOf(Quarter{2028, 1}), (Date{2028, 3, 31}));
  EXPECT_EQ(LastDayOf(Quarter{2027, 4}), (Date{2027, 12, 31}));
  EXPECT_EQ(QuarterOf({2027, 9, 30}), (Quarter{2027, 3}));
  EXPECT_EQ(QuarterOf({2027, 10, 1}), (Quarter{2027, 4}));
}

TEST(DateTest, ParsesAndFormats) {
  auto d = ParseDate("2028-02-29");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, (Date{2028, 2, 29}));
  EXPECT_EQ(FormatDate(*d), "2028-02-29");
  EXPECT_EQ(FormatDate({2027, 1, 5}), "2027-01-05");
}

TEST(DateTest, RejectsImpossibleOrMalformedDates) {
  for (const char* text : {"2027-02-29", "2100-02-29", "2027-13-01", "2027-04-31", "2027-00-10", "2027-1-01",
                           "2027/01/01", "20270101", ""}) {
    EXPECT_THAT(ParseDate(text).status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("date"))) << text;
  }
  EXPECT_TRUE(ParseDate("2000-02-29").ok());
}

TEST(DateTest, DaysSinceEpochRoundTrips) {
  EXPECT_EQ(DaysSinceEpoch({1970, 1, 1}), 0);
  EXPECT_EQ(DaysSinceEpoch({2000, 3, 1}), 11017);
  EXPECT_EQ(DaysSinceEpoch({1969, 12, 31}), -1);
  for (int64_t days : {-25567, -1, 0, 1, 11016, 20000, 21915, 2932896}) {
    EXPECT_EQ(DaysSinceEpoch(DateFromDaysSinceEpoch(days)), days) << days;
  }
  EXPECT_EQ(DaysSinceEpoch({2028, 1, 1}) - DaysSinceEpoch({2027, 1, 1}), 365);
}

}  // namespace
}  // namespace pmo::intake::domain
