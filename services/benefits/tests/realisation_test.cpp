#include "services/benefits/domain/realisation.h"

#include <vector>

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::benefits::domain {
namespace {

using testing::At;
using testing::Day;

constexpr double kTolerance = 1e-9;

TEST(RealisationTest, NothingBeforeTheFirstMeasurement) {
  const Realisation r = Realise(testing::IncreaseBenefit(), {});
  EXPECT_EQ(r.direction, Direction::kIncrease);
  EXPECT_EQ(r.measurement_count, 0u);
  EXPECT_FALSE(r.latest.has_value());
  EXPECT_EQ(r.share, 0);
  EXPECT_EQ(r.ratio, 0);
  EXPECT_FALSE(r.trend_per_day.has_value());
  EXPECT_FALSE(r.forecast.has_value());
}

TEST(RealisationTest, IncreaseMeasuresFromBaselineTowardsTarget) {
  // Baseline 10, target 30: 15 is a quarter of the way.
  const std::vector<Measurement> series = {At(0, 10), At(10, 12), At(20, 15)};
  const Realisation r = Realise(testing::IncreaseBenefit(), series);
  EXPECT_EQ(r.direction, Direction::kIncrease);
  ASSERT_TRUE(r.latest.has_value());
  EXPECT_EQ(r.latest->value, 15);
  EXPECT_NEAR(r.ratio, 0.25, kTolerance);
  EXPECT_NEAR(r.share, 0.25, kTolerance);
  // Slope: x̄ = 10, ȳ = 37/3, Sxx = 200, Sxy = (−10)(10 − 37/3) + 0 + 10(15 − 37/3) = 50, b = 0.25.
  ASSERT_TRUE(r.trend_per_day.has_value());
  EXPECT_NEAR(*r.trend_per_day, 0.25, kTolerance);
  ASSERT_TRUE(r.forecast.has_value());
  EXPECT_EQ(r.forecast->at, Day(2027, 4, 11));
}

TEST(RealisationTest, DecreaseMeasuresTheFallAsProgress) {
  // Baseline 100, target 60: 80 is half way, 70 three quarters.
  const Benefit b = testing::DecreaseBenefit();
  Realisation r = Realise(b, std::vector<Measurement>{At(0, 100), At(10, 80)});
  EXPECT_EQ(r.direction, Direction::kDecrease);
  EXPECT_NEAR(r.ratio, 0.5, kTolerance);
  EXPECT_NEAR(r.share, 0.5, kTolerance);
  ASSERT_TRUE(r.trend_per_day.has_value());
  EXPECT_NEAR(*r.trend_per_day, -2, kTolerance);  // falling, which is the right way
  EXPECT_FALSE(r.forecast.has_value());           // two points only
  r = Realise(b, std::vector<Measurement>{At(0, 70)});
  EXPECT_NEAR(r.share, 0.75, kTolerance);
}

TEST(RealisationTest, ShareIsClampedRatioIsNot) {
  const Benefit up = testing::IncreaseBenefit();  // 10 -> 30
  Realisation r = Realise(up, std::vector<Measurement>{At(0, 36)});
  EXPECT_NEAR(r.ratio, 1.3, kTolerance);
  EXPECT_EQ(r.share, 1);
  r = Realise(up, std::vector<Measurement>{At(0, 6)});
  EXPECT_NEAR(r.ratio, -0.2, kTolerance);
  EXPECT_EQ(r.share, 0);

  const Benefit down = testing::DecreaseBenefit();  // 100 -> 60
  r = Realise(down, std::vector<Measurement>{At(0, 50)});
  EXPECT_NEAR(r.ratio, 1.25, kTolerance);
  EXPECT_EQ(r.share, 1);
  r = Realise(down, std::vector<Measurement>{At(0, 110)});
  EXPECT_NEAR(r.ratio, -0.25, kTolerance);
  EXPECT_EQ(r.share, 0);
}

TEST(RealisationTest, LatestIsTheLastByDate) {
  const std::vector<Measurement> series = {At(0, 10), {14, Day(2027, 1, 11), "a"}, {20, Day(2027, 1, 11), "b"}};
  const Realisation r = Realise(testing::IncreaseBenefit(), series);
  ASSERT_TRUE(r.latest.has_value());
  EXPECT_EQ(r.latest->source_id, "b");
  EXPECT_NEAR(r.share, 0.5, kTolerance);
}

TEST(DirectionTest, FollowsBaselineAndTarget) {
  EXPECT_EQ(DirectionOf(testing::IncreaseBenefit()), Direction::kIncrease);
  EXPECT_EQ(DirectionOf(testing::DecreaseBenefit()), Direction::kDecrease);
  EXPECT_TRUE(MeetsTarget(testing::IncreaseBenefit(), 30));
  EXPECT_FALSE(MeetsTarget(testing::IncreaseBenefit(), 29.9));
  EXPECT_TRUE(MeetsTarget(testing::DecreaseBenefit(), 60));
  EXPECT_FALSE(MeetsTarget(testing::DecreaseBenefit(), 60.1));
  EXPECT_EQ(DirectionName(Direction::kDecrease), "DECREASE");
}

TEST(NamesTest, RoundTrip) {
  for (auto c : {BenefitCategory::kFinancial, BenefitCategory::kStrategic, BenefitCategory::kOperational,
                 BenefitCategory::kCustomer}) {
    EXPECT_EQ(ParseCategory(CategoryName(c)), c);
  }
  for (auto i : {Indicator::kLeading, Indicator::kLagging}) EXPECT_EQ(ParseIndicator(IndicatorName(i)), i);
  EXPECT_FALSE(ParseCategory("financial").has_value());
  EXPECT_EQ(FormatMoney(Money{123456, "EUR"}), "1234.56 EUR");
  EXPECT_EQ(FormatMoney(Money{-5, "EUR"}), "-0.05 EUR");
}

}  // namespace
}  // namespace pmo::benefits::domain
