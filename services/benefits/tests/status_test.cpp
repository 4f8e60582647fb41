#include "services/benefits/domain/status.h"

#include <vector>

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::benefits::domain {
namespace {

using ::testing::AllOf;
using testing::At;
using testing::Day;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Before any delivery, so rule 1 (STALE) cannot apply.
StatusContext Undelivered() { return StatusContext{Day(2027, 3, 1), std::nullopt, kDefaultStaleAfterDays}; }

Benefit WithTarget(double target) {
  Benefit b = testing::IncreaseBenefit();
  b.target = target;
  return b;
}

// The series of forecast_test.cpp: forecast 31.1 at 2027-04-11, 80 % interval
// 26.679887 .. 35.520113 (the arithmetic is written out there). None of the values
// (10, 12, 15, 16) reaches any target below, so rules 3 and 4 stay out of the way.
std::vector<Measurement> HandComputedSeries() { return {At(0, 10), At(10, 12), At(20, 15), At(30, 16)}; }

// --- rule 2: NOT_STARTED -----------------------------------------------------------

TEST(StatusTest, NotStartedBeforeTheFirstMeasurement) {
  const StatusEvaluation e = EvaluateStatus(testing::IncreaseBenefit(), {}, Undelivered());
  EXPECT_EQ(e.status, BenefitStatus::kNotStarted);
  EXPECT_THAT(e.reason, StartsWith("not started:"));
}

// --- rule 5: the forecast interval against the target ---------------------------------

TEST(StatusTest, OnTrackWhenTheWholeIntervalMeetsTheTarget) {
  const StatusEvaluation e = EvaluateStatus(WithTarget(25), HandComputedSeries(), Undelivered());
  EXPECT_EQ(e.status, BenefitStatus::kOnTrack);
  EXPECT_THAT(e.reason, AllOf(StartsWith("forecast:"), HasSubstr("26.6799..35.5201"), HasSubstr("2027-04-11"),
                              HasSubstr("at or above the target 25")));
}

TEST(StatusTest, AtRiskWhenTheIntervalStraddlesTheTarget) {
  const StatusEvaluation e = EvaluateStatus(WithTarget(30), HandComputedSeries(), Undelivered());
  EXPECT_EQ(e.status, BenefitStatus::kAtRisk);
  EXPECT_THAT(e.reason, HasSubstr("straddles the target 30"));
}

TEST(StatusTest, OffTrackWhenTheWholeIntervalMissesTheTarget) {
  const StatusEvaluation e = EvaluateStatus(WithTarget(40), HandComputedSeries(), Undelivered());
  EXPECT_EQ(e.status, BenefitStatus::kOffTrack);
  EXPECT_THAT(e.reason, HasSubstr("misses the target 40 entirely"));
}

TEST(StatusTest, ForecastRuleIsDirectionAware) {
  // The mirror image y' = 110 − y: 100, 98, 95, 94; forecast 78.9, interval 74.48 .. 83.32.
  const std::vector<Measurement> series = {At(0, 100), At(10, 98), At(20, 95), At(30, 94)};
  Benefit b = testing::DecreaseBenefit();  // baseline 100
  b.target = 85;
  EXPECT_EQ(EvaluateStatus(b, series, Undelivered()).status, BenefitStatus::kOnTrack);
  b.target = 80;
  EXPECT_EQ(EvaluateStatus(b, series, Undelivered()).status, BenefitStatus::kAtRisk);
  b.target = 70;
  EXPECT_EQ(EvaluateStatus(b, series, Undelivered()).status, BenefitStatus::kOffTrack);
}

// --- rule 6: fewer than three points, the straight planned path ------------------------

// Baseline 10 on 2027-01-01, target 30 on 2027-04-11 (day 100): on day 50 the path
// stands at 20 (p = 0.5); AT_RISK down to 18 (r = 0.4), OFF_TRACK below.
TEST(StatusTest, PathRuleWithTwoPoints) {
  const Benefit b = testing::IncreaseBenefit();
  auto status_at_day_50 = [&](double value) {
    return EvaluateStatus(b, std::vector<Measurement>{At(0, 10), At(50, value)}, Undelivered());
  };
  const StatusEvaluation on = status_at_day_50(20);
  EXPECT_EQ(on.status, BenefitStatus::kOnTrack);
  EXPECT_THAT(on.reason, AllOf(StartsWith("path:"), HasSubstr("latest 20 on 2027-02-20 against 20 planned")));
  EXPECT_EQ(status_at_day_50(25).status, BenefitStatus::kOnTrack);
  EXPECT_EQ(status_at_day_50(19).status, BenefitStatus::kAtRisk);
  EXPECT_EQ(status_at_day_50(18).status, BenefitStatus::kAtRisk);
  const StatusEvaluation off = status_at_day_50(17.9);
  EXPECT_EQ(off.status, BenefitStatus::kOffTrack);
  EXPECT_THAT(off.reason, HasSubstr("by more than 10 % of the span"));
}

TEST(StatusTest, PathRuleWithOnePointComparesWithTheBaseline) {
  const Benefit b = testing::IncreaseBenefit();  // the path starts at the baseline, p = 0
  EXPECT_EQ(EvaluateStatus(b, std::vector<Measurement>{At(0, 10)}, Undelivered()).status, BenefitStatus::kOnTrack);
  EXPECT_EQ(EvaluateStatus(b, std::vector<Measurement>{At(0, 8)}, Undelivered()).status, BenefitStatus::kAtRisk);
  EXPECT_EQ(EvaluateStatus(b, std::vector<Measurement>{At(0, 7)}, Undelivered()).status, BenefitStatus::kOffTrack);
}

TEST(StatusTest, PathRuleAfterTheTargetDateWantsTheTarget) {
  const Benefit b = testing::DecreaseBenefit();  // 100 -> 60 by day 100
  // First measurement after the target date: p = 1. 63 is r = 0.925, behind by 0.075.
  EXPECT_EQ(EvaluateStatus(b, std::vector<Measurement>{At(120, 63)}, Undelivered()).status, BenefitStatus::kAtRisk);
  // Day 50 of 100 for a decrease: the path stands at 80.
  EXPECT_EQ(EvaluateStatus(b, std::vector<Measurement>{At(0, 100), At(50, 79)}, Undelivered()).status,
            BenefitStatus::kOnTrack);
  EXPECT_EQ(EvaluateStatus(b, std::vector<Measurement>{At(0, 100), At(50, 90)}, Undelivered()).status,
            BenefitStatus::kOffTrack);
}

TEST(StatusTest, ThreePointsOnOneDateFallBackToThePath) {
  const std::vector<Measurement> series = {
      {10, Day(2027, 1, 1), "a"}, {11, Day(2027, 1, 1), "b"}, {10, Day(2027, 1, 1), "c"}};
  const StatusEvaluation e = EvaluateStatus(testing::IncreaseBenefit(), series, Undelivered());
  EXPECT_EQ(e.status, BenefitStatus::kOnTrack);
  EXPECT_THAT(e.reason, StartsWith("path:"));
}

// --- rules 3 and 4: REALISED and erosion --------------------------------------------

TEST(StatusTest, RealisedWhenTheTargetIsMetOnTwoConsecutiveMeasurements) {
  const Benefit b = WithTarget(15);
  const StatusEvaluation e =
      EvaluateStatus(b, std::vector<Measurement>{At(0, 10), At(10, 15), At(20, 16)}, Undelivered());
  EXPECT_EQ(e.status, BenefitStatus::kRealised);
  EXPECT_THAT(e.reason, AllOf(StartsWith("realised:"), HasSubstr("first on 2027-01-21"), HasSubstr("still meets")));
}

TEST(StatusTest, OneMeasurementAtTheTargetIsNotYetRealised) {
  const Benefit b = WithTarget(15);
  EXPECT_NE(EvaluateStatus(b, std::vector<Measurement>{At(0, 10), At(10, 12), At(20, 15)}, Undelivered()).status,
            BenefitStatus::kRealised);
  EXPECT_NE(EvaluateStatus(b, std::vector<Measurement>{At(0, 15), At(10, 14), At(20, 15)}, Undelivered()).status,
            BenefitStatus::kRealised);
}

TEST(StatusTest, RealisedForADecrease) {
  const Benefit b = testing::DecreaseBenefit();  // 100 -> 60
  EXPECT_EQ(EvaluateStatus(b, std::vector<Measurement>{At(0, 60), At(10, 55)}, Undelivered()).status,
            BenefitStatus::kRealised);
}

TEST(StatusTest, ErosionAfterRealisationIsAtRiskWithThatReason) {
  const Benefit b = WithTarget(15);
  std::vector<Measurement> series = {At(0, 10), At(10, 15), At(20, 16), At(30, 14)};
  const StatusEvaluation e = EvaluateStatus(b, series, Undelivered());
  EXPECT_EQ(e.status, BenefitStatus::kAtRisk);
  EXPECT_THAT(e.reason, AllOf(StartsWith("eroding:"), HasSubstr("14 on 2027-01-31"),
                              HasSubstr("no longer meets the target 15, which was realised on 2027-01-21")));
  // Back at the target: realised again.
  series.push_back(At(40, 15.5));
  EXPECT_EQ(EvaluateStatus(b, series, Undelivered()).status, BenefitStatus::kRealised);
}

TEST(StatusTest, ErosionOverridesAConfidentForecast) {
  // Realised at 30 then fell to 29.5: the trend still points far above the target.
  const Benefit b = testing::IncreaseBenefit();
  const StatusEvaluation e =
      EvaluateStatus(b, std::vector<Measurement>{At(0, 10), At(10, 30), At(20, 31), At(30, 29.5)}, Undelivered());
  EXPECT_EQ(e.status, BenefitStatus::kAtRisk);
  EXPECT_THAT(e.reason, StartsWith("eroding:"));
}

TEST(StatusTest, AnOutOfOrderMeasurementCanBreakAPair) {
  const Benefit b = WithTarget(15);
  // 15 on day 10 and 16 on day 30 become non-consecutive once day 20's 12 is placed between them.
  const std::vector<Measurement> series = {At(0, 10), At(10, 15), At(20, 12), At(30, 16)};
  EXPECT_NE(EvaluateStatus(b, series, Undelivered()).status, BenefitStatus::kRealised);
}

// --- rule 1: STALE inside the tracking window ---------------------------------------

StatusContext Delivered(Date today, Date delivered_on) {
  return StatusContext{today, delivered_on, kDefaultStaleAfterDays};
}

TEST(StatusTest, StaleAfterMoreThan45DaysWithoutAMeasurementInTheWindow) {
  const Benefit b = testing::IncreaseBenefit();
  const std::vector<Measurement> series = {At(0, 10), At(68, 25)};  // the last on 2027-03-10
  const Date delivered = Day(2027, 3, 1);
  EXPECT_NE(EvaluateStatus(b, series, Delivered(Day(2027, 4, 24), delivered)).status, BenefitStatus::kStale);
  const StatusEvaluation e = EvaluateStatus(b, series, Delivered(Day(2027, 4, 25), delivered));
  EXPECT_EQ(e.status, BenefitStatus::kStale);
  EXPECT_THAT(e.reason, AllOf(StartsWith("stale:"), HasSubstr("46 days (since 2027-03-10)"),
                              HasSubstr("tracking window 2027-03-01..2028-03-01"), HasSubstr("every 45 days")));
}

TEST(StatusTest, StaleWithoutAnyMeasurementCountsFromDelivery) {
  const Benefit b = testing::IncreaseBenefit();
  const Date delivered = Day(2027, 3, 1);
  EXPECT_EQ(EvaluateStatus(b, {}, Delivered(Day(2027, 4, 15), delivered)).status, BenefitStatus::kNotStarted);
  EXPECT_EQ(EvaluateStatus(b, {}, Delivered(Day(2027, 4, 16), delivered)).status, BenefitStatus::kStale);
}

TEST(StatusTest, AMeasurementBeforeDeliveryDoesNotMakeTheWindowStale) {
  const Benefit b = testing::IncreaseBenefit();
  const std::vector<Measurement> series = {At(0, 10)};  // 2027-01-01, months before delivery
  EXPECT_NE(EvaluateStatus(b, series, Delivered(Day(2027, 4, 10), Day(2027, 3, 1))).status, BenefitStatus::kStale);
  EXPECT_EQ(EvaluateStatus(b, series, Delivered(Day(2027, 4, 20), Day(2027, 3, 1))).status, BenefitStatus::kStale);
}

TEST(StatusTest, NeverStaleBeforeDeliveryOrAfterTheWindowCloses) {
  Benefit b = testing::IncreaseBenefit();
  const std::vector<Measurement> series = {At(0, 10)};
  EXPECT_NE(EvaluateStatus(b, series, StatusContext{Day(2028, 1, 1), std::nullopt, 45}).status, BenefitStatus::kStale);
  b.tracking_window_months = 1;  // delivered 2027-03-01: the window closes on 2027-04-01
  StatusContext context = Delivered(Day(2027, 3, 31), Day(2027, 3, 1));
  context.stale_after_days = 10;
  EXPECT_EQ(EvaluateStatus(b, series, context).status, BenefitStatus::kStale);
  context.today = Day(2027, 4, 1);
  EXPECT_NE(EvaluateStatus(b, series, context).status, BenefitStatus::kStale);
  context.today = Day(2027, 9, 1);
  EXPECT_NE(EvaluateStatus(b, series, context).status, BenefitStatus::kStale);
}

TEST(StatusTest, StaleTakesPrecedenceOverRealised) {
  const Benefit b = WithTarget(15);
  const std::vector<Measurement> series = {At(0, 15), At(10, 16)};
  EXPECT_EQ(EvaluateStatus(b, series, Undelivered()).status, BenefitStatus::kRealised);
  EXPECT_EQ(EvaluateStatus(b, series, Delivered(Day(2027, 3, 1), Day(2027, 1, 12))).status, BenefitStatus::kStale);
}

TEST(StatusTest, TheStalePeriodIsConfigurable) {
  const Benefit b = testing::IncreaseBenefit();
  StatusContext context = Delivered(Day(2027, 3, 12), Day(2027, 3, 1));
  EXPECT_EQ(EvaluateStatus(b, {}, context).status, BenefitStatus::kNotStarted);
  context.stale_after_days = 10;
  EXPECT_EQ(EvaluateStatus(b, {}, context).status, BenefitStatus::kStale);
}

TEST(TrackingWindowTest, OpensOnDeliveryForTheBenefitsWindow) {
  Benefit b = testing::IncreaseBenefit();
  EXPECT_FALSE(TrackingWindowOf(b, std::nullopt).has_value());
  auto window = TrackingWindowOf(b, Day(2027, 1, 31));
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->closes, Day(2028, 1, 31));
  b.tracking_window_months = 1;
  window = TrackingWindowOf(b, Day(2027, 1, 31));
  EXPECT_EQ(window->closes, Day(2027, 2, 28));
  EXPECT_TRUE(window->Contains(Day(2027, 1, 31)));
  EXPECT_TRUE(window->Contains(Day(2027, 2, 27)));
  EXPECT_FALSE(window->Contains(Day(2027, 2, 28)));
  EXPECT_FALSE(window->Contains(Day(2027, 1, 30)));
}

// --- status changes -----------------------------------------------------------------

TEST(StatusChangeTest, FollowsABenefitThroughItsLife) {
  const Benefit b = WithTarget(15);
  const StatusContext context = Undelivered();
  std::vector<Measurement> series;
  StatusEvaluation before = EvaluateStatus(b, series, context);
  std::vector<std::pair<BenefitStatus, BenefitStatus>> changes;
  for (const Measurement& m : {At(0, 10), At(10, 15), At(20, 16), At(30, 14)}) {
    series.push_back(m);
    const StatusEvaluation after = EvaluateStatus(b, series, context);
    if (before.status != after.status) changes.emplace_back(before.status, after.status);
    before = after;
  }
  EXPECT_EQ(changes, (std::vector<std::pair<BenefitStatus, BenefitStatus>>{
                         {BenefitStatus::kNotStarted, BenefitStatus::kOnTrack},
                         {BenefitStatus::kOnTrack, BenefitStatus::kRealised},
                         {BenefitStatus::kRealised, BenefitStatus::kAtRisk},
                     }));
}

TEST(StatusNamesTest, RoundTrip) {
  for (auto s : {BenefitStatus::kNotStarted, BenefitStatus::kOnTrack, BenefitStatus::kAtRisk, BenefitStatus::kOffTrack,
                 BenefitStatus::kRealised, BenefitStatus::kStale}) {
    EXPECT_EQ(ParseStatus(StatusName(s)), s);
  }
  EXPECT_EQ(StatusName(BenefitStatus::kAtRisk), "AT_RISK");
  EXPECT_FALSE(ParseStatus("at_risk").has_value());
}

}  // namespace
}  // namespace pmo::benefits::domain
