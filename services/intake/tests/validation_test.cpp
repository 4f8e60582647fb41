#include "services/intake/domain/validation.h"

#include <cmath>
#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::intake::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;
using testing::Day;
using testing::Eur;
using testing::FieldsOf;
using testing::Qtr;
using testing::StatusIs;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// One rule per case: the mutation breaks exactly that rule, and the violations must be
// exactly `fields` (so no other rule fires by accident). `description` must appear in
// the first violation's description.
template <typename T>
struct RuleCase {
  std::string name;
  std::function<void(T&)> mutate;
  std::vector<std::string> fields;
  std::string description;
};

template <typename T>
void PrintTo(const RuleCase<T>& c, std::ostream* os) {
  *os << c.name;
}

using InitiativeCase = RuleCase<Initiative>;
using PortfolioCase = RuleCase<Portfolio>;
using ProgressCase = RuleCase<ProgressReport>;

template <typename T>
std::string CaseName(const ::testing::TestParamInfo<RuleCase<T>>& info) {
  return info.param.name;
}

template <typename T>
void ExpectExactly(const absl::Status& status, const RuleCase<T>& c) {
  ASSERT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.fields.front())));
  EXPECT_THAT(FieldsOf(status), UnorderedElementsAreArray(c.fields));
  const auto violations = ViolationsOf(status);
  ASSERT_FALSE(violations.empty());
  EXPECT_THAT(violations.front().description, HasSubstr(c.description));
}

// --- initiative ------------------------------------------------------------------------

TEST(InitiativeValidationTest, FixtureIsValid) {
  EXPECT_TRUE(ValidateInitiative(testing::ValidInitiative(), testing::ValidPortfolio(), testing::TestLookup()).ok());
}

TEST(InitiativeValidationTest, LimitsAreInclusiveAndCountCharactersNotBytes) {
  Initiative in = testing::ValidInitiative();
  in.title.clear();
  for (size_t i = 0; i < kMaxTitleLength; ++i) in.title += "\xC3\xA9";  // é: two bytes, one character
  in.dependencies.clear();
  for (size_t i = 0; i < kMaxDependencies; ++i) in.dependencies.push_back("dep-" + std::to_string(i));
  in.benefits.resize(kMaxBenefits, in.benefits[0]);
  in.business_case.strategic.key_results.clear();
  for (size_t i = 0; i < kMaxKeyResults; ++i) {
    in.business_case.strategic.key_results.push_back({"kr-" + std::to_string(i), 1.0});
  }
  in.risk.probability = 1.0;
  EXPECT_TRUE(ValidateInitiative(in, testing::ValidPortfolio(), testing::TestLookup()).ok());
  EXPECT_EQ(Utf8Length("\xC3\xA9t\xC3\xA9"), 3u);
}

TEST(InitiativeValidationTest, DependencyOnAnUnrelatedCycleIsAccepted) {
  Initiative in = testing::ValidInitiative();
  in.dependencies = {"in-5"};  // in-5 <-> in-6 loop does not lead back to in-1
  EXPECT_TRUE(ValidateInitiative(in, testing::ValidPortfolio(), testing::TestLookup()).ok());
}

TEST(InitiativeValidationTest, ReportsEveryViolationAtOnce) {
  Initiative in = testing::ValidInitiative();
  in.title = "";
  in.cost_per_quarter[Qtr(2027, 1)] = Money{-1, "EUR"};
  in.dependencies = {"in-1"};
  in.benefits[1].target = in.benefits[1].baseline;
  in.risk.probability = 2;
  const absl::Status status = ValidateInitiative(in, testing::ValidPortfolio(), testing::TestLookup());
  EXPECT_THAT(FieldsOf(status), UnorderedElementsAreArray({"title", "cost_per_quarter[2027Q1]", "dependencies[0]",
                                                           "benefits[1].target", "risk.probability"}));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               ::testing::AllOf(HasSubstr("title"), HasSubstr("risk.probability"))));
}

TEST(InitiativeValidationTest, CycleMessageShowsThePath) {
  Initiative in = testing::ValidInitiative();
  in.dependencies = {"in-4"};
  const auto violations = ViolationsOf(ValidateInitiative(in, testing::ValidPortfolio(), testing::TestLookup()));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "dependencies[0]");
  EXPECT_THAT(violations[0].description, HasSubstr("in-1 -> in-4 -> in-3 -> in-1"));
}

class InitiativeRuleTest : public ::testing::TestWithParam<InitiativeCase> {};

TEST_P(InitiativeRuleTest, ReportsOnlyThisRule) {
  Initiative in = testing::ValidInitiative();
  GetParam().mutate(in);
  ExpectExactly(ValidateInitiative(in, testing::ValidPortfolio(), testing::TestLookup()), GetParam());
}

std::string Repeat(size_t n) { return std::string(n, 'x'); }

INSTANTIATE_TEST_SUITE_P(
    Rules, InitiativeRuleTest,
    ::testing::Values(
        InitiativeCase{"EmptyTitle", [](Initiative& in) { in.title = ""; }, {"title"}, "must not be empty"},
        InitiativeCase{"BlankTitle", [](Initiative& in) { in.title = " \t "; }, {"title"}, "must not be empty"},
        InitiativeCase{"OverlongTitle", [](Initiative& in) { in.title = Repeat(kMaxTitleLength + 1); }, {"title"},
                       "at most 200"},
        InitiativeCase{"OverlongDescription",
                       [](Initiative& in) { in.description = Repeat(kMaxTextLength + 1); }, {"description"},
                       "at most"},
        InitiativeCase{"OverlongOwner", [](Initiative& in) { in.owner = Repeat(kMaxNameLength + 1); }, {"owner"},
                       "at most"},
        InitiativeCase{"WrongPortfolio", [](Initiative& in) { in.portfolio_id = "pf-2"; }, {"portfolio_id"},
                       "pf-1"},
        InitiativeCase{"NegativeCost", [](Initiative& in) { in.cost_per_quarter[Qtr(2027, 1)] = Money{-1, "EUR"}; },
                       {"cost_per_quarter[2027Q1]"}, "negative"},
        InitiativeCase{"CostInOtherCurrency",
                       [](Initiative& in) { in.cost_per_quarter[Qtr(2027, 1)] = Money{100, "USD"}; },
                       {"cost_per_quarter[2027Q1].currency"}, "EUR"},
        InitiativeCase{"CostOutsideSpan", [](Initiative& in) { in.cost_per_quarter[Qtr(2028, 1)] = Eur(1); },
                       {"cost_per_quarter[2028Q1]"}, "2027Q1..2027Q4"},
        InitiativeCase{"CostInvalidQuarter", [](Initiative& in) { in.cost_per_quarter[Qtr(2027, 5)] = Eur(1); },
                       {"cost_per_quarter[2027Q5]"}, "not a valid quarter"},
        InitiativeCase{"NegativeHours", [](Initiative& in) { in.effort_hours["backend"][Qtr(2027, 1)] = -5; },
                       {"effort_hours[backend][2027Q1]"}, "negative"},
        InitiativeCase{"NonFiniteHours", [](Initiative& in) { in.effort_hours["data"][Qtr(2027, 2)] = kNaN; },
                       {"effort_hours[data][2027Q2]"}, "finite"},
        InitiativeCase{"EffortOutsideSpan", [](Initiative& in) { in.effort_hours["backend"][Qtr(2028, 2)] = 10; },
                       {"effort_hours[backend][2028Q2]"}, "2027Q1..2027Q4"},
        InitiativeCase{"UnknownSkill", [](Initiative& in) { in.effort_hours["quantum"][Qtr(2027, 1)] = 10; },
                       {"effort_hours[quantum]"}, "unknown skill \"quantum\""},
        InitiativeCase{"StartBeforePortfolio", [](Initiative& in) { in.start_quarter = Qtr(2026, 4); },
                       {"start_quarter"}, "outside the portfolio's range 2027Q1..2028Q4"},
        InitiativeCase{"EndAfterPortfolio", [](Initiative& in) { in.end_quarter = Qtr(2029, 1); }, {"end_quarter"},
                       "outside the portfolio's range"},
        InitiativeCase{"InvalidStartQuarter", [](Initiative& in) { in.start_quarter = Qtr(2027, 0); },
                       {"start_quarter"}, "not a valid quarter"},
        InitiativeCase{"EndBeforeStart",
                       [](Initiative& in) {
                         in.start_quarter = Qtr(2027, 3);
                         in.end_quarter = Qtr(2027, 2);
                         for (auto& b : in.benefits) b.target_date = Day(2028, 6, 30);
                       },
                       {"end_quarter"}, "before start_quarter 2027Q3"},
        InitiativeCase{"NegativeExpectedValue",
                       [](Initiative& in) { in.business_case.economic.expected_value = Money{-100, "EUR"}; },
                       {"business_case.economic.expected_value"}, "negative"},
        InitiativeCase{"TotalCostInOtherCurrency",
                       [](Initiative& in) { in.business_case.financial.total_cost.currency = "GBP"; },
                       {"business_case.financial.total_cost.currency"}, "GBP"},
        InitiativeCase{"NegativeCostOfDelay",
                       [](Initiative& in) { in.urgency.cost_of_delay_per_week = Money{-5, "EUR"}; },
                       {"urgency.cost_of_delay_per_week"}, "negative"},
        InitiativeCase{"InvalidDeadline", [](Initiative& in) { in.urgency.deadline = Day(2027, 2, 30); },
                       {"urgency.deadline"}, "not a valid date"},
        InitiativeCase{"TooManyKeyResults",
                       [](Initiative& in) {
                         auto& krs = in.business_case.strategic.key_results;
                         krs.clear();
                         for (size_t i = 0; i <= kMaxKeyResults; ++i) krs.push_back({"kr-" + std::to_string(i), 0.1});
                       },
                       {"business_case.strategic.key_results"}, "at most 20"},
        InitiativeCase{"DuplicateKeyResult",
                       [](Initiative& in) { in.business_case.strategic.key_results[1].key_result_id = "kr-1"; },
                       {"business_case.strategic.key_results[1].key_result_id"}, "listed twice"},
        InitiativeCase{"EmptyKeyResultId",
                       [](Initiative& in) { in.business_case.strategic.key_results[0].key_result_id = ""; },
                       {"business_case.strategic.key_results[0].key_result_id"}, "must not be empty"},
        InitiativeCase{"WeightAboveOne",
                       [](Initiative& in) { in.business_case.strategic.key_results[0].contribution_weight = 1.5; },
                       {"business_case.strategic.key_results[0].contribution_weight"}, "between 0 and 1"},
        InitiativeCase{"NegativeWeight",
                       [](Initiative& in) { in.business_case.strategic.key_results[1].contribution_weight = -0.1; },
                       {"business_case.strategic.key_results[1].contribution_weight"}, "between 0 and 1"},
        InitiativeCase{"NonFiniteWeight",
                       [](Initiative& in) { in.business_case.strategic.key_results[0].contribution_weight = kNaN; },
                       {"business_case.strategic.key_results[0].contribution_weight"}, "finite"},
        InitiativeCase{"NonFiniteRating", [](Initiative& in) { in.ratings["value"] = kInf; }, {"ratings[value]"},
                       "finite"},
        InitiativeCase{"EmptyRatingKey", [](Initiative& in) { in.ratings[""] = 1; }, {"ratings[]"}, "empty"},
        InitiativeCase{"TooManyRatings",
                       [](Initiative& in) {
                         for (size_t i = 0; i <= kMaxRatings; ++i) in.ratings["c" + std::to_string(i)] = 1;
                       },
                       {"ratings"}, "at most 50"},
        InitiativeCase{"ProbabilityAboveOne", [](Initiative& in) { in.risk.probability = 1.01; },
                       {"risk.probability"}, "between 0 and 1"},
        InitiativeCase{"NegativeProbability", [](Initiative& in) { in.risk.probability = -0.5; },
                       {"risk.probability"}, "between 0 and 1"},
        InitiativeCase{"NonFiniteProbability", [](Initiative& in) { in.risk.probability = kNaN; },
                       {"risk.probability"}, "finite"},
        InitiativeCase{"NonFiniteImpact", [](Initiative& in) { in.risk.impact = -kInf; }, {"risk.impact"}, "finite"},
        InitiativeCase{"NegativeImpact", [](Initiative& in) { in.risk.impact = -1; }, {"risk.impact"}, "negative"},
        InitiativeCase{"SelfDependency", [](Initiative& in) { in.dependencies = {"in-0", "in-1"}; },
                       {"dependencies[1]"}, "itself"},
        InitiativeCase{"DuplicateDependency", [](Initiative& in) { in.dependencies = {"in-0", "in-2", "in-0"}; },
                       {"dependencies[2]"}, "duplicate dependency on in-0"},
        InitiativeCase{"UnknownDependency", [](Initiative& in) { in.dependencies = {"in-0", "in-99"}; },
                       {"dependencies[1]"}, "unknown initiative in-99"},
        InitiativeCase{"EmptyDependency", [](Initiative& in) { in.dependencies = {""}; }, {"dependencies[0]"},
                       "must not be empty"},
        InitiativeCase{"DirectCycle", [](Initiative& in) { in.dependencies = {"in-3"}; }, {"dependencies[0]"},
                       "dependency cycle"},
        InitiativeCase{"TransitiveCycle", [](Initiative& in) { in.dependencies = {"in-0", "in-4"}; },
                       {"dependencies[1]"}, "dependency cycle"},
        InitiativeCase{"TooManyDependencies",
                       [](Initiative& in) {
                         in.dependencies.clear();
                         for (size_t i = 0; i <= kMaxDependencies; ++i) {
                           in.dependencies.push_back("dep-" + std::to_string(i));
                         }
                       },
                       {"dependencies"}, "at most 20"},
        InitiativeCase{"TooManyBenefits", [](Initiative& in) { in.benefits.resize(kMaxBenefits + 1, in.benefits[0]); },
                       {"benefits"}, "at most 20"},
        InitiativeCase{"BenefitTargetEqualsBaseline", [](Initiative& in) { in.benefits[1].target = 1000; },
                       {"benefits[1].target"}, "differ from the baseline"},
        InitiativeCase{"BenefitTargetDateBeforeStart",
                       [](Initiative& in) { in.benefits[0].target_date = Day(2026, 12, 31); },
                       {"benefits[0].target_date"}, "before the initiative starts (2027-01-01)"},
        InitiativeCase{"BenefitInvalidTargetDate",
                       [](Initiative& in) { in.benefits[0].target_date = Day(2028, 2, 30); },
                       {"benefits[0].target_date"}, "not a valid date"},
        InitiativeCase{"BenefitNonFiniteBaseline", [](Initiative& in) { in.benefits[0].baseline = kNaN; },
                       {"benefits[0].baseline"}, "finite"},
        InitiativeCase{"BenefitNonFiniteTarget", [](Initiative& in) { in.benefits[1].target = kInf; },
                       {"benefits[1].target"}, "finite"},
        InitiativeCase{"BenefitNegativeValuePerUnit",
                       [](Initiative& in) { in.benefits[1].value_per_unit = Money{-1, "EUR"}; },
                       {"benefits[1].value_per_unit"}, "negative"},
        InitiativeCase{"BenefitValueInOtherCurrency",
                       [](Initiative& in) { in.benefits[1].value_per_unit.currency = "CHF"; },
                       {"benefits[1].value_per_unit.currency"}, "EUR"},
        InitiativeCase{"BenefitWithoutCategory",
                       [](Initiative& in) { in.benefits[0].category = BenefitCategory::kUnspecified; },
                       {"benefits[0].category"}, "must be set"},
        InitiativeCase{"BenefitWithoutMetric", [](Initiative& in) { in.benefits[1].metric = " "; },
                       {"benefits[1].metric"}, "must not be empty"}),
    CaseName<Initiative>);

// --- portfolio -------------------------------------------------------------------------

TEST(PortfolioValidationTest, FixtureIsValid) { EXPECT_TRUE(ValidatePortfolio(testing::ValidPortfolio()).ok()); }

TEST(PortfolioValidationTest, ZeroWipLimitMeansNoLimitAndIsValid) {
  Portfolio p = testing::ValidPortfolio();
  p.wip_limit = 0;
  EXPECT_TRUE(ValidatePortfolio(p).ok());
}

class PortfolioRuleTest : public ::testing::TestWithParam<PortfolioCase> {};

TEST_P(PortfolioRuleTest, ReportsOnlyThisRule) {
  Portfolio p = testing::ValidPortfolio();
  GetParam().mutate(p);
  ExpectExactly(ValidatePortfolio(p), GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Rules, PortfolioRuleTest,
    ::testing::Values(
        PortfolioCase{"EmptyName", [](Portfolio& p) { p.name = ""; }, {"name"}, "must not be empty"},
        PortfolioCase{"OverlongName", [](Portfolio& p) { p.name = Repeat(kMaxNameLength + 1); }, {"name"},
                      "at most"},
        PortfolioCase{"LowerCaseCurrency", [](Portfolio& p) { p.currency = "eur"; }, {"currency"}, "ISO 4217"},
        PortfolioCase{"FourLetterCurrency", [](Portfolio& p) { p.currency = "EURO"; }, {"currency"}, "ISO 4217"},
        PortfolioCase{"EmptyCurrency", [](Portfolio& p) { p.currency = ""; }, {"currency"}, "ISO 4217"},
        PortfolioCase{"InvalidFirstQuarter", [](Portfolio& p) { p.first_quarter = Qtr(2027, 9); },
                      {"first_quarter"}, "not a valid quarter"},
        PortfolioCase{"LastBeforeFirst", [](Portfolio& p) { p.last_quarter = Qtr(2026, 4); }, {"last_quarter"},
                      "before first_quarter 2027Q1"},
        PortfolioCase{"BudgetOutsideRange", [](Portfolio& p) { p.budget_per_quarter[Qtr(2029, 1)] = Eur(1); },
                      {"budget_per_quarter[2029Q1]"}, "outside the portfolio's range 2027Q1..2028Q4"},
        PortfolioCase{"NegativeBudget", [](Portfolio& p) { p.budget_per_quarter[Qtr(2027, 2)] = Money{-1, "EUR"}; },
                      {"budget_per_quarter[2027Q2]"}, "negative"},
        PortfolioCase{"BudgetInOtherCurrency",
                      [](Portfolio& p) { p.budget_per_quarter[Qtr(2027, 3)].currency = "USD"; },
                      {"budget_per_quarter[2027Q3].currency"}, "USD"},
        PortfolioCase{"NegativeCapacity", [](Portfolio& p) { p.capacity_hours["data"][Qtr(2027, 1)] = -1; },
                      {"capacity_hours[data][2027Q1]"}, "negative"},
        PortfolioCase{"NonFiniteCapacity", [](Portfolio& p) { p.capacity_hours["data"][Qtr(2027, 1)] = kInf; },
                      {"capacity_hours[data][2027Q1]"}, "finite"},
        PortfolioCase{"CapacityOutsideRange",
                      [](Portfolio& p) { p.capacity_hours["backend"][Qtr(2026, 4)] = 10; },
                      {"capacity_hours[backend][2026Q4]"}, "outside the portfolio's range"},
        PortfolioCase{"EmptySkillName", [](Portfolio& p) { p.capacity_hours[""][Qtr(2027, 1)] = 10; },
                      {"capacity_hours[]"}, "skill name must not be empty"},
        PortfolioCase{"TooManySkills",
                      [](Portfolio& p) {
                        for (size_t i = 0; i <= kMaxSkills; ++i) p.capacity_hours["skill" + std::to_string(i)];
                      },
                      {"capacity_hours"}, "at most 50"},
        PortfolioCase{"NegativeWipLimit", [](Portfolio& p) { p.wip_limit = -1; }, {"wip_limit"}, "negative"}),
    CaseName<Portfolio>);

// --- progress report --------------------------------------------------------------------

ProgressReport ValidReport() {
  ProgressReport r;
  r.as_of = Day(2027, 3, 31);
  r.percent_complete = 40;
  r.actual_spend_to_date = Eur(180'000);
  r.forecast_at_completion = Eur(520'000);
  r.schedule_variance_days = 6;
  r.milestones = {{"Identity vendor live", Day(2027, 3, 1), true}, {"Pilot", Day(2027, 6, 1), false}};
  r.delivery_confidence = 0.7;
  r.note = "Vendor integration done; pilot on track.";
  return r;
}

TEST(ProgressValidationTest, FixtureIsValid) { EXPECT_TRUE(ValidateProgressReport(ValidReport(), "EUR").ok()); }

TEST(ProgressValidationTest, BoundsAreInclusive) {
  ProgressReport r = ValidReport();
  r.percent_complete = 100;
  r.delivery_confidence = 0;
  r.schedule_variance_days = -30;  // early is fine
  r.milestones.resize(kMaxMilestones, r.milestones[0]);
  EXPECT_TRUE(ValidateProgressReport(r, "EUR").ok());
}

class ProgressRuleTest : public ::testing::TestWithParam<ProgressCase> {};

TEST_P(ProgressRuleTest, ReportsOnlyThisRule) {
  ProgressReport r = ValidReport();
  GetParam().mutate(r);
  ExpectExactly(ValidateProgressReport(r, "EUR"), GetParam());
}

INSTANTIATE_TEST_SUITE_P(
    Rules, ProgressRuleTest,
    ::testing::Values(
        ProgressCase{"InvalidAsOf", [](ProgressReport& r) { r.as_of = Date{}; }, {"as_of"}, "valid date"},
        ProgressCase{"PercentAboveHundred", [](ProgressReport& r) { r.percent_complete = 100.5; },
                     {"percent_complete"}, "between 0 and 100"},
        ProgressCase{"NegativePercent", [](ProgressReport& r) { r.percent_complete = -1; }, {"percent_complete"},
                     "between 0 and 100"},
        ProgressCase{"NonFinitePercent", [](ProgressReport& r) { r.percent_complete = kNaN; }, {"percent_complete"},
                     "finite"},
        ProgressCase{"NegativeSpend", [](ProgressReport& r) { r.actual_spend_to_date = Money{-1, "EUR"}; },
                     {"actual_spend_to_date"}, "negative"},
        ProgressCase{"ForecastInOtherCurrency",
                     [](ProgressReport& r) { r.forecast_at_completion.currency = "USD"; },
                     {"forecast_at_completion.currency"}, "EUR"},
        ProgressCase{"ConfidenceAboveOne", [](ProgressReport& r) { r.delivery_confidence = 1.2; },
                     {"delivery_confidence"}, "between 0 and 1"},
        ProgressCase{"NonFiniteConfidence", [](ProgressReport& r) { r.delivery_confidence = kInf; },
                     {"delivery_confidence"}, "finite"},
        ProgressCase{"TooManyMilestones",
                     [](ProgressReport& r) { r.milestones.resize(kMaxMilestones + 1, r.milestones[0]); },
                     {"milestones"}, "at most 50"},
        ProgressCase{"UnnamedMilestone", [](ProgressReport& r) { r.milestones[1].name = ""; },
                     {"milestones[1].name"}, "must not be empty"},
        ProgressCase{"InvalidMilestoneDue", [](ProgressReport& r) { r.milestones[0].due = Day(2027, 4, 31); },
                     {"milestones[0].due"}, "not a valid date"},
        ProgressCase{"OverlongNote", [](ProgressReport& r) { r.note = Repeat(kMaxTextLength + 1); }, {"note"},
                     "at most"}),
    CaseName<ProgressReport>);

TEST(CheckMoneyTest, UnsetAmountNeedsNoCurrency) {
  Violations v;
  CheckMoney(Money{}, "x", "EUR", v);
  EXPECT_TRUE(v.empty());
  CheckMoney(Money{5, ""}, "y", "EUR", v);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v.list()[0].field, "y.currency");
  EXPECT_THAT(v.list()[0].description, HasSubstr("EUR"));
}

}  // namespace
}  // namespace pmo::intake::domain
