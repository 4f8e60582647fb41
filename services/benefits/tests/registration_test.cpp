// Deterministic ids for the benefits a submission promises, and definition changes.
#include <gtest/gtest.h>

#include "services/benefits/domain/registration.h"
#include "fixtures.h"

namespace pmo::benefits::domain {
namespace {

TEST(PromisedBenefitIdTest, DerivedFromInitiativeAndMetric) {
  EXPECT_EQ(PromisedBenefitId("in-1", "Application completion rate (%)", 1, 0), "in-1.application-completion-rate");
  EXPECT_EQ(PromisedBenefitId("in-1", "Application completion rate (%)", 2, 3), "in-1.application-completion-rate-2");
  EXPECT_EQ(PromisedBenefitId("in-1", "  ***  ", 1, 2), "in-1.benefit-3");
  EXPECT_EQ(PromisedBenefitId("in-1", "NPS", 1, 0), PromisedBenefitId("in-1", "nps", 1, 5))
      << "the position does not matter, so reordering keeps ids";
}

TEST(PromisedBenefitIdTest, SlugIsBounded) {
  std::string long_metric(300, 'x');
  EXPECT_EQ(MetricSlug(long_metric).size(), kMaxMetricSlugLength);
  EXPECT_EQ(MetricSlug("a -- b__c!"), "a-b-c");
  EXPECT_EQ(MetricSlug("Ünïcode 2"), "n-code-2");
}

TEST(DefinitionTest, SameDefinitionIgnoresIdentityAndVersion) {
  Benefit a = testing::FinancialBenefit();
  Benefit b = a;
  b.id = "other";
  b.version = 7;
  b.portfolio_id = "pf-2";
  EXPECT_TRUE(SameDefinition(a, b));
  b.target = 61;
  EXPECT_FALSE(SameDefinition(a, b));
  b = a;
  b.value_per_unit->minor_units = 1;
  EXPECT_FALSE(SameDefinition(a, b));
  b = a;
  b.tracking_window_months = 24;
  EXPECT_FALSE(SameDefinition(a, b));
}

TEST(DefinitionTest, APromiseKeepsTheKeyResultAndTrackingWindow) {
  Benefit current = testing::IncreaseBenefit();
  current.key_result_id = "kr-9";
  current.tracking_window_months = 24;
  Benefit promised = testing::DecreaseBenefit();
  Benefit merged = WithPromisedDefinition(current, promised);
  EXPECT_EQ(merged.id, current.id);
  EXPECT_EQ(merged.metric, promised.metric);
  EXPECT_EQ(merged.target, promised.target);
  EXPECT_EQ(merged.key_result_id, "kr-9");
  EXPECT_EQ(merged.tracking_window_months, 24);
}

}  // namespace
}  // namespace pmo::benefits::domain
