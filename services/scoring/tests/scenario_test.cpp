#include "services/scoring/domain/scenario.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "status_matchers.h"

namespace pmo::scoring::domain {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using testing::StatusIs;
using testing::ViolationFields;

Candidate Make(std::string id, double score, double cost_q1, bool wip = true) {
  Candidate c;
  c.id = std::move(id);
  c.score = score;
  c.cost_per_quarter["2027Q1"] = cost_q1;
  c.counts_toward_wip = wip;
  return c;
}

const ConstraintUse* Find(const Selection& s, std::string_view name) {
  for (const ConstraintUse& c : s.constraints) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

// The classic case where funding by rank leaves value on the table: A ranks first but
// blocks the pair B + C that is worth more together.
Scenario Knapsack() {
  Scenario s;
  s.candidates = {Make("A", 10, 6), Make("B", 7, 5), Make("C", 7, 5)};
  s.constraints.budget_per_quarter["2027Q1"] = 10;
  return s;
}

TEST(ScenarioTest, BeatsFundByRankAndReportsTheGain) {
  auto r = RunScenario(Knapsack());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, SolveStatus::kOptimal);
  EXPECT_THAT(r->optimal.selected_ids, ElementsAre("B", "C"));
  EXPECT_DOUBLE_EQ(r->optimal.objective_value, 14);
  EXPECT_THAT(r->greedy.selected_ids, ElementsAre("A"));
  EXPECT_DOUBLE_EQ(r->greedy.objective_value, 10);
  EXPECT_DOUBLE_EQ(r->gain, 4);
  EXPECT_DOUBLE_EQ(r->relative_gain, 0.4);
  EXPECT_EQ(r->relative_gap, 0);
  EXPECT_DOUBLE_EQ(r->best_bound, 14);
  EXPECT_THAT(r->optimal.violations, IsEmpty());
  const ConstraintUse* budget = Find(r->optimal, "budget 2027Q1");
  ASSERT_NE(budget, nullptr);
  EXPECT_DOUBLE_EQ(budget->use, 10);
  EXPECT_DOUBLE_EQ(budget->limit, 10);
  EXPECT_TRUE(budget->binding);
  EXPECT_FALSE(Find(r->greedy, "budget 2027Q1")->binding);
  EXPECT_GE(r->solve_time_ms, 0);
}

TEST(ScenarioTest, NamesEveryLimitAndWhichOnesBind) {
  Scenario s;
  Candidate a = Make("a", 50, 10);
  a.effort_hours["dev"]["2027Q2"] = 300;
  Candidate b = Make("b", 40, 10);
  b.effort_hours["dev"]["2027Q2"] = 200;
  b.effort_hours["data"]["2027Q2"] = 50;
  Candidate c = Make("c", 30, 10, /*wip=*/false);
  s.candidates = {a, b, c};
  s.constraints.budget_per_quarter = {{"2027Q1", 100}, {"2027Q2", 0}};
  s.constraints.capacity_hours["dev"]["2027Q2"] = 500;
  s.constraints.capacity_hours["data"]["2027Q2"] = 80;
  s.constraints.wip_limit = 2;
  s.constraints.exclusive_groups = {{"platform", {"a", "c"}}, {"", {"b", "c"}}};
  auto r = RunScenario(s);
  ASSERT_TRUE(r.ok()) << r.status();
  // a + b (90) beats a or b with c; c is exclusive with both.
  EXPECT_THAT(r->optimal.selected_ids, ElementsAre("a", "b"));
  std::vector<std::string> names;
  for (const ConstraintUse& c : r->optimal.constraints) names.push_back(c.name);
  EXPECT_THAT(names, ElementsAre("budget 2027Q1", "budget 2027Q2", "capacity data 2027Q2", "capacity dev 2027Q2",
                                 "wip", "exclusive group platform", "exclusive group 1"));
  EXPECT_FALSE(Find(r->optimal, "budget 2027Q1")->binding);
  EXPECT_TRUE(Find(r->optimal, "budget 2027Q2")->binding);  // 0 of 0
  EXPECT_TRUE(Find(r->optimal, "capacity dev 2027Q2")->binding);
  EXPECT_DOUBLE_EQ(Find(r->optimal, "capacity data 2027Q2")->use, 50);
  EXPECT_TRUE(Find(r->optimal, "wip")->binding);
  EXPECT_TRUE(Find(r->optimal, "exclusive group platform")->binding);
}

TEST(ScenarioTest, DependenciesAreFundedTogether) {
  Scenario s;
  s.candidates = {Make("platform", 5, 4), Make("feature", 60, 4), Make("other", 40, 5)};
  s.constraints.budget_per_quarter["2027Q1"] = 9;
  s.constraints.dependencies = {{"feature", "platform"}};
  auto r = RunScenario(s);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->optimal.selected_ids, ElementsAre("feature", "platform"));
  // Fund by rank takes the feature's bundle (feature + platform) first, too.
  EXPECT_THAT(r->greedy.selected_ids, ElementsAre("feature", "platform"));

  // Without room for the prerequisite, the dependent cannot be chosen.
  s.constraints.budget_per_quarter["2027Q1"] = 7;
  r = RunScenario(s);
  EXPECT_THAT(r->optimal.selected_ids, ElementsAre("other"));
}

TEST(ScenarioTest, MandatoryAndExcludedAreHonoured) {
  Scenario s = Knapsack();
  s.constraints.mandatory = {"A"};
  s.constraints.excluded = {"C"};
  auto r = RunScenario(s);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->optimal.selected_ids, ElementsAre("A"));
  s.constraints.mandatory = {};
  s.constraints.budget_per_quarter["2027Q1"] = 100;
  r = RunScenario(s);
  EXPECT_THAT(r->optimal.selected_ids, ElementsAre("A", "B"));
}

TEST(ScenarioTest, ObjectiveKinds) {
  Candidate c;
  c.score = 70;
  c.expected_benefit = 1000;
  c.risk_probability = 0.5;
  c.risk_impact = 0.4;
  EXPECT_DOUBLE_EQ(ObjectiveValue(c, ObjectiveKind::kTotalScore), 70);
  EXPECT_DOUBLE_EQ(ObjectiveValue(c, ObjectiveKind::kExpectedBenefit), 1000);
  EXPECT_DOUBLE_EQ(ObjectiveValue(c, ObjectiveKind::kRiskAdjustedValue), 800);

  // A risky big benefit loses to a safe smaller one only when risk is priced in.
  Scenario s;
  Candidate risky = Make("risky", 0, 10);
  risky.expected_benefit = 1000;
  risky.risk_probability = 0.9;
  risky.risk_impact = 0.8;
  Candidate safe = Make("safe", 0, 10);
  safe.expected_benefit = 600;
  s.candidates = {risky, safe};
  s.constraints.budget_per_quarter["2027Q1"] = 10;
  s.objective = ObjectiveKind::kExpectedBenefit;
  EXPECT_THAT(RunScenario(s)->optimal.selected_ids, ElementsAre("risky"));
  s.objective = ObjectiveKind::kRiskAdjustedValue;
  EXPECT_THAT(RunScenario(s)->optimal.selected_ids, ElementsAre("safe"));
  EXPECT_EQ(ParseObjectiveKind("RISK_ADJUSTED_VALUE"), ObjectiveKind::kRiskAdjustedValue);
}

TEST(ScenarioTest, InfeasibleScenariosNameTheConflictingConstraints) {
  Scenario s;
  s.candidates = {Make("a", 10, 60), Make("b", 10, 60), Make("c", 10, 1), Make("d", 10, 1)};
  s.constraints.budget_per_quarter["2027Q1"] = 100;
  s.constraints.mandatory = {"a", "b", "c"};
  s.constraints.excluded = {"c", "d"};
  s.constraints.dependencies = {{"a", "d"}};
  s.constraints.exclusive_groups = {{"platform", {"a", "b"}}};
  auto r = RunScenario(s);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, SolveStatus::kInfeasible);
  EXPECT_THAT(r->conflicts,
              UnorderedElementsAre(
                  "mandatory and excluded: c",
                  "dependency: mandatory a needs d (directly or through its prerequisites), which is excluded",
                  "exclusive group platform: a and b are both required (mandatory or needed by a mandatory "
                  "initiative)",
                  "budget 2027Q1: the mandatory initiatives and what they need use 122 of 100"));
  EXPECT_THAT(r->optimal.selected_ids, IsEmpty());
  EXPECT_THAT(GreedySelect(s), StatusIs(absl::StatusCode::kFailedPrecondition,
                                        AllOf(HasSubstr("infeasible"), HasSubstr("mandatory and excluded: c"))));
}

TEST(ScenarioTest, WipAndCapacityConflictsToo) {
  Scenario s;
  Candidate a = Make("a", 1, 0);
  a.effort_hours["dev"]["2027Q3"] = 10;
  s.candidates = {a, Make("b", 1, 0)};
  s.constraints.mandatory = {"a", "b"};
  s.constraints.wip_limit = 1;
  s.constraints.capacity_hours["dev"]["2027Q3"] = 5;
  auto r = RunScenario(s);
  EXPECT_EQ(r->status, SolveStatus::kInfeasible);
  EXPECT_THAT(r->conflicts, UnorderedElementsAre(HasSubstr("capacity dev 2027Q3: "), HasSubstr("wip: ")));
}

TEST(ScenarioTest, RefusesInvalidInputListingEveryProblem) {
  Scenario s;
  s.candidates = {Make("a", 1, -5), Make("a", 1, 1), Make("", std::numeric_limits<double>::infinity(), 1)};
  s.candidates[1].risk_probability = 2;
  s.constraints.budget_per_quarter["2027Q1"] = -1;
  s.constraints.wip_limit = -1;
  s.constraints.mandatory = {"ghost"};
  s.constraints.dependencies = {{"a", "a"}};
  s.constraints.exclusive_groups = {{"g", {"a", "a"}}};
  s.time_limit_ms = 0;
  auto r = RunScenario(s);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate id \"a\"")));
  EXPECT_THAT(ViolationFields(r),
              UnorderedElementsAre("candidates[0].cost_per_quarter[2027Q1]", "candidates[1].id",
                                   "candidates[1].risk_probability", "candidates[2].id", "candidates[2].score",
                                   "constraints.budget_per_quarter[2027Q1]", "constraints.wip_limit",
                                   "constraints.mandatory[0]", "constraints.dependencies[0]",
                                   "constraints.exclusive_groups[0].ids[1]", "time_limit_ms"));
}

TEST(ScenarioTest, EvaluateSelectionReportsBrokenRules) {
  Scenario s = Knapsack();
  s.constraints.mandatory = {"A"};
  s.constraints.dependencies = {{"B", "A"}};
  s.constraints.exclusive_groups = {{"pair", {"B", "C"}}};
  auto e = EvaluateSelection(s, {"B", "C"});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_DOUBLE_EQ(e->objective_value, 14);
  EXPECT_THAT(e->violations, UnorderedElementsAre("mandatory A is not selected", "dependency: B needs A",
                                                  "exclusive group pair: B, C"));
  e = EvaluateSelection(s, {"A", "B", "C"});
  EXPECT_THAT(e->violations, Contains("budget 2027Q1: uses 16 of 10"));
  EXPECT_THAT(EvaluateSelection(s, {"A", "A", "Z"}),
              StatusIs(absl::StatusCode::kInvalidArgument, AllOf(HasSubstr("listed twice"), HasSubstr("\"Z\""))));
}

TEST(ScenarioTest, EfficientFrontierRisesWithTheBudget) {
  Scenario s = Knapsack();
  s.candidates.push_back(Make("free", 1, 0));
  auto f = EfficientFrontier(s, {0, 0.5, 1, 2});
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->size(), 4u);
  EXPECT_DOUBLE_EQ((*f)[0].objective_value, 1);  // only what costs nothing
  EXPECT_DOUBLE_EQ((*f)[1].objective_value, 8);  // budget 5: B or C
  EXPECT_DOUBLE_EQ((*f)[2].objective_value, 15);
  EXPECT_DOUBLE_EQ((*f)[3].objective_value, 25);  // budget 20: everything
  EXPECT_DOUBLE_EQ((*f)[3].budget_limit, 20);
  EXPECT_DOUBLE_EQ((*f)[3].budget_used, 16);
  for (const FrontierPoint& p : *f) EXPECT_EQ(p.status, SolveStatus::kOptimal);
  EXPECT_THAT(EfficientFrontier(s, {1, -1}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("budget_scales[1]")));
}

TEST(ScenarioTest, EmptyScenarioIsTriviallyOptimal) {
  auto r = RunScenario(Scenario{});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, SolveStatus::kOptimal);
  EXPECT_THAT(r->optimal.selected_ids, IsEmpty());
}

// A larger instance under a very short time limit: whatever the solver manages, the
// answer is valid and never worse than the greedy one it started from.
TEST(ScenarioTest, ShortTimeLimitStillGivesAValidAnswerAtLeastAsGoodAsGreedy) {
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> unit(0, 1);
  Scenario s;
  const std::vector<std::string> quarters = {"2027Q1", "2027Q2", "2027Q3", "2027Q4"};
  const std::vector<std::string> skills = {"dev", "data", "ops"};
  for (int i = 0; i < 400; ++i) {
    Candidate c;
    c.id = "init-" + std::to_string(1000 + i);
    c.score = std::round(unit(rng) * 10000) / 100;
    for (const std::string& q : quarters) {
      if (unit(rng) < 0.7) c.cost_per_quarter[q] = std::round(10 + unit(rng) * 90);
      for (const std::string& k : skills) {
        if (unit(rng) < 0.4) c.effort_hours[k][q] = std::round(unit(rng) * 200);
      }
    }
    s.candidates.push_back(std::move(c));
    if (i > 10 && unit(rng) < 0.2) {
      s.constraints.dependencies.push_back({s.candidates.back().id, s.candidates[rng() % (i - 1)].id});
    }
  }
  for (const std::string& q : quarters) {
    s.constraints.budget_per_quarter[q] = 4000;
    for (const std::string& k : skills) s.constraints.capacity_hours[k][q] = 6000;
  }
  s.constraints.wip_limit = 90;
  s.time_limit_ms = 50;
  auto r = RunScenario(s);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NE(r->status, SolveStatus::kInfeasible);
  EXPECT_THAT(r->optimal.violations, IsEmpty());
  EXPECT_THAT(r->greedy.violations, IsEmpty());
  EXPECT_GE(r->gain, 0);
  EXPECT_GE(r->relative_gap, 0);
  EXPECT_GE(r->best_bound, r->optimal.objective_value);
  if (r->status == SolveStatus::kOptimal) {
    EXPECT_EQ(r->relative_gap, 0);
  }
}

}  // namespace
}  // namespace pmo::scoring::domain
