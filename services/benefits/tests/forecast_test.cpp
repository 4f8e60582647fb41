#include "services/benefits/domain/forecast.h"

#include <cmath>
#include <vector>

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::benefits::domain {
namespace {

using testing::At;
using testing::Day;

constexpr double kTolerance = 1e-4;

// Four points, x in days after 2027-01-01:
//   x:  0   10   20   30        y: 10  12  15  16
//   x̄ = 15, ȳ = 13.25
//   x − x̄: −15  −5   5  15      y − ȳ: −3.25  −1.25  1.75  2.75
//   Sxx = 225 + 25 + 25 + 225 = 500
//   Sxy = 48.75 + 6.25 + 8.75 + 41.25 = 105
//   b = 105 / 500 = 0.21 per day, a = 13.25 − 0.21·15 = 10.1
//   fitted 10.1  12.2  14.3  16.4, residuals −0.1 −0.2 0.7 −0.4
//   SSE = 0.01 + 0.04 + 0.49 + 0.16 = 0.70, s² = 0.70 / 2 = 0.35
// Forecast at 2027-04-11, x₀ = 100:
//   ŷ₀ = 10.1 + 0.21·100 = 31.1
//   se = sqrt(0.35 · (1 + 1/4 + (100 − 15)²/500)) = sqrt(0.35 · 15.7) = sqrt(5.495) = 2.344141
//   t_{0.90, 2} = 1.8856, half-width = 1.8856 · 2.344141 = 4.420113
//   interval 26.679887 .. 35.520113
std::vector<Measurement> HandComputedSeries() { return {At(0, 10), At(10, 12), At(20, 15), At(30, 16)}; }

TEST(FitLineTest, MatchesTheHandComputedRegression) {
  const auto fit = FitLine(HandComputedSeries());
  ASSERT_TRUE(fit.has_value());
  EXPECT_EQ(fit->points, 4u);
  EXPECT_EQ(fit->origin, Day(2027, 1, 1));
  EXPECT_NEAR(fit->mean_x, 15, kTolerance);
  EXPECT_NEAR(fit->mean_y, 13.25, kTolerance);
  EXPECT_NEAR(fit->sxx, 500, kTolerance);
  EXPECT_NEAR(fit->slope, 0.21, kTolerance);
  EXPECT_NEAR(fit->intercept, 10.1, kTolerance);
  EXPECT_NEAR(fit->residual_sd, std::sqrt(0.35), kTolerance);
  EXPECT_NEAR(fit->ValueAt(Day(2027, 4, 11)), 31.1, kTolerance);
}

TEST(FitLineTest, OrderOfInputDoesNotMatter) {
  const auto fit = FitLine(std::vector<Measurement>{At(20, 15), At(0, 10), At(30, 16), At(10, 12)});
  ASSERT_TRUE(fit.has_value());
  EXPECT_NEAR(fit->slope, 0.21, kTolerance);
  EXPECT_NEAR(fit->intercept, 10.1, kTolerance);
}

TEST(FitLineTest, NeedsTwoPointsOnTwoDates) {
  EXPECT_FALSE(FitLine(std::vector<Measurement>{}).has_value());
  EXPECT_FALSE(FitLine(std::vector<Measurement>{At(0, 1)}).has_value());
  const std::vector<Measurement> same_day = {
      {1, Day(2027, 1, 1), "a"}, {2, Day(2027, 1, 1), "b"}, {3, Day(2027, 1, 1), "c"}};
  EXPECT_FALSE(FitLine(same_day).has_value());
  const auto two = FitLine(std::vector<Measurement>{At(0, 1), At(4, 3)});
  ASSERT_TRUE(two.has_value());
  EXPECT_NEAR(two->slope, 0.5, kTolerance);
  EXPECT_EQ(two->residual_sd, 0);
}

TEST(ForecastTest, MatchesTheHandComputedInterval) {
  const auto forecast = ForecastAt(HandComputedSeries(), Day(2027, 4, 11));
  ASSERT_TRUE(forecast.has_value());
  EXPECT_EQ(forecast->at, Day(2027, 4, 11));
  EXPECT_EQ(forecast->points, 4u);
  EXPECT_NEAR(forecast->value, 31.1, kTolerance);
  EXPECT_NEAR(forecast->lower, 26.679887, kTolerance);
  EXPECT_NEAR(forecast->upper, 35.520113, kTolerance);
}

TEST(ForecastTest, IntervalWidensAwayFromTheData) {
  const auto near = ForecastAt(HandComputedSeries(), Day(2027, 1, 16));  // x₀ = x̄
  const auto far = ForecastAt(HandComputedSeries(), Day(2027, 12, 31));
  ASSERT_TRUE(near && far);
  // At x̄: se = sqrt(0.35 · 1.25) = 0.661438, half-width 1.8856 · 0.661438 = 1.247207.
  EXPECT_NEAR(near->upper - near->value, 1.247207, kTolerance);
  EXPECT_GT(far->upper - far->lower, near->upper - near->lower);
}

TEST(ForecastTest, NoForecastBelowThreePoints) {
  EXPECT_FALSE(ForecastAt(std::vector<Measurement>{At(0, 10), At(10, 12)}, Day(2027, 4, 11)).has_value());
  EXPECT_TRUE(ForecastAt(std::vector<Measurement>{At(0, 10), At(10, 12), At(20, 15)}, Day(2027, 4, 11)).has_value());
}

TEST(ForecastTest, APerfectFitHasAZeroWidthInterval) {
  const auto forecast = ForecastAt(std::vector<Measurement>{At(0, 1), At(1, 2), At(2, 3)}, Day(2027, 1, 11));
  ASSERT_TRUE(forecast.has_value());
  EXPECT_NEAR(forecast->value, 11, kTolerance);
  EXPECT_NEAR(forecast->lower, 11, kTolerance);
  EXPECT_NEAR(forecast->upper, 11, kTolerance);
}

TEST(ForecastTest, ManyPointsUseTheNormalQuantile) {
  // y = x + (−1)^x over x = 0..39: 40 points, dof 38 > 30.
  std::vector<Measurement> series;
  for (int x = 0; x < 40; ++x) series.push_back(At(x, x + (x % 2 == 0 ? 1.0 : -1.0)));
  const auto fit = FitLine(series);
  const auto forecast = ForecastAt(series, Day(2027, 1, 1));
  ASSERT_TRUE(fit && forecast);
  const double mean_x = 19.5;
  const double se = fit->residual_sd * std::sqrt(1 + 1.0 / 40 + mean_x * mean_x / fit->sxx);
  EXPECT_NEAR(forecast->upper - forecast->value, 1.2816 * se, 1e-9);
}

TEST(TQuantileTest, TableAndNormalTail) {
  EXPECT_DOUBLE_EQ(TQuantile90(1), 3.0777);
  EXPECT_DOUBLE_EQ(TQuantile90(2), 1.8856);
  EXPECT_DOUBLE_EQ(TQuantile90(10), 1.3722);
  EXPECT_DOUBLE_EQ(TQuantile90(30), 1.3104);
  EXPECT_DOUBLE_EQ(TQuantile90(31), 1.2816);
  EXPECT_DOUBLE_EQ(TQuantile90(10000), 1.2816);
  for (int64_t dof = 1; dof < 31; ++dof) EXPECT_GT(TQuantile90(dof), TQuantile90(dof + 1)) << dof;
}

}  // namespace
}  // namespace pmo::benefits::domain
