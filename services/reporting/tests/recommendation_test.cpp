#include "services/reporting/domain/recommendation.h"

#include <functional>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pmo/base/errors.h"

namespace pmo::reporting::domain {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// An initiative whose evidence is healthy on every rule.
InitiativeEvidence Healthy() {
  InitiativeEvidence e;
  e.initiative_id = "ini-1";
  e.title = "Self-service onboarding";
  e.stage = "ACTIVE";
  KeyResultEvidence kr;
  kr.key_result_id = "kr-1";
  kr.objective_id = "obj-1";
  kr.measurable = true;
  kr.progress = 0.6;
  kr.confidence = 0.8;
  kr.last_check_in = Date{2027, 2, 1};
  e.key_results.push_back(kr);
  BenefitEvidence b;
  b.benefit_id = "ben-1";
  b.metric = "activation rate";
  b.status = BenefitStatus::kOnTrack;
  b.realised_share = 0.5;
  b.forecast_share = 1.05;
  b.measurements = 4;
  e.benefits.push_back(b);
  e.budget = 100'000;
  e.actual_spend = 50'000;
  e.forecast_at_completion = 105'000;
  e.schedule_variance_days = 5;
  e.delivery_confidence = 0.8;
  e.percent_complete = 55;
  e.last_progress = Date{2027, 2, 1};
  e.rank = 2;
  e.ranked_count = 20;
  return e;
}

struct Case {
  std::string name;
  std::function<void(InitiativeEvidence&)> change;
  Recommendation expected;
  std::string rule;       // the rule that must appear among the reasons
  std::string mentions;   // and a piece of its detail
};

class RecommendTest : public ::testing::TestWithParam<Case> {};

TEST_P(RecommendTest, VerdictAndReason) {
  const Case& c = GetParam();
  InitiativeEvidence e = Healthy();
  c.change(e);
  Verdict v = Recommend(e, ReviewRules{});
  EXPECT_EQ(RecommendationName(v.recommendation), RecommendationName(c.expected));
  EXPECT_THAT(v.reasons, Contains(AllOf(Field(&Reason::rule, c.rule), Field(&Reason::detail, HasSubstr(c.mentions)))));
  // Reasons are ordered by what they point to, strongest first.
  for (size_t i = 1; i < v.reasons.size(); ++i) EXPECT_GE(v.reasons[i - 1].points_to, v.reasons[i].points_to);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, RecommendTest,
    ::testing::Values(
        Case{"healthy_continues", [](InitiativeEvidence&) {}, Recommendation::kContinue, "within-thresholds",
             "1 of 1 benefits on track"},
        Case{"forecast_collapsed_stops", [](InitiativeEvidence& e) { e.benefits[0].forecast_share = 0.3; },
             Recommendation::kStop, "benefit-forecast", "reaches 30% of the planned improvement (stop below 50%)"},
        Case{"forecast_short_pivots", [](InitiativeEvidence& e) { e.benefits[0].forecast_share = 0.7; },
             Recommendation::kPivot, "benefit-forecast", "(pivot below 80%)"},
        Case{"forecast_at_pivot_threshold_continues",
             [](InitiativeEvidence& e) { e.benefits[0].forecast_share = 0.8; }, Recommendation::kContinue,
             "within-thresholds", "thresholds"},
        Case{"off_track_stops", [](InitiativeEvidence& e) { e.benefits[0].status = BenefitStatus::kOffTrack; },
             Recommendation::kStop, "benefit-status", "OFF_TRACK"},
        Case{"at_risk_pivots_with_benefits_reason",
             [](InitiativeEvidence& e) {
               e.benefits[0].status = BenefitStatus::kAtRisk;
               e.benefits[0].status_reason = "eroding: fell back below the target";
             },
             Recommendation::kPivot, "benefit-status", "AT_RISK: eroding"},
        Case{"stale_pivots", [](InitiativeEvidence& e) { e.benefits[0].status = BenefitStatus::kStale; },
             Recommendation::kPivot, "benefit-status", "STALE"},
        Case{"cost_far_over_stops", [](InitiativeEvidence& e) { e.forecast_at_completion = 160'000; },
             Recommendation::kStop, "cost", "(+60%); stop above +50%"},
        Case{"cost_over_pivots", [](InitiativeEvidence& e) { e.forecast_at_completion = 120'000; },
             Recommendation::kPivot, "cost", "pivot above +15%"},
        Case{"very_late_stops", [](InitiativeEvidence& e) { e.schedule_variance_days = 150; },
             Recommendation::kStop, "schedule", "150 days late (stop beyond 120)"},
        Case{"late_pivots", [](InitiativeEvidence& e) { e.schedule_variance_days = 45; }, Recommendation::kPivot,
             "schedule", "45 days late (pivot beyond 30)"},
        Case{"no_measurable_key_result_pivots", [](InitiativeEvidence& e) { e.key_results[0].measurable = false; },
             Recommendation::kPivot, "key-results", "no measurable key result"},
        Case{"no_key_result_pivots", [](InitiativeEvidence& e) { e.key_results.clear(); }, Recommendation::kPivot,
             "key-results", "linked to no key result"},
        Case{"key_results_lagging_delivery_pivots",
             [](InitiativeEvidence& e) {
               e.percent_complete = 70;
               e.key_results[0].progress = 0.1;
             },
             Recommendation::kPivot, "key-results", "70% complete but its key results are 10% of the way"},
        Case{"key_results_early_in_delivery_continue",
             [](InitiativeEvidence& e) {
               e.percent_complete = 20;
               e.key_results[0].progress = 0.1;
             },
             Recommendation::kContinue, "within-thresholds", "thresholds"},
        Case{"low_key_result_confidence_pivots", [](InitiativeEvidence& e) { e.key_results[0].confidence = 0.3; },
             Recommendation::kPivot, "key-results", "confidence 30%"},
        Case{"low_delivery_confidence_pivots", [](InitiativeEvidence& e) { e.delivery_confidence = 0.4; },
             Recommendation::kPivot, "delivery", "delivery confidence 40%"},
        Case{"bottom_of_ranking_pivots", [](InitiativeEvidence& e) { e.rank = 18; }, Recommendation::kPivot, "rank",
             "ranked 18 of 20"},
        Case{"just_above_bottom_share_continues", [](InitiativeEvidence& e) { e.rank = 15; },
             Recommendation::kContinue, "within-thresholds", "ranked 15 of 20"},
        Case{"no_evidence_is_flagged_not_waved_through",
             [](InitiativeEvidence& e) {
               e.benefits[0].measurements = 0;
               e.benefits[0].forecast_share.reset();
               e.benefits[0].status = BenefitStatus::kNotStarted;
               e.key_results[0].last_check_in.reset();
               e.last_progress.reset();
             },
             Recommendation::kPivot, "no-evidence", "nothing shows it is working"},
        Case{"stop_outranks_pivot",
             [](InitiativeEvidence& e) {
               e.schedule_variance_days = 45;
               e.benefits[0].forecast_share = 0.2;
             },
             Recommendation::kStop, "schedule", "45 days late"}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(RecommendTest, NoEvidenceSetsTheFlag) {
  InitiativeEvidence e;
  e.initiative_id = "ini-9";
  e.stage = "ACTIVE";
  Verdict v = Recommend(e, ReviewRules{});
  EXPECT_TRUE(v.no_evidence);
  EXPECT_EQ(v.recommendation, Recommendation::kPivot);
  EXPECT_FALSE(Recommend(Healthy(), ReviewRules{}).no_evidence);
}

TEST(RecommendTest, ThresholdsAreConfigurable) {
  InitiativeEvidence e = Healthy();
  e.benefits[0].forecast_share = 0.7;
  ReviewRules lenient;
  lenient.pivot_forecast_share = 0.6;
  lenient.stop_forecast_share = 0.4;
  EXPECT_EQ(Recommend(e, lenient).recommendation, Recommendation::kContinue);
  ReviewRules strict;
  strict.stop_forecast_share = 0.75;
  strict.pivot_forecast_share = 0.9;
  EXPECT_EQ(Recommend(e, strict).recommendation, Recommendation::kStop);
  e.benefits[0].forecast_share = 1.0;
  e.benefits[0].status = BenefitStatus::kOffTrack;
  ReviewRules off_track_pivots;
  off_track_pivots.off_track_stops = false;
  EXPECT_EQ(Recommend(e, off_track_pivots).recommendation, Recommendation::kPivot);
}

TEST(ValidateRulesTest, ListsEveryViolation) {
  ReviewRules r;
  r.stop_forecast_share = 0.9;  // above the pivot share
  r.pivot_forecast_share = 0.85;
  r.pivot_confidence = 1.5;
  r.stop_cost_overrun = 0.1;    // below the pivot overrun
  r.stop_slip_days = 10;        // below the pivot slip
  r.low_rank_share = -0.1;
  auto violations = ViolationsOf(ValidateRules(r));
  std::vector<std::string> fields;
  for (const auto& v : violations) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("pivot_confidence", "stop_forecast_share",
                                                      "stop_cost_overrun", "stop_slip_days", "low_rank_share"));
  EXPECT_THAT(ViolationsOf(ValidateRules(ReviewRules{})), IsEmpty());
}

}  // namespace
}  // namespace pmo::reporting::domain
