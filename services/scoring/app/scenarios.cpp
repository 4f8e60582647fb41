#include "services/scoring/app/scenarios.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "pmo/common/proto_convert.h"
#include "services/scoring/app/convert.h"
#include "services/scoring/domain/scenario.h"
#include "pmo/base/errors.h"
#include "pmo/scoring/v1/events.pb.h"

namespace pmo::scoring::app {
namespace {
namespace iv1 = ::pmo::intake::v1;

// The request's limits, else the portfolio's (from intake's PortfolioChanged).
void ApplyConstraints(const v1::ScenarioConstraints& c, const iv1::Portfolio& p, domain::ScenarioConstraints& out) {
  const auto& budgets = c.budget_per_quarter_size() > 0 ? c.budget_per_quarter() : p.budget_per_quarter();
  for (const auto& b : budgets) out.budget_per_quarter[QuarterKey(b.quarter())] = MajorUnits(b.amount());
  const auto& capacity = c.capacity_size() > 0 ? c.capacity() : p.capacity();
  for (const auto& s : capacity) out.capacity_hours[s.skill()][QuarterKey(s.quarter())] = s.hours();
  int wip = c.wip_limit() != 0 ? c.wip_limit() : p.wip_limit();
  if (wip > 0) out.wip_limit = wip;
  out.mandatory.assign(c.mandatory().begin(), c.mandatory().end());
  out.excluded.assign(c.excluded().begin(), c.excluded().end());
  for (const auto& d : c.dependencies()) out.dependencies.push_back({d.dependent(), d.prerequisite()});
  for (const auto& g : c.exclusive_groups())
    out.exclusive_groups.push_back({g.name(), {g.initiative_ids().begin(), g.initiative_ids().end()}});
}

domain::Candidate CandidateOf(const store::ScenarioRow& row) {
  const auto& snap = row.snapshot;
  domain::Candidate cand;
  cand.id = snap.id();
  cand.score = row.score.value_or(0);
  // Expected benefit value: from the benefits register once it has the initiative's
  // benefits; until then the economic case's expected value.
  cand.expected_benefit = row.registered_benefit ? *row.registered_benefit
                                                 : MajorUnits(snap.business_case().economic().expected_value());
  cand.risk_probability = snap.risk().probability();
  cand.risk_impact = std::clamp(snap.risk().impact(), 0.0, 1.0);
  for (const auto& q : snap.cost_per_quarter()) cand.cost_per_quarter[QuarterKey(q.quarter())] += MajorUnits(q.amount());
  for (const auto& e : snap.effort()) cand.effort_hours[e.skill()][QuarterKey(e.quarter())] += e.hours();
  return cand;
}

// Dependencies intake recorded: one on a candidate is a constraint; one on an
// initiative already funded or delivered is satisfied; any other (stopped, draft,
// unknown) cannot be met, so the dependent is not selectable.
void ApplyRecordedDependencies(const std::vector<const iv1::Initiative*>& candidates,
                               const std::map<std::string, iv1::Stage>& stage_of, domain::ScenarioConstraints& out) {
  std::set<std::string> candidate_ids;
  for (const auto* snap : candidates) candidate_ids.insert(snap->id());
  for (const auto* snap : candidates)
    for (const auto& dep : snap->dependencies()) {
      if (candidate_ids.contains(dep)) {
        out.dependencies.push_back({snap->id(), dep});
        continue;
      }
      auto st = stage_of.find(dep);
      bool satisfied = st != stage_of.end() &&
                       (st->second == iv1::STAGE_ACTIVE || st->second == iv1::STAGE_DELIVERED ||
                        st->second == iv1::STAGE_SUSTAINING || st->second == iv1::STAGE_CLOSED);
      if (!satisfied) out.excluded.push_back(snap->id());
    }
}

}  // namespace

struct Scenarios::Inputs {
  domain::Scenario scenario;
  int candidates = 0;
};

absl::StatusOr<Scenarios::Inputs> Scenarios::BuildScenario(const std::string& pid, const v1::ScenarioConstraints& c,
                                                           v1::Objective objective, int64_t time_limit_ms) {
  Inputs in;
  auto& sc = in.scenario;
  sc.objective = ToDomain(objective);
  sc.time_limit_ms = time_limit_ms > 0 ? time_limit_ms : 10'000;
  std::set<std::string> stages(c.candidate_stages().begin(), c.candidate_stages().end());
  if (stages.empty()) stages = {"STAGE_SUBMITTED", "STAGE_IN_REVIEW", "STAGE_APPROVED", "STAGE_ACTIVE"};
  auto portfolio = read_models_.LoadPortfolio(pid);
  if (!portfolio.ok()) return portfolio.status();
  if (!*portfolio && c.budget_per_quarter_size() == 0)
    return absl::NotFoundError("portfolio " + pid + " is not known to scoring yet (no PortfolioChanged consumed)");
  ApplyConstraints(c, portfolio->value_or(iv1::Portfolio()), sc.constraints);

  auto rows = scenarios_.LoadScenarioRows(pid);
  if (!rows.ok()) return rows.status();
  std::map<std::string, iv1::Stage> stage_of;
  std::vector<const iv1::Initiative*> candidates;
  for (const auto& row : *rows) {
    stage_of[row.snapshot.id()] = row.snapshot.stage();
    if (!stages.contains(iv1::Stage_Name(row.snapshot.stage()))) continue;
    sc.candidates.push_back(CandidateOf(row));
    candidates.push_back(&row.snapshot);
  }
  ApplyRecordedDependencies(candidates, stage_of, sc.constraints);
  // A quarter or skill the portfolio has no budget or capacity for has none (as in
  // intake's capacity check), rather than an unlimited one.
  for (const auto& cand : sc.candidates) {
    for (const auto& [q, amount] : cand.cost_per_quarter) sc.constraints.budget_per_quarter.try_emplace(q, 0.0);
    for (const auto& [skill, per_q] : cand.effort_hours)
      for (const auto& [q, h] : per_q) sc.constraints.capacity_hours[skill].try_emplace(q, 0.0);
  }
  in.candidates = static_cast<int>(sc.candidates.size());
  return in;
}

absl::StatusOr<v1::Scenario> Scenarios::RunScenario(const v1::RunScenarioRequest& req, const CallContext& ctx) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  if (req.time_limit_ms() < 0) v.Add("time_limit_ms", "must not be negative");
  if (req.time_limit_ms() > 600'000) v.Add("time_limit_ms", "must be at most 600000 (10 minutes)");
  if (!v.empty()) return v.ToStatus("invalid scenario");
  auto inputs = BuildScenario(req.portfolio_id(), req.constraints(), req.objective(), req.time_limit_ms());
  if (!inputs.ok()) return inputs.status();
  auto result = domain::RunScenario(inputs->scenario);
  if (!result.ok()) return result.status();
  v1::Scenario out;
  out.set_scenario_id(NewUuid());
  out.set_portfolio_id(req.portfolio_id());
  out.set_name(req.name());
  out.set_objective(req.objective() == v1::OBJECTIVE_UNSPECIFIED ? v1::OBJECTIVE_TOTAL_SCORE : req.objective());
  out.set_status(ToProto(result->status));
  *out.mutable_optimal() = ToProto(result->optimal);
  out.set_relative_gap(result->relative_gap);
  for (const auto& c : result->conflicts) out.add_conflicts(c);
  out.set_solve_time_ms(result->solve_time_ms);
  *out.mutable_greedy() = ToProto(result->greedy);
  out.set_gain_over_greedy(result->gain);
  out.set_candidate_count(inputs->candidates);
  metrics_.ScenarioSolved(v1::ScenarioStatus_Name(out.status()), static_cast<double>(result->solve_time_ms) / 1000.0);
  v1::ScenarioEvaluated evaluated;
  *evaluated.mutable_scenario() = out;
  std::vector<OutboxEvent> events;
  events.push_back(ScoringEvent(evaluated, out.scenario_id(), req.portfolio_id(), 1, ctx, clock_));
  if (auto s = scenarios_.SaveScenario(out, absl::ToUnixMillis(clock_.Now()), std::move(events)); !s.ok()) return s;
  return out;
}

absl::StatusOr<v1::Scenario> Scenarios::GetScenario(const v1::GetScenarioRequest& req) {
  if (req.scenario_id().empty()) return InvalidArgument("invalid request", {{"scenario_id", "is required"}});
  auto scenario = scenarios_.LoadScenario(req.scenario_id());
  if (!scenario.ok()) return scenario.status();
  if (!*scenario) return absl::NotFoundError("scenario " + req.scenario_id() + " not found");
  return **scenario;
}

absl::StatusOr<v1::ListScenariosResponse> Scenarios::ListScenarios(const v1::ListScenariosRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto ids = scenarios_.ScenarioIds(req.portfolio_id());
  if (!ids.ok()) return ids.status();
  v1::ListScenariosResponse out;
  for (const auto& id : *ids) {
    v1::GetScenarioRequest g;
    g.set_scenario_id(id);
    auto s = GetScenario(g);
    if (s.ok()) *out.add_scenarios() = std::move(*s);
  }
  return out;
}

absl::StatusOr<v1::CompareScenariosResponse> Scenarios::CompareScenarios(const v1::CompareScenariosRequest& req) {
  Violations v;
  if (req.scenario_a().empty()) v.Add("scenario_a", "is required");
  if (req.scenario_b().empty()) v.Add("scenario_b", "is required");
  if (!v.empty()) return v.ToStatus("invalid comparison");
  v1::GetScenarioRequest ga, gb;
  ga.set_scenario_id(req.scenario_a());
  gb.set_scenario_id(req.scenario_b());
  auto a = GetScenario(ga);
  if (!a.ok()) return a.status();
  auto b = GetScenario(gb);
  if (!b.ok()) return b.status();
  std::set<std::string> in_a(a->optimal().initiative_ids().begin(), a->optimal().initiative_ids().end());
  std::set<std::string> in_b(b->optimal().initiative_ids().begin(), b->optimal().initiative_ids().end());
  v1::CompareScenariosResponse out;
  for (const auto& id : in_b)
    if (!in_a.contains(id)) out.add_added(id);
  for (const auto& id : in_a)
    if (!in_b.contains(id)) out.add_removed(id);
  out.set_objective_delta(b->optimal().objective_value() - a->optimal().objective_value());
  std::map<std::string, std::pair<double, double>> uses;  // name → (a, b)
  for (const auto& c : a->optimal().constraints()) uses[c.name()].first = c.use();
  for (const auto& c : b->optimal().constraints()) uses[c.name()].second = c.use();
  for (const auto& [name, ab] : uses) {
    auto* d = out.add_use_delta();
    d->set_name(name);
    d->set_use(ab.second - ab.first);
  }
  return out;
}

absl::StatusOr<v1::EfficientFrontierResponse> Scenarios::EfficientFrontier(const v1::EfficientFrontierRequest& req) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  if (req.budget_levels_size() == 0) v.Add("budget_levels", "must list at least one level");
  for (int i = 0; i < req.budget_levels_size(); ++i)
    if (!std::isfinite(req.budget_levels(i)) || req.budget_levels(i) < 0)
      v.Add(absl::StrCat("budget_levels[", i, "]"), "must be a finite number >= 0");
  if (!v.empty()) return v.ToStatus("invalid frontier request");
  auto inputs = BuildScenario(req.portfolio_id(), {}, req.objective(), req.time_limit_ms());
  if (!inputs.ok()) return inputs.status();
  auto points = domain::EfficientFrontier(inputs->scenario, {req.budget_levels().begin(), req.budget_levels().end()});
  if (!points.ok()) return points.status();
  v1::EfficientFrontierResponse out;
  for (const auto& p : *points) {
    auto* fp = out.add_points();
    fp->set_budget_level(p.budget_scale);
    fp->set_objective_value(p.objective_value);
    fp->set_status(ToProto(p.status));
    for (const auto& id : p.selected_ids) fp->add_initiative_ids(id);
  }
  return out;
}

}  // namespace pmo::scoring::app
