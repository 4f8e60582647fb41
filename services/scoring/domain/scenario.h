// Scenario planning: choose the set of candidate initiatives that maximises an objective
// under budget, skill capacity, WIP, mandatory/excluded, dependency and exclusivity rules.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace pmo::scoring::domain {

// What a scenario maximises; each candidate's coefficient is ObjectiveValue().
enum class ObjectiveKind {
  kTotalScore,         // sum of scores (0..100 each)
  kExpectedBenefit,    // sum of expected benefit value (money)
  kRiskAdjustedValue,  // sum of expected benefit * (1 - risk_probability * risk_impact)
};
std::string_view ObjectiveKindName(ObjectiveKind kind);  // "TOTAL_SCORE", ...
std::optional<ObjectiveKind> ParseObjectiveKind(std::string_view name);

// Quarter labels sort chronologically as strings ("2027Q1" < "2027Q2").
using PerQuarter = std::map<std::string, double, std::less<>>;
// skill -> quarter -> hours.
using PerSkillQuarter = std::map<std::string, PerQuarter, std::less<>>;

struct Candidate {
  std::string id;
  double score = 0;             // the initiative's current score
  double expected_benefit = 0;  // expected benefit value from the benefits register
  // The risk-adjusted objective discounts the expected benefit by the expected share
  // lost: risk_probability (0..1, chance the main delivery risk materialises) times
  // risk_impact (0..1, share of the benefit lost when it does).
  double risk_probability = 0;
  double risk_impact = 0;
  PerQuarter cost_per_quarter;     // money per quarter
  PerSkillQuarter effort_hours;    // hours per skill per quarter
  bool counts_toward_wip = true;   // false for e.g. studies that do not occupy a delivery slot
};

double ObjectiveValue(const Candidate& candidate, ObjectiveKind kind);

// "dependent needs prerequisite": dependent can be chosen only with prerequisite.
struct Dependency {
  std::string dependent;
  std::string prerequisite;
};

// At most one of `ids` may be chosen (alternatives to each other).
struct ExclusiveGroup {
  std::string name;  // shown in constraint names; "group <index>" when empty
  std::vector<std::string> ids;
};

// Only the limits listed apply: a quarter without a budget entry, or a skill/quarter
// without a capacity entry, is not limited here. (The caller materialises a portfolio
// whose missing entries mean zero as explicit zero entries.)
struct ScenarioConstraints {
  PerQuarter budget_per_quarter;
  PerSkillQuarter capacity_hours;
  std::optional<int64_t> wip_limit;  // candidates with counts_toward_wip
  std::vector<std::string> mandatory;
  std::vector<std::string> excluded;
  std::vector<Dependency> dependencies;
  std::vector<ExclusiveGroup> exclusive_groups;
};

struct Scenario {
  std::vector<Candidate> candidates;
  ScenarioConstraints constraints;
  ObjectiveKind objective = ObjectiveKind::kTotalScore;
  int64_t time_limit_ms = 10'000;  // for the exact solve; the greedy answer is instant
};

enum class SolveStatus {
  kOptimal,     // proven optimal
  kFeasible,    // the time limit ended the search; relative_gap says how far it may be
  kInfeasible,  // no selection satisfies the constraints; conflicts say why
};
std::string_view SolveStatusName(SolveStatus status);

// A resource limit with its use by a selection. Names: "budget 2027Q1",
// "capacity dev 2027Q2", "wip", "exclusive <group name>" (limit 1).
struct ConstraintUse {
  std::string name;
  double use = 0;
  double limit = 0;
  bool binding = false;  // use == limit (within a relative 1e-9): the limit holds the answer back
};

struct Selection {
  std::vector<std::string> selected_ids;  // sorted
  double objective_value = 0;
  std::vector<ConstraintUse> constraints;  // budgets, capacities, wip, exclusive groups
  // Rules the selection breaks, e.g. "budget 2027Q1: uses 120 of 100", "dependency: b
  // needs a". Always empty for selections RunScenario and GreedySelect return.
  std::vector<std::string> violations;
};

struct ScenarioResult {
  SolveStatus status = SolveStatus::kInfeasible;
  Selection optimal;  // the solver's answer; empty when infeasible
  // (best_bound - objective) / max(|best_bound|, |objective|): 0 when optimal, and the
  // share of the bound not yet proven reachable otherwise. best_bound is an upper bound
  // on the objective of any valid selection (CBC's best bound).
  double relative_gap = 0;
  double best_bound = 0;
  // When infeasible: each conflicting set of constraints, e.g. "exclusive group
  // platform: a and b are both required (mandatory or needed by a mandatory initiative)".
  std::vector<std::string> conflicts;
  int64_t solve_time_ms = 0;
  Selection greedy;           // fund by rank, see GreedySelect; empty when infeasible
  double gain = 0;            // optimal - greedy objective (>= 0)
  double relative_gain = 0;   // gain / |greedy objective|; 0 when that is 0
};

// Solves the selection exactly as a 0/1 program with COIN-OR CBC:
//   maximise sum(v_i x_i), x_i in {0, 1}, subject to
//   sum(cost_iq x_i) <= budget_q, sum(effort_isq x_i) <= capacity_sq,
//   sum(wip_i x_i) <= wip_limit, x_m = 1 (mandatory), x_e = 0 (excluded),
//   x_b <= x_a (b needs a), sum over a group of x_i <= 1.
// Before the solver runs, infeasibility is detected directly and explained: mandatory
// and excluded overlap, a mandatory initiative (or one it needs) depending on an
// excluded one, two required initiatives in one exclusive group, or the required set
// alone exceeding a limit. With non-negative costs these are the only ways a scenario
// can be infeasible, because otherwise the required set itself is a valid selection.
// The model is then tightened: required initiatives are fixed in, and initiatives that
// cannot fit beside them are fixed out; CBC is warm-started with the greedy answer
// (which also sets its objective cutoff) and uses knapsack cover, clique, probing,
// Gomory, MIR and flow cover cuts with its rounding, local search, feasibility pump and
// RINS heuristics. OPTIMAL when proven within time_limit_ms, else FEASIBLE with the gap.
//
// INVALID_ARGUMENT (every violation listed) for duplicate or empty ids, unknown ids in
// constraints, a self-dependency, negative or non-finite costs, efforts or limits,
// probabilities outside [0, 1], or a non-positive time limit.
absl::StatusOr<ScenarioResult> RunScenario(const Scenario& scenario);

// "Fund by rank": start from the required initiatives, then walk the candidates by
// objective value (descending, ties by id) and fund each one, together with the
// prerequisites it still lacks, when the bundle adds value and breaks no rule; a
// candidate that does not fit is passed over and the walk continues, so the baseline
// is the generous version of the practice. FAILED_PRECONDITION naming the conflicts
// when the scenario is infeasible.
absl::StatusOr<Selection> GreedySelect(const Scenario& scenario);

// Objective, use per constraint and broken rules of any given selection (for compare
// views and what-if edits). INVALID_ARGUMENT for an unknown or repeated id.
absl::StatusOr<Selection> EvaluateSelection(const Scenario& scenario, const std::vector<std::string>& selected_ids);

struct FrontierPoint {
  double budget_scale = 1;  // every quarter's budget multiplied by this
  SolveStatus status = SolveStatus::kInfeasible;
  double objective_value = 0;
  double relative_gap = 0;
  double budget_limit = 0;  // total budget over the quarters at this scale
  double budget_used = 0;
  std::vector<std::string> selected_ids;
};

// The optimal objective at each budget level: the scenario re-solved with every
// budget_per_quarter limit scaled (capacity and WIP unchanged), one point per scale in
// the order given, each with the scenario's time limit. Scales must be finite and >= 0.
absl::StatusOr<std::vector<FrontierPoint>> EfficientFrontier(const Scenario& scenario,
                                                             const std::vector<double>& budget_scales);

}  // namespace pmo::scoring::domain
