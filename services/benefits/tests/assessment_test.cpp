// Assess and NextStatusReview: the derived state kept with every benefit, and the day
// the STALE sweep has to look at a benefit again.
#include <gtest/gtest.h>

#include <vector>

#include "services/benefits/domain/assessment.h"
#include "fixtures.h"

namespace pmo::benefits::domain {
namespace {

using testing::At;
using testing::Day;

StatusContext Context(Date today, std::optional<Date> delivered = std::nullopt) {
  StatusContext c;
  c.today = today;
  c.delivered_on = delivered;
  c.stale_after_days = 45;
  return c;
}

TEST(AssessTest, CombinesRealisationStatusAndValue) {
  Benefit b = testing::FinancialBenefit();  // 100 → 60 reworks, 10.00 EUR per rework
  std::vector<Measurement> series = {At(0, 100), At(10, 90), At(20, 80)};
  auto a = Assess(b, series, Context(Day(2027, 2, 1)));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->realisation.measurement_count, 3u);
  EXPECT_DOUBLE_EQ(a->realisation.share, 0.5);
  ASSERT_TRUE(a->value.planned.has_value());
  EXPECT_EQ(a->value.planned->minor_units, 40 * 1000);
  EXPECT_EQ(a->value.realised->minor_units, 20 * 1000);
  EXPECT_EQ(a->value.status, a->status.status);
  EXPECT_EQ(a->status.status, BenefitStatus::kOnTrack) << a->status.reason;  // a perfect line reaching 60 by day 100
  EXPECT_FALSE(a->window.has_value());
  EXPECT_FALSE(a->next_review.has_value()) << "not delivered: only measurements change the status";
}

TEST(NextStatusReviewTest, TheDayAfterTheQuietPeriodThenTheWindowsEnd) {
  Benefit b = testing::IncreaseBenefit();  // 12-month window
  const Date delivered = Day(2027, 3, 1);
  std::vector<Measurement> series = {At(70, 20)};  // 2027-03-12, after delivery
  // Quiet for more than 45 days after 2027-03-12: stale from 2027-04-27.
  EXPECT_EQ(NextStatusReview(b, series, Context(Day(2027, 3, 20), delivered)), Day(2027, 4, 27));
  auto stale = Context(Day(2027, 4, 27), delivered);
  EXPECT_EQ(EvaluateStatus(b, series, stale).status, BenefitStatus::kStale);
  EXPECT_EQ(EvaluateStatus(b, series, Context(Day(2027, 4, 26), delivered)).status, BenefitStatus::kOnTrack)
      << "the day before, not yet stale";
  // Once stale, the next change by time alone is the window closing.
  EXPECT_EQ(NextStatusReview(b, series, stale), Day(2028, 3, 1));
  EXPECT_FALSE(NextStatusReview(b, series, Context(Day(2028, 3, 1), delivered)).has_value());
}

TEST(NextStatusReviewTest, WithoutMeasurementsCountsFromDeliveryAndMeasurementsBeforeItDoNotCount) {
  Benefit b = testing::IncreaseBenefit();
  const Date delivered = Day(2027, 6, 1);
  EXPECT_EQ(NextStatusReview(b, {}, Context(Day(2027, 6, 1), delivered)), Day(2027, 7, 17));
  std::vector<Measurement> before = {At(10, 12)};
  EXPECT_EQ(NextStatusReview(b, before, Context(Day(2027, 6, 1), delivered)), Day(2027, 7, 17));
}

TEST(NextStatusReviewTest, NothingWhenTheWindowClosesBeforeItCouldGoStale) {
  Benefit b = testing::IncreaseBenefit();
  b.tracking_window_months = 1;
  auto c = Context(Day(2027, 6, 1), Day(2027, 6, 1));
  EXPECT_FALSE(NextStatusReview(b, {}, c).has_value()) << "1 month is shorter than 45 quiet days";
  EXPECT_FALSE(NextStatusReview(b, {}, Context(Day(2027, 6, 1))).has_value()) << "not delivered";
}

TEST(NextStatusReviewTest, AgreesWithEvaluateStatusDayByDay) {
  Benefit b = testing::IncreaseBenefit();
  const Date delivered = Day(2027, 2, 1);
  std::vector<Measurement> series = {At(0, 10), At(40, 20)};
  // Walking the calendar, the status may only change on a day NextStatusReview named.
  Date today = Day(2027, 2, 1);
  auto previous = EvaluateStatus(b, series, Context(today, delivered)).status;
  auto next = NextStatusReview(b, series, Context(today, delivered));
  int changes = 0;
  for (int i = 0; i < 500; ++i) {
    today = AddDays(today, 1);
    auto status = EvaluateStatus(b, series, Context(today, delivered)).status;
    if (status != previous) {
      ++changes;
      ASSERT_TRUE(next.has_value()) << FormatDate(today);
      EXPECT_EQ(*next, today);
      previous = status;
    }
    if (next && today >= *next) next = NextStatusReview(b, series, Context(today, delivered));
  }
  EXPECT_EQ(changes, 2) << "turns STALE, and back when the window closes";
}

}  // namespace
}  // namespace pmo::benefits::domain
