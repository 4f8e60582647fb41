#include "services/reporting/app/read_model.h"

#include <algorithm>
#include <cstdlib>

#include "services/reporting/app/keys.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::reporting::app {

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

int StatusSeverity(const std::string& s) {
  if (s == "OFF_TRACK") return 6;
  if (s == "AT_RISK") return 5;
  if (s == "STALE") return 4;
  if (s == "NOT_STARTED") return 3;
  if (s == "ON_TRACK") return 2;
  if (s == "REALISED") return 1;
  return 0;
}

// "as_of|source|confidence" → (as_of, confidence)
std::pair<std::string, double> SplitCheckIn(const std::string& entry) {
  auto first = entry.find('|');
  auto last = entry.rfind('|');
  if (first == std::string::npos || last == first) return {"", 0};
  return {entry.substr(0, first), std::strtod(entry.c_str() + last + 1, nullptr)};
}

std::optional<calendar::Date> DateOf(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto d = calendar::ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return *d;
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
    double weighted = 0, weights = 0;
    int with_progress = 0;
    double plain = 0;
    for (const auto& link : links->links()) {
      auto* kr = row.add_key_results();
      kr->set_key_result_id(link.key_result_id());
      kr->set_objective_id(link.objective_id());
      kr->set_contribution(link.contribution());
      kr->set_measurable(link.measurable());
      auto snapshot = ParseField<okr::v1::KeyResultChanged>(model.key_results, "kr:" + link.key_result_id());
      auto check_in = ParseField<okr::v1::KeyResultCheckedIn>(model.key_results, "ci:" + link.key_result_id());
      if (snapshot) {
        kr->set_metric(snapshot->metric());
        kr->set_measurable(snapshot->measurable() && !snapshot->retired());
        if (kr->objective_id().empty()) kr->set_objective_id(snapshot->objective_id());
      }
      int64_t snapshot_version = VersionField(model.key_results, "kr:" + link.key_result_id());
      int64_t check_in_version = VersionField(model.key_results, "ci:" + link.key_result_id());
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
      if (kr->has_progress()) {
        weighted += kr->progress() * link.contribution();
        weights += link.contribution();
        plain += kr->progress();
        ++with_progress;
      }
    }
    if (with_progress > 0) row.set_key_result_progress(weights > 0 ? weighted / weights : plain / with_progress);
  }

  // Benefits: one section per benefit.
  double share_sum = 0;
  int measured = 0, worst = 0;
  for (const auto& [field, value] : f) {
    if (field.rfind("b:", 0) != 0) continue;
    v1::BenefitView b;
    if (!b.ParseFromString(value)) continue;
    b.set_was_realised(f.count(keys::RealisedField(b.benefit_id())) > 0);
    if (b.has_realised_share()) {
      share_sum += b.realised_share();
      ++measured;
    }
    if (StatusSeverity(b.status()) > worst) {
      worst = StatusSeverity(b.status());
      row.set_benefit_status(b.status());
    }
    *row.add_benefits() = std::move(b);
  }
  if (measured > 0) row.set_benefit_realisation(share_sum / measured);

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

domain::InitiativeEvidence EvidenceOf(const v1::DashboardRow& row, int ranked_count) {
  domain::InitiativeEvidence e;
  e.initiative_id = row.initiative_id();
  e.title = row.title();
  e.stage = row.stage();
  for (const auto& k : row.key_results()) {
    domain::KeyResultEvidence kr;
    kr.key_result_id = k.key_result_id();
    kr.objective_id = k.objective_id();
    kr.measurable = k.measurable();
    if (k.has_progress()) kr.progress = k.progress();
    if (k.has_confidence()) kr.confidence = k.confidence();
    if (k.has_previous_confidence()) kr.previous_confidence = k.previous_confidence();
    kr.last_check_in = DateOf(k.last_check_in());
    e.key_results.push_back(std::move(kr));
  }
  for (const auto& b : row.benefits()) {
    domain::BenefitEvidence be;
    be.benefit_id = b.benefit_id();
    be.metric = b.metric();
    be.status = domain::ParseBenefitStatus(b.status());
    be.status_reason = b.status_reason();
    if (b.has_realised_share()) be.realised_share = b.realised_share();
    if (b.has_forecast_share()) be.forecast_share = b.forecast_share();
    be.was_realised = b.was_realised();
    be.measurements = b.measurements();
    be.last_measured = DateOf(b.last_measured());
    be.planned_value = b.planned_value();
    be.realised_value = b.realised_value();
    e.benefits.push_back(std::move(be));
  }
  if (row.has_budget()) e.budget = row.budget();
  if (row.has_actual_spend()) e.actual_spend = row.actual_spend();
  if (row.has_forecast_at_completion()) e.forecast_at_completion = row.forecast_at_completion();
  if (row.has_schedule_variance_days()) e.schedule_variance_days = row.schedule_variance_days();
  if (row.has_delivery_confidence()) e.delivery_confidence = row.delivery_confidence();
  if (row.has_percent_complete()) e.percent_complete = row.percent_complete();
  e.last_progress = DateOf(row.last_progress());
  if (row.has_score()) e.score = row.score();
  if (row.rank() > 0) e.rank = row.rank();
  e.ranked_count = ranked_count;
  return e;
}

domain::KpiFacts KpiFactsOf(const v1::Dashboard& dashboard, const PortfolioReadModel& model) {
  domain::KpiFacts facts;
  for (const auto& row : dashboard.rows()) {
    domain::KpiInitiative i;
    i.initiative_id = row.initiative_id();
    i.stage = row.stage();
    for (const auto& k : row.key_results()) {
      if (k.measurable()) i.linked_to_measurable_kr = true;
      if (!k.objective_id().empty()) i.linked_to_objective = true;
    }
    i.planned_cost = row.budget();
    i.actual_spend = row.actual_spend();
    for (const auto& b : row.benefits()) {
      i.planned_benefit_value += b.planned_value();
      i.realised_benefit_value += b.realised_value();
    }
    facts.initiatives.push_back(std::move(i));
  }
  facts.wip_limit = dashboard.totals().wip_limit();
  facts.portfolio_budget = dashboard.totals().budget();
  (void)model;
  return facts;
}

absl::StatusOr<PortfolioReadModel> ReadModelStore::Load(const std::string& p) {
  PortfolioReadModel m;
  m.portfolio_id = p;
  auto first = redis_.Pipeline({{"SMEMBERS", keys::Initiatives(p)},
                                {"HGET", keys::Meta(p), "portfolio"},
                                {"HGETALL", keys::KeyResults(p)},
                                {"HGETALL", keys::Objectives(p)}});
  if (!first.ok()) return first.status();
  auto& r = *first;
  std::vector<std::string> ids;
  for (size_t i = 0; i < r[0].size(); ++i) ids.emplace_back(r[0].at(i).str());
  if (!r[1].is_nil()) {
    intake::v1::Portfolio portfolio;
    if (portfolio.ParseFromArray(r[1].str().data(), static_cast<int>(r[1].str().size()))) m.portfolio = portfolio;
  }
  for (size_t i = 0; i + 1 < r[2].size(); i += 2) m.key_results[std::string(r[2].at(i).str())] = r[2].at(i + 1).str();
  for (size_t i = 0; i + 1 < r[3].size(); i += 2) {
    std::string field(r[3].at(i).str());
    if (field.rfind("o:", 0) != 0) continue;
    okr::v1::ObjectiveChanged o;
    auto bytes = r[3].at(i + 1).str();
    if (o.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) m.objectives[o.objective_id()] = o;
  }
  std::vector<RedisArgs> cmds;
  for (const auto& id : ids) cmds.push_back({"HGETALL", keys::Initiative(p, id)});
  std::vector<std::string> krs;
  for (const auto& [field, value] : m.key_results)
    if (field.rfind("ci:", 0) == 0) krs.push_back(field.substr(3));
  for (const auto& kr : krs) cmds.push_back({"ZREVRANGE", keys::Confidence(p, kr), "0", "1"});
  if (cmds.empty()) return m;
  auto second = redis_.Pipeline(cmds);
  if (!second.ok()) return second.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    Fields f;
    const auto& reply = (*second)[i];
    for (size_t j = 0; j + 1 < reply.size(); j += 2) f[std::string(reply.at(j).str())] = reply.at(j + 1).str();
    m.initiatives[ids[i]] = std::move(f);
  }
  for (size_t i = 0; i < krs.size(); ++i) {
    const auto& reply = (*second)[ids.size() + i];
    auto& h = m.confidence_history[krs[i]];
    for (size_t j = 0; j < reply.size(); ++j) h.emplace_back(reply.at(j).str());
  }
  return m;
}

}  // namespace pmo::reporting::app
