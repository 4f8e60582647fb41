#include "services/reporting/app/reporting_app.h"

#include <prometheus/counter.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/reporting/app/keys.h"
#include "services/reporting/domain/insights.h"
#include "services/reporting/domain/kpis.h"
#include "pmo/common/use_cases.h"
#include "pmo/common/envelope.h"
#include "pmo/base/errors.h"
#include "pmo/common/kafka.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::reporting::app {

namespace {

constexpr char kSource[] = "pmo-reporting";

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  google::protobuf::Timestamp ts;
  int64_t ns = absl::ToUnixNanos(t);
  ts.set_seconds(ns / 1'000'000'000);
  ts.set_nanos(static_cast<int32_t>(ns % 1'000'000'000));
  return ts;
}

calendar::Date Today(const Clock& clock) {
  return calendar::DateFromDaysSinceEpoch(absl::ToUnixSeconds(clock.Now()) / 86'400);
}

v1::Recommendation ToProto(domain::Recommendation r) {
  switch (r) {
    case domain::Recommendation::kContinue: return v1::RECOMMENDATION_CONTINUE;
    case domain::Recommendation::kPivot: return v1::RECOMMENDATION_PIVOT;
    case domain::Recommendation::kStop: return v1::RECOMMENDATION_STOP;
  }
  return v1::RECOMMENDATION_UNSPECIFIED;
}

int RankedCount(const v1::Dashboard& d) {
  return static_cast<int>(
      std::count_if(d.rows().begin(), d.rows().end(), [](const v1::DashboardRow& r) { return r.rank() > 0; }));
}

// Stages an evidence review covers: delivery is under way.
bool UnderReview(const std::string& stage) { return stage == "ACTIVE" || stage == "PIVOTING"; }

std::string EncodeSnapshot(const std::map<std::string, double>& values) {
  std::string out;
  for (const auto& [k, v] : values) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    absl::StrAppend(&out, k, "=", buf, ";");
  }
  return out;
}

std::map<std::string, double> DecodeSnapshot(std::string_view text) {
  std::map<std::string, double> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(';', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(pos, end - pos);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos)
      out[std::string(item.substr(0, eq))] = std::strtod(std::string(item.substr(eq + 1)).c_str(), nullptr);
    pos = end + 1;
  }
  return out;
}

}  // namespace

struct ReportingApp::Counters {
  prometheus::Family<prometheus::Counter>& projected;
  prometheus::Family<prometheus::Counter>& decisions;
  explicit Counters(prometheus::Registry& r)
      : projected(prometheus::BuildCounter()
                      .Name("pmo_reporting_events_projected_total")
                      .Help("Events applied to the read models, by event type")
                      .Register(r)),
        decisions(prometheus::BuildCounter()
                      .Name("pmo_reporting_decisions_total")
                      .Help("Decisions recorded in evidence reviews, by decision")
                      .Register(r)) {}
};

ReportingApp::ReportingApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, const Clock& clock)
    : redis_(redis), store_(redis), outbox_(outbox), metrics_(metrics), clock_(clock) {
  if (metrics_) counters_ = std::make_shared<Counters>(metrics_->registry());
}

domain::ReviewRules ReportingApp::RulesFrom(const v1::ReviewRules& o) {
  domain::ReviewRules r;
  if (o.has_stop_forecast_share()) r.stop_forecast_share = o.stop_forecast_share();
  if (o.has_pivot_forecast_share()) r.pivot_forecast_share = o.pivot_forecast_share();
  if (o.has_off_track_stops()) r.off_track_stops = o.off_track_stops();
  if (o.has_stop_cost_overrun()) r.stop_cost_overrun = o.stop_cost_overrun();
  if (o.has_pivot_cost_overrun()) r.pivot_cost_overrun = o.pivot_cost_overrun();
  if (o.has_stop_slip_days()) r.stop_slip_days = o.stop_slip_days();
  if (o.has_pivot_slip_days()) r.pivot_slip_days = o.pivot_slip_days();
  if (o.has_pivot_kr_progress()) r.pivot_kr_progress = o.pivot_kr_progress();
  if (o.has_kr_progress_after_complete()) r.kr_progress_after_complete = o.kr_progress_after_complete();
  if (o.has_pivot_confidence()) r.pivot_confidence = o.pivot_confidence();
  if (o.has_low_rank_share()) r.low_rank_share = o.low_rank_share();
  return r;
}

v1::ReviewRules ReportingApp::ToProto(const domain::ReviewRules& r) {
  v1::ReviewRules o;
  o.set_stop_forecast_share(r.stop_forecast_share);
  o.set_pivot_forecast_share(r.pivot_forecast_share);
  o.set_off_track_stops(r.off_track_stops);
  o.set_stop_cost_overrun(r.stop_cost_overrun);
  o.set_pivot_cost_overrun(r.pivot_cost_overrun);
  o.set_stop_slip_days(r.stop_slip_days);
  o.set_pivot_slip_days(r.pivot_slip_days);
  o.set_pivot_kr_progress(r.pivot_kr_progress);
  o.set_kr_progress_after_complete(r.kr_progress_after_complete);
  o.set_pivot_confidence(r.pivot_confidence);
  o.set_low_rank_share(r.low_rank_share);
  return o;
}

// ---- projection -------------------------------------------------------------------

absl::Status ReportingApp::Apply(const events::v1::Envelope& envelope) {
  auto projected = Project(envelope);
  if (!projected.ok()) return projected.status();
  if (projected->writes.empty()) return absl::OkStatus();
  for (const auto& c : projected->changes)
    if (auto s = MaybeFreezeQuarter(c.portfolio_id, c.occurred_at_ms); !s.ok()) return s;
  std::vector<const AtomicWrite*> writes;
  for (const auto& w : projected->writes) writes.push_back(&w);
  bool applied_any = false;
  for (auto& r : outbox_.CommitMany(writes)) {
    if (!r.ok()) return r.status();
    if (*r == WriteResult::kApplied) applied_any = true;
  }
  if (!applied_any) return absl::OkStatus();  // a redelivery: nothing changed, nothing to tell
  if (counters_) {
    std::string type(PayloadType(envelope));
    counters_->projected.Add({{"type", type.substr(type.rfind('.') + 1)}}).Increment();
  }
  int64_t applied = absl::ToUnixMillis(clock_.Now());
  for (auto& c : projected->changes) {
    c.applied_at_ms = applied;
    feed_.Publish(c);
  }
  return absl::OkStatus();
}

absl::Status ReportingApp::MaybeFreezeQuarter(const std::string& p, int64_t occurred_at_ms) {
  if (p.empty() || occurred_at_ms <= 0) return absl::OkStatus();
  std::string quarter =
      calendar::FormatQuarter(calendar::QuarterOf(calendar::DateFromDaysSinceEpoch(occurred_at_ms / 86'400'000)));
  std::lock_guard lock(quarter_mu_);
  auto it = event_quarter_.find(p);
  if (it == event_quarter_.end()) {
    auto stored = redis_.Command({"HGET", keys::Meta(p), "event-quarter"});
    if (!stored.ok()) return stored.status();
    it = event_quarter_.emplace(p, stored->is_nil() ? "" : std::string(stored->str())).first;
  }
  if (!it->second.empty() && quarter <= it->second) return absl::OkStatus();
  if (!it->second.empty()) {
    // The first event of a later quarter: the read model now holds the state at the end
    // of the previous one.
    auto dashboard = Dashboard(p);
    if (dashboard.ok()) {
      PortfolioReadModel none;
      auto values = domain::StateKpis(KpiFactsOf(*dashboard, none));
      auto r = redis_.Command({"HSETNX", keys::KpiSnapshots(p), it->second, EncodeSnapshot(values)});
      if (!r.ok()) return r.status();
    } else if (dashboard.status().code() != absl::StatusCode::kNotFound) {
      return dashboard.status();
    }  // NOT_FOUND: nothing of the portfolio's state to freeze yet (only okr's objectives, say)
  }
  auto r = redis_.Command({"HSET", keys::Meta(p), "event-quarter", quarter});
  if (!r.ok()) return r.status();
  it->second = quarter;
  return absl::OkStatus();
}

// ---- dashboard, KPIs, insights ----------------------------------------------------

absl::StatusOr<v1::Dashboard> ReportingApp::Dashboard(const std::string& p, PortfolioReadModel* model_out) {
  auto model = store_.Load(p);
  if (!model.ok()) return model.status();
  if (!model->portfolio && model->initiatives.empty())
    return absl::NotFoundError(absl::StrCat("portfolio ", p, " has no events in reporting's read model yet"));
  v1::Dashboard d = AssembleDashboard(*model);
  *d.mutable_as_of() = ToTimestamp(clock_.Now());
  if (model_out) *model_out = std::move(*model);
  return d;
}

absl::StatusOr<v1::Dashboard> ReportingApp::GetDashboard(const v1::GetDashboardRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  return Dashboard(req.portfolio_id());
}

absl::StatusOr<v1::GetKpisResponse> ReportingApp::GetKpis(const v1::GetKpisRequest& req) {
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
  PortfolioReadModel model;
  auto dashboard = Dashboard(p, &model);
  if (!dashboard.ok()) return dashboard.status();
  domain::KpiFacts facts = KpiFactsOf(*dashboard, model);

  auto more = redis_.Pipeline({{"HGETALL", keys::Decisions(p)},
                               {"HGETALL", keys::Strategy(p)},
                               {"HGETALL", keys::KpiSnapshots(p)}});
  if (!more.ok()) return more.status();
  const auto& decisions = (*more)[0];
  for (size_t i = 1; i < decisions.size(); i += 2) {
    v1::DecisionRecorded d;
    auto bytes = decisions.at(i).str();
    if (!d.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) continue;
    facts.decisions.push_back({d.initiative_id(), std::string(RecommendationName(
                                                      static_cast<domain::Recommendation>(d.decision() - 1))),
                               {d.decided_on().year(), d.decided_on().month(), d.decided_on().day()},
                               !d.review_id().empty()});
  }
  // Strategy updates and, per update, the first adjustment of an initiative linked to
  // the objective after it.
  const auto& strategy = (*more)[1];
  std::vector<okr::v1::StrategyChanged> updates;
  for (size_t i = 1; i < strategy.size(); i += 2) {
    okr::v1::StrategyChanged s;
    auto bytes = strategy.at(i).str();
    if (s.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) updates.push_back(s);
  }
  std::vector<RedisArgs> cmds;
  std::vector<size_t> owner;  // update index per command
  for (size_t u = 0; u < updates.size(); ++u) {
    for (const auto& row : dashboard->rows()) {
      bool linked = std::any_of(row.key_results().begin(), row.key_results().end(),
                                [&](const v1::KeyResultView& k) { return k.objective_id() == updates[u].objective_id(); });
      if (!linked) continue;
      cmds.push_back({"ZRANGEBYSCORE", keys::Adjustments(p, row.initiative_id()),
                      "(" + std::to_string(updates[u].changed_at_ms()), "+inf", "WITHSCORES", "LIMIT", "0", "1"});
      owner.push_back(u);
    }
  }
  std::vector<std::optional<int64_t>> first(updates.size());
  if (!cmds.empty()) {
    auto replies = redis_.Pipeline(cmds);
    if (!replies.ok()) return replies.status();
    for (size_t i = 0; i < cmds.size(); ++i) {
      const auto& reply = (*replies)[i];
      if (reply.size() < 2) continue;
      int64_t at = std::strtoll(std::string(reply.at(1).str()).c_str(), nullptr, 10);
      auto& f = first[owner[i]];
      if (!f || at < *f) f = at;
    }
  }
  for (size_t u = 0; u < updates.size(); ++u)
    facts.strategy_updates.push_back({updates[u].objective_id(), updates[u].changed_at_ms(), first[u]});
  const auto& snapshots = (*more)[2];
  for (size_t i = 0; i + 1 < snapshots.size(); i += 2)
    facts.snapshots[std::string(snapshots.at(i).str())] = DecodeSnapshot(snapshots.at(i + 1).str());

  int trend = req.trend_quarters() == 0 ? 4 : req.trend_quarters();
  v1::GetKpisResponse out;
  out.set_portfolio_id(p);
  out.set_period(calendar::FormatQuarter(period));
  for (const auto& k : domain::ComputeKpis(facts, period, current, trend)) {
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
  return out;
}

absl::StatusOr<v1::GetInsightsResponse> ReportingApp::GetInsights(const v1::GetInsightsRequest& req) {
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

// ---- evidence reviews -------------------------------------------------------------

absl::StatusOr<std::pair<v1::Review, int64_t>> ReportingApp::LoadReview(const std::string& id) {
  auto p = redis_.Command({"HGET", keys::kReviewPortfolio, id});
  if (!p.ok()) return p.status();
  if (p->is_nil()) return absl::NotFoundError(absl::StrCat("review ", id, " not found"));
  auto r = redis_.Command({"HMGET", keys::Review(std::string(p->str()), id), "version", "data"});
  if (!r.ok()) return r.status();
  if (r->at(1).is_nil()) return absl::NotFoundError(absl::StrCat("review ", id, " not found"));
  auto review = ParseStored<v1::Review>(r->at(1).str(), "review " + id);
  if (!review.ok()) return review.status();
  auto version = StoredInt(r->at(0));
  if (!version.ok()) return version.status();
  return std::make_pair(std::move(*review), *version);
}

absl::StatusOr<v1::Review> ReportingApp::OpenReview(const v1::OpenReviewRequest& req, const CallContext& ctx) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  auto quarter = calendar::ParseQuarter(req.quarter());
  if (!quarter.ok()) v.Add("quarter", "must be a quarter such as 2027Q1");
  domain::ReviewRules rules = RulesFrom(req.rules());
  for (const auto& fv : ViolationsOf(domain::ValidateRules(rules))) v.Add("rules." + fv.field, fv.description);
  if (!v.empty()) return v.ToStatus("invalid review");
  const std::string& p = req.portfolio_id();
  std::string q = calendar::FormatQuarter(*quarter);
  auto dashboard = Dashboard(p);
  if (!dashboard.ok()) return dashboard.status();
  int ranked = RankedCount(*dashboard);

  v1::Review review;
  review.set_id(NewUuid());
  review.set_portfolio_id(p);
  review.set_quarter(q);
  review.set_state(v1::REVIEW_STATE_OPEN);
  *review.mutable_rules() = ToProto(rules);
  *review.mutable_opened_at() = ToTimestamp(clock_.Now());
  review.set_version(1);
  v1::ReviewOpened opened;
  opened.set_review_id(review.id());
  opened.set_portfolio_id(p);
  opened.set_quarter(q);
  *opened.mutable_opened_at() = review.opened_at();
  for (const auto& row : dashboard->rows()) {
    if (!UnderReview(row.stage())) continue;
    auto verdict = domain::Recommend(EvidenceOf(row, ranked), rules);
    auto* item = review.add_items();
    item->set_initiative_id(row.initiative_id());
    item->set_title(row.title());
    *item->mutable_evidence() = row;
    item->set_recommendation(app::ToProto(verdict.recommendation));
    item->set_no_evidence(verdict.no_evidence);
    auto* summary = opened.add_initiatives();
    summary->set_initiative_id(row.initiative_id());
    summary->set_recommendation(item->recommendation());
    summary->set_no_evidence(verdict.no_evidence);
    for (const auto& reason : verdict.reasons) {
      auto* r = item->add_reasons();
      r->set_rule(reason.rule);
      r->set_points_to(app::ToProto(reason.points_to));
      r->set_detail(reason.detail);
      summary->add_reasons(absl::StrCat(reason.rule, ": ", reason.detail));
    }
  }
  auto env = MakeEnvelope(opened,
                          {.source = kSource, .subject = review.id(), .portfolio_id = p, .aggregate_version = 1,
                           .correlation_id = ctx.correlation_id, .causation_id = ctx.causation_id},
                          clock_);
  AtomicWrite w;
  w.ExpectAbsent(keys::OpenReview(p, q), absl::StrCat("portfolio ", p, " already has an open review for ", q),
                 absl::StatusCode::kFailedPrecondition)
      .Command({"HSET", keys::Review(p, review.id()), "version", "1", "data", review.SerializeAsString()})
      .Command({"SET", keys::OpenReview(p, q), review.id()})
      .Command({"ZADD", keys::Reviews(p), std::to_string(absl::ToUnixMillis(clock_.Now())), review.id()})
      .Command({"HSET", keys::kReviewPortfolio, review.id(), p})
      .Publish(ToOutboxEvent(topics::kReportingEvents, env));
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  return review;
}

absl::StatusOr<v1::Review> ReportingApp::GetReview(const v1::GetReviewRequest& req) {
  if (req.review_id().empty()) return InvalidArgument("invalid request", {{"review_id", "is required"}});
  auto r = LoadReview(req.review_id());
  if (!r.ok()) return r.status();
  return r->first;
}

absl::StatusOr<v1::ListReviewsResponse> ReportingApp::ListReviews(const v1::ListReviewsRequest& req) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  if (req.page_size() < 0) v.Add("page_size", "must not be negative");
  int64_t offset = 0;
  if (!req.page_token().empty()) {
    char* end = nullptr;
    offset = std::strtoll(req.page_token().c_str(), &end, 10);
    if (*end != '\0' || offset < 0) v.Add("page_token", "is not a token this service issued");
  }
  if (!v.empty()) return v.ToStatus("invalid request");
  int size = req.page_size() == 0 ? kDefaultPageSize : std::min(req.page_size(), kMaxPageSize);
  // Newest first.
  auto ids = redis_.Command({"ZREVRANGE", keys::Reviews(req.portfolio_id()), std::to_string(offset),
                             std::to_string(offset + size)});
  if (!ids.ok()) return ids.status();
  v1::ListReviewsResponse out;
  std::vector<RedisArgs> cmds;
  size_t n = std::min<size_t>(ids->size(), static_cast<size_t>(size));
  for (size_t i = 0; i < n; ++i)
    cmds.push_back({"HGET", keys::Review(req.portfolio_id(), std::string(ids->at(i).str())), "data"});
  if (!cmds.empty()) {
    auto replies = redis_.Pipeline(cmds);
    if (!replies.ok()) return replies.status();
    for (const auto& reply : *replies) {
      if (reply.is_nil()) continue;
      if (!out.add_reviews()->ParseFromArray(reply.str().data(), static_cast<int>(reply.str().size())))
        return absl::DataLossError("a stored review does not decode");
    }
  }
  if (ids->size() > n) out.set_next_page_token(std::to_string(offset + size));
  return out;
}

absl::StatusOr<v1::Review> ReportingApp::RecordDecision(const v1::RecordDecisionRequest& req, const CallContext& ctx) {
  Violations v;
  if (req.review_id().empty()) v.Add("review_id", "is required");
  if (req.initiative_id().empty()) v.Add("initiative_id", "is required");
  if (req.decision() == v1::DECISION_UNSPECIFIED || !v1::Decision_IsValid(req.decision()))
    v.Add("decision", "must be CONTINUE, PIVOT or STOP");
  if (req.rationale().empty()) v.Add("rationale", "is required: a decision states why, against the evidence");
  if (req.decided_by().empty()) v.Add("decided_by", "is required");
  if (req.has_funding_change()) {
    const auto& c = req.funding_change().currency();
    if (c.size() != 3 || !std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
      v.Add("funding_change.currency", "must be an ISO 4217 code such as EUR");
  }
  if (!v.empty()) return v.ToStatus("invalid decision");

  v1::Decision decided = req.decision();
  auto result = RetryOnRace([&]() -> absl::StatusOr<v1::Review> {
    auto loaded = LoadReview(req.review_id());
    if (!loaded.ok()) return loaded.status();
    auto [review, version] = std::move(*loaded);
    auto it = std::find_if(review.mutable_items()->begin(), review.mutable_items()->end(),
                           [&](const v1::ReviewItem& i) { return i.initiative_id() == req.initiative_id(); });
    if (it == review.mutable_items()->end())
      return absl::NotFoundError(absl::StrCat("initiative ", req.initiative_id(), " is not in review ", review.id()));
    if (it->decision() != v1::DECISION_UNSPECIFIED) {
      if (it->decision() == decided && it->rationale() == req.rationale() && it->decided_by() == req.decided_by() &&
          it->funding_change().SerializeAsString() == req.funding_change().SerializeAsString())
        return review;  // the same call again: already recorded
      return FailedPrecondition("decision already recorded",
                                {{"DECISION_RECORDED", req.initiative_id(),
                                  absl::StrCat("review ", review.id(), " already records ",
                                               v1::Decision_Name(it->decision()), " for ", req.initiative_id(),
                                               " by ", it->decided_by())}});
    }
    if (review.state() != v1::REVIEW_STATE_OPEN)
      return FailedPrecondition("review closed", {{"REVIEW_CLOSED", review.id(),
                                                   absl::StrCat("review ", review.id(), " is closed")}});
    absl::Time now = clock_.Now();
    it->set_decision(decided);
    it->set_rationale(req.rationale());
    it->set_decided_by(req.decided_by());
    *it->mutable_decided_at() = ToTimestamp(now);
    it->set_decision_id(absl::StrCat(review.id(), ":", req.initiative_id()));
    if (req.has_funding_change()) *it->mutable_funding_change() = req.funding_change();
    review.set_version(version + 1);

    v1::DecisionRecorded event;
    event.set_decision_id(it->decision_id());
    event.set_review_id(review.id());
    event.set_initiative_id(req.initiative_id());
    event.set_portfolio_id(review.portfolio_id());
    event.set_decision(decided);
    event.set_rationale(req.rationale());
    event.set_decided_by(req.decided_by());
    calendar::Date today = Today(clock_);
    event.mutable_decided_on()->set_year(today.year);
    event.mutable_decided_on()->set_month(today.month);
    event.mutable_decided_on()->set_day(today.day);
    *event.mutable_decided_at() = it->decided_at();
    if (req.has_funding_change()) *event.mutable_funding_change() = req.funding_change();
    // Keyed by initiative: its version orders that initiative's decisions (decision time).
    auto env = MakeEnvelope(event,
                            {.source = kSource, .subject = req.initiative_id(), .portfolio_id = review.portfolio_id(),
                             .aggregate_version = absl::ToUnixMillis(now), .correlation_id = ctx.correlation_id,
                             .causation_id = ctx.causation_id},
                            clock_);
    AtomicWrite w;
    std::string key = keys::Review(review.portfolio_id(), review.id());
    w.ExpectField(key, "version", std::to_string(version))
        .Command({"HSET", key, "version", std::to_string(review.version()), "data", review.SerializeAsString()})
        .Publish(ToOutboxEvent(topics::kReportingEvents, env));
    auto r = outbox_.Commit(w);
    if (!r.ok()) return r.status();
    if (counters_) counters_->decisions.Add({{"decision", v1::Decision_Name(decided)}}).Increment();
    return review;
  });
  return result;
}

absl::StatusOr<v1::Review> ReportingApp::CloseReview(const v1::CloseReviewRequest& req, const CallContext& ctx) {
  if (req.review_id().empty()) return InvalidArgument("invalid request", {{"review_id", "is required"}});
  return RetryOnRace([&]() -> absl::StatusOr<v1::Review> {
    auto loaded = LoadReview(req.review_id());
    if (!loaded.ok()) return loaded.status();
    auto [review, version] = std::move(*loaded);
    if (review.state() == v1::REVIEW_STATE_CLOSED) return review;  // closing twice changes nothing
    std::vector<PreconditionViolation> undecided;
    v1::ReviewClosed closed;
    for (const auto& item : review.items()) {
      if (item.decision() != v1::DECISION_UNSPECIFIED) {
        closed.set_decided(closed.decided() + 1);
        continue;
      }
      closed.add_undecided(item.initiative_id());
      undecided.push_back({"REVIEW_UNDECIDED", item.initiative_id(),
                           absl::StrCat(item.initiative_id(), " (", item.title(), ") has no decision; recommended ",
                                        v1::Recommendation_Name(item.recommendation()))});
    }
    if (!undecided.empty() && !req.allow_undecided())
      return FailedPrecondition("initiatives without a decision (close with allow_undecided to leave them)",
                                undecided);
    review.set_state(v1::REVIEW_STATE_CLOSED);
    *review.mutable_closed_at() = ToTimestamp(clock_.Now());
    review.set_version(version + 1);
    closed.set_review_id(review.id());
    closed.set_portfolio_id(review.portfolio_id());
    closed.set_quarter(review.quarter());
    *closed.mutable_closed_at() = review.closed_at();
    auto env = MakeEnvelope(closed,
                            {.source = kSource, .subject = review.id(), .portfolio_id = review.portfolio_id(),
                             .aggregate_version = review.version(), .correlation_id = ctx.correlation_id,
                             .causation_id = ctx.causation_id},
                            clock_);
    AtomicWrite w;
    std::string key = keys::Review(review.portfolio_id(), review.id());
    w.ExpectField(key, "version", std::to_string(version))
        .Command({"HSET", key, "version", std::to_string(review.version()), "data", review.SerializeAsString()})
        .Command({"DEL", keys::OpenReview(review.portfolio_id(), review.quarter())})
        .Publish(ToOutboxEvent(topics::kReportingEvents, env));
    auto r = outbox_.Commit(w);
    if (!r.ok()) return r.status();
    return review;
  });
}

}  // namespace pmo::reporting::app
