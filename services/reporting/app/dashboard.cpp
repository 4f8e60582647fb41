#include "services/reporting/app/dashboard.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "services/reporting/domain/insights.h"
#include "services/reporting/domain/recommendation.h"
#include "pmo/base/errors.h"
#include "pmo/common/proto_convert.h"

namespace pmo::reporting::app {

namespace {

std::optional<calendar::Date> DateOf(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto d = calendar::ParseDate(text);
  if (!d.ok()) return std::nullopt;
  return *d;
}

calendar::Date Today(const Clock& clock) { return CivilDayUtc(ToTimestamp(clock.Now())); }

void AddKpis(const std::vector<domain::Kpi>& kpis, v1::GetKpisResponse& out) {
  for (const auto& k : kpis) {
    auto* kpi = out.add_kpis();
    kpi->set_key(k.key);
    kpi->set_name(k.name);
    kpi->set_definition(k.definition);
    kpi->set_unit(k.unit);
    if (k.value) kpi->set_value(*k.value);
    kpi->set_detail(k.detail);
    for (const auto& point : k.trend) {
      auto* t = kpi->add_trend();
      t->set_quarter(point.quarter);
      if (point.value) t->set_value(*point.value);
    }
  }
}

}  // namespace

int RankedCount(const v1::Dashboard& d) {
  return static_cast<int>(
      std::count_if(d.rows().begin(), d.rows().end(), [](const v1::DashboardRow& r) { return r.rank() > 0; }));
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

domain::KpiFacts KpiFactsOf(const v1::Dashboard& dashboard) {
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
  return facts;
}


absl::StatusOr<v1::Dashboard> DashboardQueries::Dashboard(const std::string& p) {
  auto model = store_.Load(p);
  if (!model.ok()) return model.status();
  if (!model->portfolio && model->initiatives.empty())
    return absl::NotFoundError(absl::StrCat("portfolio ", p, " has no events in reporting's read model yet"));
  v1::Dashboard d = store::AssembleDashboard(*model);
  *d.mutable_as_of() = ToTimestamp(clock_.Now());
  return d;
}

absl::StatusOr<v1::Dashboard> DashboardQueries::GetDashboard(const v1::GetDashboardRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  return Dashboard(req.portfolio_id());
}

absl::Status DashboardQueries::AddHistory(const std::string& p, const v1::Dashboard& dashboard,
                                          domain::KpiFacts& facts) {
  auto history = store_.LoadKpiHistory(p);
  if (!history.ok()) return history.status();
  for (const auto& d : history->decisions)
    facts.decisions.push_back(
        {d.initiative_id(),
         std::string(RecommendationName(static_cast<domain::Recommendation>(d.decision() - 1))),
         FromProto(d.decided_on()), !d.review_id().empty()});
  // Per strategy update, the first adjustment of an initiative linked to the objective
  // after it.
  const auto& updates = history->strategy_updates;
  std::vector<store::AdjustmentQuery> queries;
  std::vector<size_t> owner;  // update index per query
  for (size_t u = 0; u < updates.size(); ++u) {
    for (const auto& row : dashboard.rows()) {
      bool linked = std::any_of(row.key_results().begin(), row.key_results().end(),
                                [&](const v1::KeyResultView& k) { return k.objective_id() == updates[u].objective_id(); });
      if (!linked) continue;
      queries.push_back({row.initiative_id(), updates[u].changed_at_ms()});
      owner.push_back(u);
    }
  }
  auto adjusted = store_.FirstAdjustmentsAfter(p, queries);
  if (!adjusted.ok()) return adjusted.status();
  std::vector<std::optional<int64_t>> first(updates.size());
  for (size_t i = 0; i < queries.size(); ++i) {
    const auto& at = (*adjusted)[i];
    auto& f = first[owner[i]];
    if (at && (!f || *at < *f)) f = at;
  }
  for (size_t u = 0; u < updates.size(); ++u)
    facts.strategy_updates.push_back({updates[u].objective_id(), updates[u].changed_at_ms(), first[u]});
  facts.snapshots = std::move(history->snapshots);
  return absl::OkStatus();
}

absl::StatusOr<v1::GetKpisResponse> DashboardQueries::GetKpis(const v1::GetKpisRequest& req) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  calendar::Quarter current = calendar::QuarterOf(Today(clock_));
  calendar::Quarter period = current;
  if (!req.period().empty()) {
    auto q = calendar::ParseQuarter(req.period());
    if (!q.ok()) v.Add("period", "must be a quarter such as 2027Q1");
    else period = *q;
  }
  if (req.trend_quarters() < 0 || req.trend_quarters() > 12) v.Add("trend_quarters", "must be between 0 and 12");
  if (!v.empty()) return v.ToStatus("invalid request");
  const std::string& p = req.portfolio_id();
  auto dashboard = Dashboard(p);
  if (!dashboard.ok()) return dashboard.status();
  domain::KpiFacts facts = KpiFactsOf(*dashboard);
  if (auto s = AddHistory(p, *dashboard, facts); !s.ok()) return s;

  int trend = req.trend_quarters() == 0 ? 4 : req.trend_quarters();
  v1::GetKpisResponse out;
  out.set_portfolio_id(p);
  out.set_period(calendar::FormatQuarter(period));
  AddKpis(domain::ComputeKpis(facts, period, current, trend), out);
  return out;
}

absl::StatusOr<v1::GetInsightsResponse> DashboardQueries::GetInsights(const v1::GetInsightsRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto dashboard = Dashboard(req.portfolio_id());
  if (!dashboard.ok()) return dashboard.status();
  int ranked = RankedCount(*dashboard);
  std::vector<domain::InitiativeEvidence> evidence;
  for (const auto& row : dashboard->rows()) evidence.push_back(EvidenceOf(row, ranked));
  v1::GetInsightsResponse out;
  for (const auto& i : domain::Insights(evidence, dashboard->totals().wip_limit(), domain::ReviewRules{})) {
    auto* o = out.add_insights();
    o->set_kind(i.kind);
    o->set_severity(i.severity);
    o->set_initiative_id(i.initiative_id);
    o->set_subject_id(i.subject_id);
    o->set_message(i.message);
    for (const auto& [name, value] : i.evidence) {
      auto* e = o->add_evidence();
      e->set_name(name);
      e->set_value(value);
    }
  }
  return out;
}

}  // namespace pmo::reporting::app
