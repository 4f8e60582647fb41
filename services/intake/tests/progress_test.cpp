#include "services/intake/domain/progress.h"

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::intake::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testing::Day;
using testing::Eur;
using testing::StatusIs;

ProgressReport Report(Date as_of, double percent) {
  ProgressReport r;
  r.as_of = as_of;
  r.percent_complete = percent;
  r.actual_spend_to_date = Eur(100'000);
  r.forecast_at_completion = Eur(500'000);
  r.milestones = {{"Pilot", Day(2027, 6, 1), false}};
  r.delivery_confidence = 0.8;
  return r;
}

Initiative Active() {
  Initiative in = testing::ValidInitiative();
  in.stage = Stage::kActive;
  in.version = 3;
  return in;
}

TEST(ProgressTest, FirstReportIsApplied) {
  Initiative in = Active();
  const auto outcome = ApplyProgress(in, Report(Day(2027, 3, 31), 20), "EUR");
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_TRUE(outcome->applied);
  ASSERT_TRUE(in.latest_progress.has_value());
  EXPECT_EQ(in.latest_progress->percent_complete, 20);
  EXPECT_EQ(in.version, 4);
}

TEST(ProgressTest, NewerReportReplacesOlderOne) {
  Initiative in = Active();
  ASSERT_TRUE(ApplyProgress(in, Report(Day(2027, 3, 31), 20), "EUR").ok());
  const auto outcome = ApplyProgress(in, Report(Day(2027, 4, 30), 35), "EUR");
  ASSERT_TRUE(outcome.ok());
  EXPECT_TRUE(outcome->applied);
  EXPECT_EQ(in.latest_progress->as_of, Day(2027, 4, 30));
  EXPECT_EQ(in.latest_progress->percent_complete, 35);
  EXPECT_EQ(in.version, 5);
}

TEST(ProgressTest, OlderReportDoesNotOverwrite) {
  Initiative in = Active();
  ASSERT_TRUE(ApplyProgress(in, Report(Day(2027, 4, 30), 35), "EUR").ok());
  const Initiative before = in;
  const auto outcome = ApplyProgress(in, Report(Day(2027, 3, 31), 20), "EUR");
  ASSERT_TRUE(outcome.ok());
  EXPECT_FALSE(outcome->applied);
  EXPECT_THAT(std::string(outcome->ignored_because), HasSubstr("later as_of"));
  EXPECT_EQ(in, before);
}

TEST(ProgressTest, SameDayCorrectionReplacesButRedeliveryIsANoOp) {
  Initiative in = Active();
  ASSERT_TRUE(ApplyProgress(in, Report(Day(2027, 4, 30), 35), "EUR").ok());
  const auto correction = ApplyProgress(in, Report(Day(2027, 4, 30), 36), "EUR");
  ASSERT_TRUE(correction.ok());
  EXPECT_TRUE(correction->applied);
  EXPECT_EQ(in.latest_progress->percent_complete, 36);
  const Initiative before = in;
  const auto again = ApplyProgress(in, Report(Day(2027, 4, 30), 36), "EUR");
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->applied);
  EXPECT_EQ(in, before);
}

TEST(ProgressTest, InvalidReportIsRejectedWithEveryViolationAndChangesNothing) {
  Initiative in = Active();
  ProgressReport bad = Report(Day(2027, 4, 30), 140);
  bad.delivery_confidence = -0.1;
  bad.actual_spend_to_date = Money{-1, "EUR"};
  const Initiative before = in;
  const auto outcome = ApplyProgress(in, bad, "EUR");
  EXPECT_THAT(outcome.status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("percent_complete")));
  EXPECT_THAT(testing::FieldsOf(outcome.status()),
              UnorderedElementsAre("percent_complete", "delivery_confidence", "actual_spend_to_date"));
  EXPECT_EQ(in, before);
}

}  // namespace
}  // namespace pmo::intake::domain
