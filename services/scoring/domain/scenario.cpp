#include "services/scoring/domain/scenario.h"

#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/scoring/domain/mip_solver.h"
#include "services/scoring/domain/selection_problem.h"
#include "pmo/base/errors.h"

namespace pmo::scoring::domain {
namespace {

using selection::MipAnswer;
using selection::Problem;

// Adds the time-limit rule to whatever Build found, so a caller sees every problem.
absl::Status CheckTimeLimit(int64_t time_limit_ms, absl::Status built) {
  if (time_limit_ms > 0) return built;
  std::vector<FieldViolation> all = ViolationsOf(built);
  all.push_back({"time_limit_ms", "must be positive"});
  return InvalidArgument("invalid scenario", all);
}

ScenarioResult Solve(const Problem& problem, int64_t time_limit_ms) {
  const auto started = std::chrono::steady_clock::now();
  auto elapsed_ms = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  };
  ScenarioResult result;
  const selection::Reduction reduction = selection::Reduce(problem);
  if (reduction.infeasible()) {
    result.status = SolveStatus::kInfeasible;
    result.conflicts = reduction.conflicts;
    result.solve_time_ms = elapsed_ms();
    return result;
  }
  const std::vector<char> greedy = selection::Greedy(problem, reduction);
  const MipAnswer mip = selection::SolveMip(problem, reduction, greedy, time_limit_ms);

  // The solver's answer is used only if it checks out against the rules at our own
  // tolerance and is no worse than the greedy one; CBC accepts rows within its own
  // feasibility tolerance, which on amounts right at a limit may differ from ours.
  std::vector<char> chosen = greedy;
  result.status = SolveStatus::kFeasible;
  const bool solved = mip.status == MipAnswer::Status::kOptimal || mip.status == MipAnswer::Status::kFeasible;
  if (solved && selection::Violations(problem, mip.x).empty() &&
      selection::Objective(problem, mip.x) >= selection::Objective(problem, greedy)) {
    chosen = mip.x;
    if (mip.status == MipAnswer::Status::kOptimal) result.status = SolveStatus::kOptimal;
  }
  result.optimal = selection::Describe(problem, chosen);
  result.greedy = selection::Describe(problem, greedy);
  const double objective = result.optimal.objective_value;
  result.best_bound = result.status == SolveStatus::kOptimal ? objective : std::max(mip.bound, objective);
  const double scale = std::max(std::abs(result.best_bound), std::abs(objective));
  result.relative_gap = scale > 0 ? (result.best_bound - objective) / scale : 0;
  result.gain = objective - result.greedy.objective_value;
  result.relative_gain =
      result.greedy.objective_value != 0 ? result.gain / std::abs(result.greedy.objective_value) : 0;
  result.solve_time_ms = elapsed_ms();
  return result;
}

}  // namespace

std::string_view ObjectiveKindName(ObjectiveKind kind) {
  switch (kind) {
    case ObjectiveKind::kTotalScore: return "TOTAL_SCORE";
    case ObjectiveKind::kExpectedBenefit: return "EXPECTED_BENEFIT";
    case ObjectiveKind::kRiskAdjustedValue: return "RISK_ADJUSTED_VALUE";
  }
  return "UNKNOWN";
}

std::optional<ObjectiveKind> ParseObjectiveKind(std::string_view name) {
  for (ObjectiveKind k :
       {ObjectiveKind::kTotalScore, ObjectiveKind::kExpectedBenefit, ObjectiveKind::kRiskAdjustedValue}) {
    if (ObjectiveKindName(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view SolveStatusName(SolveStatus status) {
  switch (status) {
    case SolveStatus::kOptimal: return "OPTIMAL";
    case SolveStatus::kFeasible: return "FEASIBLE";
    case SolveStatus::kInfeasible: return "INFEASIBLE";
  }
  return "UNKNOWN";
}

double ObjectiveValue(const Candidate& candidate, ObjectiveKind kind) {
  switch (kind) {
    case ObjectiveKind::kTotalScore: return candidate.score;
    case ObjectiveKind::kExpectedBenefit: return candidate.expected_benefit;
    case ObjectiveKind::kRiskAdjustedValue:
      return candidate.expected_benefit * (1 - candidate.risk_probability * candidate.risk_impact);
  }
  return 0;
}

absl::StatusOr<ScenarioResult> RunScenario(const Scenario& scenario) {
  absl::StatusOr<Problem> problem = selection::Build(scenario);
  if (absl::Status s = CheckTimeLimit(scenario.time_limit_ms, problem.status()); !s.ok()) return s;
  return Solve(*problem, scenario.time_limit_ms);
}

absl::StatusOr<Selection> GreedySelect(const Scenario& scenario) {
  absl::StatusOr<Problem> problem = selection::Build(scenario);
  if (!problem.ok()) return problem.status();
  const selection::Reduction reduction = selection::Reduce(*problem);
  if (reduction.infeasible()) {
    return absl::FailedPreconditionError(
        absl::StrCat("scenario is infeasible: ", absl::StrJoin(reduction.conflicts, "; ")));
  }
  return selection::Describe(*problem, selection::Greedy(*problem, reduction));
}

absl::StatusOr<Selection> EvaluateSelection(const Scenario& scenario, const std::vector<std::string>& selected_ids) {
  absl::StatusOr<Problem> problem = selection::Build(scenario);
  if (!problem.ok()) return problem.status();
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < problem->size(); ++i) index.emplace(problem->ids[i], i);
  Violations violations;
  std::vector<char> x(problem->size(), 0);
  for (size_t k = 0; k < selected_ids.size(); ++k) {
    auto it = index.find(selected_ids[k]);
    if (it == index.end()) {
      violations.Add(absl::StrCat("selected_ids[", k, "]"), absl::StrCat("unknown candidate \"", selected_ids[k], "\""));
    } else if (x[it->second]) {
      violations.Add(absl::StrCat("selected_ids[", k, "]"), absl::StrCat("\"", selected_ids[k], "\" is listed twice"));
    } else {
      x[it->second] = 1;
    }
  }
  if (!violations.empty()) return violations.ToStatus("invalid selection");
  return selection::Describe(*problem, x);
}

absl::StatusOr<std::vector<FrontierPoint>> EfficientFrontier(const Scenario& scenario,
                                                             const std::vector<double>& budget_scales) {
  Violations violations;
  if (scenario.time_limit_ms <= 0) violations.Add("time_limit_ms", "must be positive");
  if (budget_scales.empty()) violations.Add("budget_scales", "at least one budget level is needed");
  for (size_t k = 0; k < budget_scales.size(); ++k) {
    if (!std::isfinite(budget_scales[k]) || budget_scales[k] < 0) {
      violations.Add(absl::StrCat("budget_scales[", k, "]"), "must be a finite, non-negative number");
    }
  }
  if (absl::StatusOr<Problem> base = selection::Build(scenario); !base.ok()) {
    for (FieldViolation& v : ViolationsOf(base.status())) violations.Add(std::move(v.field), std::move(v.description));
  }
  if (!violations.empty()) return violations.ToStatus("invalid frontier request");

  // Budget rows come first in a Problem, one per quarter with a budget.
  const size_t budget_rows = scenario.constraints.budget_per_quarter.size();
  std::vector<FrontierPoint> points;
  for (double scale : budget_scales) {
    absl::StatusOr<Problem> problem = selection::Build(scenario, scale);
    if (!problem.ok()) return problem.status();
    const ScenarioResult solved = Solve(*problem, scenario.time_limit_ms);
    FrontierPoint point;
    point.budget_scale = scale;
    point.status = solved.status;
    for (size_t k = 0; k < budget_rows; ++k) point.budget_limit += problem->rows[k].limit;
    if (solved.status != SolveStatus::kInfeasible) {
      point.objective_value = solved.optimal.objective_value;
      point.relative_gap = solved.relative_gap;
      point.selected_ids = solved.optimal.selected_ids;
      for (size_t k = 0; k < budget_rows; ++k) point.budget_used += solved.optimal.constraints[k].use;
    }
    points.push_back(std::move(point));
  }
  return points;
}

}  // namespace pmo::scoring::domain
