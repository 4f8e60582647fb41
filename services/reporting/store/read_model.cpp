#include "services/reporting/store/read_model.h"

#include <algorithm>
#include <cstdlib>

#include "services/reporting/store/keys.h"
#include "services/reporting/domain/kpis.h"
#include "services/reporting/domain/rollup.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::reporting::store {

namespace {

template <typename T>
std::optional<T> ParseField(const Fields& f, const std::string& name) {
  auto it = f.find(name);
  if (it == f.end()) return std::nullopt;
  T out;
  if (!out.ParseFromString(it->second)) return std::nullopt;
  return out;
}

int64_t VersionField(const Fields& f, const std::string& field) {
  auto it = f.find(keys::VersionOf(field));
  return it == f.end() ? 0 : std::strtoll(it->second.c_str(), nullptr, 10);
}

// "as_of|source|confidence" → (as_of, confidence)
std::pair<std::string, double> SplitCheckIn(const std::string& entry) {
  auto first = entry.find('|');
  auto last = entry.rfind('|');
  if (first == std::string::npos || last == first) return {"", 0};
  return {entry.substr(0, first), std::strtod(entry.c_str() + last + 1, nullptr)};
}

}  // namespace

v1::DashboardRow AssembleRow(const std::string& id, const PortfolioReadModel& model) {
  static const Fields kEmpty;
  auto it = model.initiatives.find(id);
  const Fields& f = it == model.initiatives.end() ? kEmpty : it->second;
  v1::DashboardRow row = ParseField<v1::DashboardRow>(f, keys::kIntake).value_or(v1::DashboardRow());
  row.set_initiative_id(id);
  row.set_portfolio_id(model.portfolio_id);
  if (auto s = f.find(keys::kScore); s != f.end()) row.set_score(std::strtod(s->second.c_str(), nullptr));
  if (auto r = f.find(keys::kRank); r != f.end()) row.set_rank(std::atoi(r->second.c_str()));

  // Key results: the links okr published, each with the key result's latest state.
  if (auto links = ParseField<okr::v1::AlignmentChanged>(f, keys::kLinks)) {
    std::vector<domain::ContributedProgress> progress;
    for (const auto& link : links->links()) {
      auto* kr = row.add_key_results();
      kr->set_key_result_id(link.key_result_id());
      kr->set_objective_id(link.objective_id());
      kr->set_contribution(link.contribution());
      kr->set_measurable(link.measurable());
      auto snapshot = ParseField<okr::v1::KeyResultChanged>(model.key_results, keys::KeyResultField(link.key_result_id()));
      auto check_in = ParseField<okr::v1::KeyResultCheckedIn>(model.key_results, keys::CheckInField(link.key_result_id()));
      if (snapshot) {
        kr->set_metric(snapshot->metric());
        kr->set_measurable(snapshot->measurable() && !snapshot->retired());
        if (kr->objective_id().empty()) kr->set_objective_id(snapshot->objective_id());
      }
      int64_t snapshot_version = VersionField(model.key_results, keys::KeyResultField(link.key_result_id()));
      int64_t check_in_version = VersionField(model.key_results, keys::CheckInField(link.key_result_id()));
      kr->set_version(std::max(snapshot_version, check_in_version));
      if (check_in) {
        // A definition change after the check-in recomputed progress: take the newer.
        bool snapshot_newer = snapshot && snapshot_version > check_in_version;
        kr->set_progress(snapshot_newer ? snapshot->progress() : check_in->key_result_progress());
        kr->set_confidence(snapshot_newer ? snapshot->confidence() : check_in->key_result_confidence());
        kr->set_last_check_in(check_in->as_of());
      }
      if (auto h = model.confidence_history.find(link.key_result_id()); h != model.confidence_history.end()) {
        if (!h->second.empty()) kr->set_last_check_in(SplitCheckIn(h->second[0]).first);
        if (h->second.size() >= 2) kr->set_previous_confidence(SplitCheckIn(h->second[1]).second);
      }
      if (kr->has_progress()) progress.push_back({kr->progress(), link.contribution()});
    }
    if (auto rolled = domain::KeyResultProgress(progress)) row.set_key_result_progress(*rolled);
  }

  // Benefits: one section per benefit.
  std::vector<double> shares;
  int worst = 0;
  for (const auto& [field, value] : f) {
    if (!keys::IsBenefitField(field)) continue;
    v1::BenefitView b;
    if (!b.ParseFromString(value)) continue;
    b.set_was_realised(f.count(keys::RealisedField(b.benefit_id())) > 0);
    if (b.has_realised_share()) shares.push_back(b.realised_share());
    if (int severity = domain::StatusSeverity(domain::ParseBenefitStatus(b.status())); severity > worst) {
      worst = severity;
      row.set_benefit_status(b.status());
    }
    *row.add_benefits() = std::move(b);
  }
  if (auto realisation = domain::MeanRealisation(shares)) row.set_benefit_realisation(*realisation);

  if (auto d = ParseField<v1::DecisionRecorded>(f, keys::kDecision)) {
    row.set_last_decision(d->decision());
    row.set_last_decision_rationale(d->rationale());
    row.set_last_decision_review_id(d->review_id());
  }
  return row;
}

v1::Dashboard AssembleDashboard(const PortfolioReadModel& model) {
  v1::Dashboard out;
  out.set_portfolio_id(model.portfolio_id);
  std::vector<v1::DashboardRow> rows;
  for (const auto& [id, fields] : model.initiatives) rows.push_back(AssembleRow(id, model));
  std::stable_sort(rows.begin(), rows.end(), [](const v1::DashboardRow& a, const v1::DashboardRow& b) {
    bool ra = a.rank() > 0, rb = b.rank() > 0;
    if (ra != rb) return ra;
    if (ra && a.rank() != b.rank()) return a.rank() < b.rank();
    return a.initiative_id() < b.initiative_id();
  });
  auto* t = out.mutable_totals();
  if (model.portfolio) {
    out.set_name(model.portfolio->name());
    t->set_currency(model.portfolio->currency());
    t->set_wip_limit(model.portfolio->wip_limit());
    double budget = 0;
    for (const auto& q : model.portfolio->budget_per_quarter()) budget += q.amount().minor_units() / 100.0;
    t->set_budget(budget);
  }
  for (auto& row : rows) {
    t->set_initiatives(t->initiatives() + 1);
    if (!row.stage().empty()) (*t->mutable_by_stage())[row.stage()] += 1;
    if (row.stage() == "ACTIVE") t->set_active(t->active() + 1);
    if (domain::IsLive(row.stage())) t->set_planned_cost(t->planned_cost() + row.budget());
    t->set_actual_spend(t->actual_spend() + row.actual_spend());
    for (const auto& b : row.benefits()) {
      t->set_planned_benefit_value(t->planned_benefit_value() + b.planned_value());
      t->set_realised_benefit_value(t->realised_benefit_value() + b.realised_value());
      if (b.status() == "AT_RISK" || b.status() == "OFF_TRACK") t->set_benefits_at_risk(t->benefits_at_risk() + 1);
    }
    *out.add_rows() = std::move(row);
  }
  return out;
}

}  // namespace pmo::reporting::store
