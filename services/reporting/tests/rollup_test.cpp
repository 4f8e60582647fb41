// The roll-up rules behind a dashboard row and the quarter step of the KPI snapshots.
#include "services/reporting/domain/rollup.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pmo::reporting::domain {
namespace {

TEST(RollupTest, TheWorstBenefitStatusColoursTheRow) {
  EXPECT_GT(StatusSeverity(BenefitStatus::kOffTrack), StatusSeverity(BenefitStatus::kAtRisk));
  EXPECT_GT(StatusSeverity(BenefitStatus::kAtRisk), StatusSeverity(BenefitStatus::kStale));
  EXPECT_GT(StatusSeverity(BenefitStatus::kStale), StatusSeverity(BenefitStatus::kNotStarted));
  EXPECT_GT(StatusSeverity(BenefitStatus::kNotStarted), StatusSeverity(BenefitStatus::kOnTrack));
  EXPECT_GT(StatusSeverity(BenefitStatus::kOnTrack), StatusSeverity(BenefitStatus::kRealised));
  EXPECT_GT(StatusSeverity(BenefitStatus::kRealised), StatusSeverity(BenefitStatus::kUnknown));
  EXPECT_EQ(StatusSeverity(BenefitStatus::kUnknown), 0);
}

TEST(RollupTest, KeyResultProgressIsContributionWeighted) {
  EXPECT_FALSE(KeyResultProgress({}).has_value());
  EXPECT_DOUBLE_EQ(*KeyResultProgress({{0.5, 0.75}, {0.1, 0.25}}), 0.4);
  // No weights at all: the plain mean.
  EXPECT_DOUBLE_EQ(*KeyResultProgress({{0.2, 0}, {0.6, 0}}), 0.4);
}

TEST(RollupTest, RealisationIsTheMeanOfMeasuredShares) {
  EXPECT_FALSE(MeanRealisation({}).has_value());
  EXPECT_DOUBLE_EQ(*MeanRealisation({0.4, 0.2}), 0.3);
}

TEST(RollupTest, ForecastShareNeedsThreePointsAndAPlannedImprovement) {
  EXPECT_DOUBLE_EQ(*ForecastShare(15.0, 3, 10.0, 20.0), 0.5);
  EXPECT_DOUBLE_EQ(*ForecastShare(5.0, 4, 10.0, 0.0), 0.5);  // a decrease planned
  EXPECT_FALSE(ForecastShare(15.0, 2, 10.0, 20.0).has_value());
  EXPECT_FALSE(ForecastShare(std::nullopt, 3, 10.0, 20.0).has_value());
  EXPECT_FALSE(ForecastShare(15.0, 3, std::nullopt, 20.0).has_value());
  EXPECT_FALSE(ForecastShare(15.0, 3, 10.0, std::nullopt).has_value());
  EXPECT_FALSE(ForecastShare(15.0, 3, 10.0, 10.0).has_value());
}

TEST(RollupTest, ReviewsCoverDeliveryUnderWay) {
  EXPECT_TRUE(IsUnderReview("ACTIVE"));
  EXPECT_TRUE(IsUnderReview("PIVOTING"));
  for (const char* stage : {"", "DRAFT", "SUBMITTED", "APPROVED", "PAUSED", "DELIVERED", "STOPPED"})
    EXPECT_FALSE(IsUnderReview(stage)) << stage;
}

TEST(RollupTest, ALaterQuarterEndsTheOneSeenBefore) {
  auto first = StepQuarter("", "2027Q1");
  EXPECT_TRUE(first.advances);
  EXPECT_FALSE(first.ended.has_value());  // nothing seen before: nothing to freeze
  auto same = StepQuarter("2027Q1", "2027Q1");
  EXPECT_FALSE(same.advances);
  auto earlier = StepQuarter("2027Q1", "2026Q4");  // a late event changes nothing
  EXPECT_FALSE(earlier.advances);
  EXPECT_FALSE(earlier.ended.has_value());
  auto later = StepQuarter("2026Q4", "2027Q1");
  EXPECT_TRUE(later.advances);
  EXPECT_EQ(later.ended, "2026Q4");
}

}  // namespace
}  // namespace pmo::reporting::domain
