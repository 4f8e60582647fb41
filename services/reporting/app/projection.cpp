#include "services/reporting/app/projection.h"

#include <cstdio>

#include "services/reporting/app/keys.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/base/calendar.h"
#include "pmo/common/envelope.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "pmo/reporting/v1/reporting.pb.h"
#include "pmo/scoring/v1/events.pb.h"

namespace pmo::reporting::app {

namespace {

using google::protobuf::Message;

std::string Bytes(const Message& m) { return m.SerializeAsString(); }

double Major(const common::v1::Money& m) { return static_cast<double>(m.minor_units()) / 100.0; }

std::string DateText(const common::v1::Date& d) {
  if (d.year() == 0) return "";
  return calendar::FormatDate({d.year(), d.month(), d.day()});
}

// A guarded write of one section of an initiative's hash; also records the initiative
// in its portfolio's set.
AtomicWrite Section(const std::string& p, const std::string& i, const std::string& field, int64_t version,
                    const std::string& value) {
  AtomicWrite w;
  std::string key = keys::Initiative(p, i);
  w.SkipUnlessNewer(key, keys::VersionOf(field), version)
      .Command({"HSET", key, field, value, keys::VersionOf(field), std::to_string(version)})
      .Command({"SADD", keys::Initiatives(p), i});
  return w;
}

// A delivery adjustment of an initiative (stage change, decision, re-ranking), for the
// strategy lead-time KPI. Set-like, so a replay adds nothing new.
AtomicWrite Adjustment(const std::string& p, const std::string& i, int64_t at_ms, const std::string& event_id) {
  AtomicWrite w;
  std::string key = keys::Adjustments(p, i);
  w.Command({"ZADD", key, std::to_string(at_ms), event_id})
      .Command({"ZREMRANGEBYRANK", key, "0", std::to_string(-keys::kAdjustmentsKept - 1)});
  return w;
}

v1::DashboardRow IntakeSection(const intake::v1::Initiative& in) {
  v1::DashboardRow row;
  row.set_initiative_id(in.id());
  row.set_portfolio_id(in.portfolio_id());
  row.set_title(in.title());
  row.set_stage(ShortEnumName(intake::v1::Stage_Name(in.stage()), "STAGE_"));
  if (in.business_case().financial().has_total_cost())
    row.set_budget(Major(in.business_case().financial().total_cost()));
  if (in.has_latest_progress()) {
    const auto& pr = in.latest_progress();
    if (pr.has_actual_spend_to_date()) row.set_actual_spend(Major(pr.actual_spend_to_date()));
    if (pr.has_forecast_at_completion()) row.set_forecast_at_completion(Major(pr.forecast_at_completion()));
    row.set_schedule_variance_days(pr.schedule_variance_days());
    // proto3 cannot tell "not reported" from 0: a report without a confidence must not
    // read as "no confidence at all".
    if (pr.delivery_confidence() > 0) row.set_delivery_confidence(pr.delivery_confidence());
    row.set_percent_complete(pr.percent_complete());
    row.set_last_progress(DateText(pr.as_of()));
  }
  if (in.has_last_decision()) {
    const auto& d = in.last_decision();
    row.set_last_decision(static_cast<v1::Decision>(static_cast<int>(d.kind())));  // same numbering
    row.set_last_decision_rationale(d.rationale());
    row.set_last_decision_review_id(d.review_id());
  }
  return row;
}

v1::BenefitView BenefitSection(const benefits::v1::Benefit& b) {
  v1::BenefitView v;
  v.set_benefit_id(b.benefit_id());
  v.set_metric(b.metric());
  v.set_unit(b.unit());
  v.set_status(ShortEnumName(benefits::v1::BenefitStatus_Name(b.status()), "BENEFIT_STATUS_"));
  v.set_status_reason(b.status_reason());
  const auto& r = b.realisation();
  v.set_measurements(r.measurement_count());
  if (r.measurement_count() > 0) {
    v.set_realised_share(r.share());
    v.set_last_measured(DateText(r.latest().as_of()));
  }
  if (r.has_forecast() && r.forecast().points() >= 3 && b.has_baseline() && b.has_target() &&
      b.target() != b.baseline())
    v.set_forecast_share((r.forecast().value() - b.baseline()) / (b.target() - b.baseline()));
  v.set_planned_value(Major(r.planned_value()));
  v.set_realised_value(Major(r.realised_value()));
  *v.mutable_target_date() = b.target_date();
  v.set_version(b.version());
  return v;
}

void ProjectBenefit(const benefits::v1::Benefit& b, int64_t version, Projected& out) {
  if (b.portfolio_id().empty() || b.initiative_id().empty()) return;
  const std::string& p = b.portfolio_id();
  std::string field = keys::BenefitField(b.benefit_id());
  if (b.removed()) {
    AtomicWrite w;
    std::string key = keys::Initiative(p, b.initiative_id());
    w.SkipUnlessNewer(key, keys::VersionOf(field), version)
        .Command({"HDEL", key, field})
        .Command({"HSET", key, keys::VersionOf(field), std::to_string(version)});
    out.writes.push_back(std::move(w));
  } else {
    out.writes.push_back(Section(p, b.initiative_id(), field, version, Bytes(BenefitSection(b))));
  }
  if (b.status() == benefits::v1::BENEFIT_STATUS_REALISED) {
    // Sticky: once realised, a later status other than REALISED reads as erosion.
    AtomicWrite w;
    w.Command({"HSET", keys::Initiative(p, b.initiative_id()), keys::RealisedField(b.benefit_id()), "1"});
    out.writes.push_back(std::move(w));
  }
}

}  // namespace

std::string ShortEnumName(const std::string& full, const std::string& prefix) {
  if (full.rfind(prefix, 0) == 0) return full.substr(prefix.size());
  return full;
}

int64_t OccurredAtMs(const events::v1::Envelope& e) {
  return e.occurred_at().seconds() * 1000 + e.occurred_at().nanos() / 1'000'000;
}

absl::StatusOr<Projected> Project(const events::v1::Envelope& env) {
  Projected out;
  std::string type(PayloadType(env));
  int64_t at = OccurredAtMs(env);
  auto change = [&](const std::string& p, const std::string& i) {
    std::string short_type = type.substr(type.rfind('.') + 1);
    out.changes.push_back({p, i, short_type, env.event_id(), at});
  };
  auto initiative = [&](const intake::v1::Initiative& in) {
    int64_t version = in.version() ? in.version() : env.aggregate_version();
    out.writes.push_back(Section(in.portfolio_id(), in.id(), keys::kIntake, version, Bytes(IntakeSection(in))));
    change(in.portfolio_id(), in.id());
  };

  if (type == intake::v1::PortfolioChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<intake::v1::PortfolioChanged>(env);
    if (!e.ok()) return e.status();
    const auto& p = e->portfolio();
    AtomicWrite w;
    w.SkipUnlessNewer(keys::Meta(p.id()), "v:portfolio", p.version())
        .Command({"HSET", keys::Meta(p.id()), "portfolio", Bytes(p), "v:portfolio", std::to_string(p.version())});
    out.writes.push_back(std::move(w));
    change(p.id(), "");
  } else if (type == intake::v1::InitiativeSubmitted::descriptor()->full_name()) {
    auto e = UnpackPayload<intake::v1::InitiativeSubmitted>(env);
    if (!e.ok()) return e.status();
    initiative(e->initiative());
  } else if (type == intake::v1::InitiativeUpdated::descriptor()->full_name()) {
    auto e = UnpackPayload<intake::v1::InitiativeUpdated>(env);
    if (!e.ok()) return e.status();
    initiative(e->initiative());
  } else if (type == intake::v1::ProgressReported::descriptor()->full_name()) {
    auto e = UnpackPayload<intake::v1::ProgressReported>(env);
    if (!e.ok()) return e.status();
    initiative(e->initiative());
  } else if (type == intake::v1::InitiativeStageChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<intake::v1::InitiativeStageChanged>(env);
    if (!e.ok()) return e.status();
    initiative(e->initiative());
    out.writes.push_back(Adjustment(e->initiative().portfolio_id(), e->initiative().id(), at, env.event_id()));
  } else if (type == scoring::v1::InitiativeScored::descriptor()->full_name()) {
    auto e = UnpackPayload<scoring::v1::InitiativeScored>(env);
    if (!e.ok()) return e.status();
    const auto& s = e->score();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", s.score());
    out.writes.push_back(Section(s.portfolio_id(), s.initiative_id(), keys::kScore, at, buf));
    out.writes.push_back(Section(s.portfolio_id(), s.initiative_id(), keys::kRank, at, std::to_string(s.rank())));
    change(s.portfolio_id(), s.initiative_id());
  } else if (type == scoring::v1::RankingChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<scoring::v1::RankingChanged>(env);
    if (!e.ok()) return e.status();
    for (const auto& m : e->moves()) {
      out.writes.push_back(
          Section(e->portfolio_id(), m.initiative_id(), keys::kRank, at, std::to_string(m.new_rank())));
      out.writes.push_back(Adjustment(e->portfolio_id(), m.initiative_id(), at, env.event_id()));
    }
    change(e->portfolio_id(), "");
  } else if (type == okr::v1::AlignmentChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<okr::v1::AlignmentChanged>(env);
    if (!e.ok()) return e.status();
    int64_t version = e->version() ? e->version() : env.aggregate_version();
    out.writes.push_back(Section(e->portfolio_id(), e->initiative_id(), keys::kLinks, version, Bytes(*e)));
    change(e->portfolio_id(), e->initiative_id());
  } else if (type == okr::v1::KeyResultChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<okr::v1::KeyResultChanged>(env);
    if (!e.ok()) return e.status();
    int64_t version = e->version() ? e->version() : env.aggregate_version();
    std::string key = keys::KeyResults(e->portfolio_id()), field = "kr:" + e->key_result_id();
    AtomicWrite w;
    w.SkipUnlessNewer(key, keys::VersionOf(field), version)
        .Command({"HSET", key, field, Bytes(*e), keys::VersionOf(field), std::to_string(version)});
    out.writes.push_back(std::move(w));
    change(e->portfolio_id(), "");
  } else if (type == okr::v1::KeyResultCheckedIn::descriptor()->full_name()) {
    auto e = UnpackPayload<okr::v1::KeyResultCheckedIn>(env);
    if (!e.ok()) return e.status();
    int64_t version = e->version() ? e->version() : env.aggregate_version();
    std::string key = keys::KeyResults(e->portfolio_id()), field = "ci:" + e->key_result_id();
    AtomicWrite w;
    w.SkipUnlessNewer(key, keys::VersionOf(field), version)
        .Command({"HSET", key, field, Bytes(*e), keys::VersionOf(field), std::to_string(version)});
    out.writes.push_back(std::move(w));
    if (e->became_latest()) {
      // Confidence history in the order check-ins became the latest (the key result's
      // version): the two newest give the trend. A late, older check-in changes nothing.
      AtomicWrite h;
      std::string hkey = keys::Confidence(e->portfolio_id(), e->key_result_id());
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.17g", e->key_result_confidence());
      h.Command({"ZADD", hkey, std::to_string(version), e->as_of() + "|" + e->source_id() + "|" + buf})
          .Command({"ZREMRANGEBYRANK", hkey, "0", "-11"});
      out.writes.push_back(std::move(h));
    }
    change(e->portfolio_id(), "");
  } else if (type == okr::v1::ObjectiveChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<okr::v1::ObjectiveChanged>(env);
    if (!e.ok()) return e.status();
    int64_t version = e->version() ? e->version() : env.aggregate_version();
    std::string key = keys::Objectives(e->portfolio_id()), field = "o:" + e->objective_id();
    AtomicWrite w;
    w.SkipUnlessNewer(key, keys::VersionOf(field), version)
        .Command({"HSET", key, field, Bytes(*e), keys::VersionOf(field), std::to_string(version)});
    out.writes.push_back(std::move(w));
    change(e->portfolio_id(), "");
  } else if (type == okr::v1::StrategyChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<okr::v1::StrategyChanged>(env);
    if (!e.ok()) return e.status();
    okr::v1::StrategyChanged stamped = *e;
    if (stamped.changed_at_ms() == 0) stamped.set_changed_at_ms(at);
    AtomicWrite w;
    w.Command({"HSET", keys::Strategy(e->portfolio_id()), env.event_id(), Bytes(stamped)});
    out.writes.push_back(std::move(w));
    change(e->portfolio_id(), "");
  } else if (type == benefits::v1::BenefitChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<benefits::v1::BenefitChanged>(env);
    if (!e.ok()) return e.status();
    ProjectBenefit(e->benefit(), e->benefit().version() ? e->benefit().version() : env.aggregate_version(), out);
    change(e->benefit().portfolio_id(), e->benefit().initiative_id());
  } else if (type == benefits::v1::BenefitMeasured::descriptor()->full_name()) {
    auto e = UnpackPayload<benefits::v1::BenefitMeasured>(env);
    if (!e.ok()) return e.status();
    ProjectBenefit(e->benefit(), e->benefit().version() ? e->benefit().version() : env.aggregate_version(), out);
    change(e->benefit().portfolio_id(), e->benefit().initiative_id());
  } else if (type == benefits::v1::BenefitStatusChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<benefits::v1::BenefitStatusChanged>(env);
    if (!e.ok()) return e.status();
    ProjectBenefit(e->benefit(), e->benefit().version() ? e->benefit().version() : env.aggregate_version(), out);
    change(e->benefit().portfolio_id(), e->benefit().initiative_id());
  } else if (type == v1::DecisionRecorded::descriptor()->full_name()) {
    auto e = UnpackPayload<v1::DecisionRecorded>(env);
    if (!e.ok()) return e.status();
    int64_t decided_ms = e->decided_at().seconds() * 1000 + e->decided_at().nanos() / 1'000'000;
    if (decided_ms == 0) decided_ms = at;
    out.writes.push_back(Section(e->portfolio_id(), e->initiative_id(), keys::kDecision, decided_ms, Bytes(*e)));
    AtomicWrite log;
    log.Command({"HSET", keys::Decisions(e->portfolio_id()), e->decision_id(), Bytes(*e)});
    out.writes.push_back(std::move(log));
    out.writes.push_back(Adjustment(e->portfolio_id(), e->initiative_id(), decided_ms, env.event_id()));
    change(e->portfolio_id(), e->initiative_id());
  }
  for (const auto& c : out.changes)
    if (c.portfolio_id.empty())
      // Every read model belongs to a portfolio; a record without one cannot be placed
      // (the consumer dead-letters it).
      return absl::InvalidArgumentError("event " + env.event_id() + " (" + type + ") names no portfolio");
  return out;
}

}  // namespace pmo::reporting::app
