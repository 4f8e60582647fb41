// Internal to the scenario planner: a scenario as index-based 0/1 data, the reduction
// that fixes forced and impossible choices, the greedy answer and selection checks.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/scoring/domain/scenario.h"

namespace pmo::scoring::domain::selection {

// A "<= limit" row over the candidates: a budget, a capacity or the WIP limit.
struct Row {
  std::string name;
  double limit = 0;
  std::vector<double> coef;  // per candidate, >= 0
};

struct Group {
  std::string name;
  std::vector<int> members;
};

struct Problem {
  std::vector<std::string> ids;
  std::vector<double> value;  // objective coefficient per candidate
  std::vector<Row> rows;      // budgets (by quarter), capacities (by skill, quarter), wip
  std::vector<std::vector<int>> prerequisites;  // per candidate
  std::vector<std::pair<int, int>> dependencies;  // (dependent, prerequisite) as given
  std::vector<Group> groups;
  std::vector<int> mandatory;
  std::vector<int> excluded;
  size_t size() const { return ids.size(); }
};

// Validates the scenario (INVALID_ARGUMENT with every violation) and indexes it, with
// every budget limit multiplied by budget_scale.
absl::StatusOr<Problem> Build(const Scenario& scenario, double budget_scale = 1.0);

// Tolerance for "use <= limit" and "use == limit": relative, with a floor for limits
// near zero, so sums of decimal money amounts compare as people expect.
double Slack(double limit);

enum class Fix : signed char { kFree, kIn, kOut };

struct Reduction {
  std::vector<Fix> fix;          // per candidate
  std::vector<double> residual;  // per row: limit minus what the required set uses
  std::vector<std::string> conflicts;  // non-empty: the scenario is infeasible
  bool infeasible() const { return !conflicts.empty(); }
};

// Fixes in every required initiative (mandatory, and transitively what they need),
// reports the conflicts that make the scenario infeasible, and fixes out what can never
// be chosen beside the required set: excluded initiatives, anything needing an excluded
// one, other members of a group holding a required one, and candidates whose own needs
// (with their missing prerequisites) exceed what the required set leaves of a limit.
Reduction Reduce(const Problem& problem);

// The greedy selection (see GreedySelect) on a feasible reduction; 1 = selected.
std::vector<char> Greedy(const Problem& problem, const Reduction& reduction);

double Objective(const Problem& problem, const std::vector<char>& x);

// Every rule x breaks, as a readable line; empty when x is a valid selection.
std::vector<std::string> Violations(const Problem& problem, const std::vector<char>& x);

// Ids, objective, constraint use and violations of x.
Selection Describe(const Problem& problem, const std::vector<char>& x);

}  // namespace pmo::scoring::domain::selection
