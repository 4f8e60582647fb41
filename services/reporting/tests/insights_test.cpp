#include "services/reporting/domain/insights.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pmo::reporting::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

InitiativeEvidence Active(std::string id) {
  InitiativeEvidence e;
  e.initiative_id = id;
  e.title = "Initiative " + id;
  e.stage = "ACTIVE";
  KeyResultEvidence kr;
  kr.key_result_id = "kr-" + id;
  kr.measurable = true;
  e.key_results.push_back(kr);
  return e;
}

BenefitEvidence Benefit(std::string id, std::string metric, BenefitStatus status) {
  BenefitEvidence b;
  b.benefit_id = std::move(id);
  b.metric = std::move(metric);
  b.status = status;
  return b;
}

std::vector<std::string> Kinds(const std::vector<Insight>& insights) {
  std::vector<std::string> out;
  for (const auto& i : insights) out.push_back(i.kind + "/" + i.initiative_id + "/" + i.severity);
  return out;
}

TEST(InsightsTest, QuietPortfolioHasNone) {
  EXPECT_TRUE(Insights({Active("a"), Active("b")}, 5, ReviewRules{}).empty());
}

TEST(InsightsTest, EachKindWithItsEvidence) {
  auto at_risk = Active("a");
  auto churn = Benefit("b1", "churn", BenefitStatus::kAtRisk);
  churn.status_reason = "forecast below target";
  churn.realised_share = 0.3;
  churn.forecast_share = 0.6;
  at_risk.benefits.push_back(churn);
  auto eroding = Active("b");
  auto nps = Benefit("b2", "nps", BenefitStatus::kAtRisk);
  nps.status_reason = "eroding: the latest measurement fell back below the target";
  nps.realised_share = 0.9;
  nps.was_realised = true;
  eroding.benefits.push_back(nps);
  auto falling = Active("c");
  falling.key_results[0].confidence = 0.4;
  falling.key_results[0].previous_confidence = 0.7;
  auto over = Active("d");
  over.budget = 100;
  over.forecast_at_completion = 130;
  auto unlinked = Active("e");
  unlinked.key_results.clear();
  auto low = Active("f");
  low.rank = 10;
  low.ranked_count = 10;

  auto insights = Insights({at_risk, eroding, falling, over, unlinked, low}, 6, ReviewRules{});
  EXPECT_THAT(Kinds(insights), ElementsAre("BENEFIT_ERODING/b/high", "KR_CONFIDENCE_FALLING/c/high",
                                           "BENEFIT_AT_RISK/a/medium", "LOW_RANK_ACTIVE/f/medium",
                                           "NOT_LINKED/e/medium", "OVER_BUDGET/d/medium"));
  const Insight& risk = insights[2];
  EXPECT_EQ(risk.subject_id, "b1");
  EXPECT_THAT(risk.evidence, ::testing::Contains(std::make_pair(std::string("forecast at target date"),
                                                                std::string("60%"))));
  EXPECT_THAT(insights[1].message, ::testing::HasSubstr("fell from 70% to 40%"));
}

TEST(InsightsTest, WipAboveLimitAndSeverities) {
  auto over = Active("a");
  over.budget = 100;
  over.forecast_at_completion = 200;  // beyond the stop overrun: high
  auto off = Active("b");
  off.benefits.push_back(Benefit("b1", "", BenefitStatus::kOffTrack));
  auto insights = Insights({over, off, Active("c")}, 2, ReviewRules{});
  EXPECT_THAT(Kinds(insights),
              ElementsAre("BENEFIT_AT_RISK/b/high", "OVER_BUDGET/a/high", "WIP_ABOVE_LIMIT//high"));
  EXPECT_EQ(insights[2].message, "3 initiatives ACTIVE against a WIP limit of 2");
}

TEST(InsightsTest, ARealisedBenefitThatWentStaleIsNotErosion) {
  auto e = Active("a");
  auto b = Benefit("b1", "nps", BenefitStatus::kStale);
  b.was_realised = true;
  e.benefits.push_back(b);
  EXPECT_TRUE(Insights({e}, 0, ReviewRules{}).empty());
}

TEST(InsightsTest, SmallConfidenceWobbleIsNotAnInsight) {
  auto e = Active("a");
  e.key_results[0].confidence = 0.75;
  e.key_results[0].previous_confidence = 0.8;
  EXPECT_TRUE(Insights({e}, 0, ReviewRules{}).empty());
}

}  // namespace
}  // namespace pmo::reporting::domain
