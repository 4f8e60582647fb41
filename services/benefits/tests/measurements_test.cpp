#include "services/benefits/domain/measurements.h"

#include <limits>

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::benefits::domain {
namespace {

using testing::Day;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using testing::StatusIs;
using testing::ViolationFields;

const Date kToday = Day(2027, 6, 1);

std::vector<std::string> SourcesOf(const MeasurementSeries& series) {
  std::vector<std::string> ids;
  for (const Measurement& m : series) ids.push_back(m.source_id);
  return ids;
}

TEST(ApplyMeasurementTest, PlacesOutOfOrderArrivalsByAsOf) {
  MeasurementSeries series;
  for (const Measurement& m : {Measurement{3, Day(2027, 3, 1), "c"}, Measurement{1, Day(2027, 1, 1), "a"},
                               Measurement{4, Day(2027, 4, 1), "d"}, Measurement{2, Day(2027, 2, 1), "b"}}) {
    ASSERT_EQ(*ApplyMeasurement(series, m, kToday), ApplyOutcome::kApplied);
  }
  EXPECT_THAT(SourcesOf(series), ElementsAre("a", "b", "c", "d"));
  EXPECT_THAT(series, ElementsAre(Field(&Measurement::value, 1), Field(&Measurement::value, 2),
                                  Field(&Measurement::value, 3), Field(&Measurement::value, 4)));
}

TEST(ApplyMeasurementTest, SameDateKeepsArrivalOrderSoTheLastAppliedIsLatest) {
  MeasurementSeries series;
  ASSERT_TRUE(ApplyMeasurement(series, {5, Day(2027, 2, 1), "late"}, kToday).ok());
  ASSERT_TRUE(ApplyMeasurement(series, {1, Day(2027, 1, 1), "first"}, kToday).ok());
  ASSERT_TRUE(ApplyMeasurement(series, {6, Day(2027, 2, 1), "later"}, kToday).ok());
  EXPECT_THAT(SourcesOf(series), ElementsAre("first", "late", "later"));
}

TEST(ApplyMeasurementTest, TheSameSourceIdIsAppliedOnce) {
  MeasurementSeries series;
  const Measurement m{7, Day(2027, 2, 1), "meter-42"};
  EXPECT_EQ(*ApplyMeasurement(series, m, kToday), ApplyOutcome::kApplied);
  EXPECT_EQ(*ApplyMeasurement(series, m, kToday), ApplyOutcome::kDuplicate);
  // A redelivery with another value or date is still the same observation: first one stands.
  EXPECT_EQ(*ApplyMeasurement(series, {9, Day(2027, 3, 1), "meter-42"}, kToday), ApplyOutcome::kDuplicate);
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0], m);
}

TEST(ApplyMeasurementTest, RefusesNonFiniteValuesAndLeavesTheSeriesAlone) {
  MeasurementSeries series = {{1, Day(2027, 1, 1), "a"}};
  const auto result = ApplyMeasurement(series, {std::numeric_limits<double>::infinity(), Day(2027, 2, 1), "b"}, kToday);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("value: must be a finite number")));
  EXPECT_THAT(ViolationFields(result), ElementsAre("value"));
  EXPECT_EQ(series.size(), 1u);
}

TEST(ApplyMeasurementTest, RefusesDatesMoreThanOneDayAhead) {
  MeasurementSeries series;
  EXPECT_THAT(ApplyMeasurement(series, {1, Day(2027, 6, 3), "a"}, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of: 2027-06-03 is in the future")));
  EXPECT_TRUE(series.empty());
  EXPECT_EQ(*ApplyMeasurement(series, {1, Day(2027, 6, 2), "a"}, kToday), ApplyOutcome::kApplied);
}

TEST(ApplyMeasurementTest, AnInvalidRedeliveryIsRefusedNotReportedAsDuplicate) {
  MeasurementSeries series = {{1, Day(2027, 1, 1), "a"}};
  EXPECT_THAT(ApplyMeasurement(series, {std::numeric_limits<double>::quiet_NaN(), Day(2027, 1, 1), "a"}, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("finite")));
}

}  // namespace
}  // namespace pmo::benefits::domain
