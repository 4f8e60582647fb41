#include "services/reporting/app/projection.h"

#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "services/reporting/app/change_feed.h"
#include "services/reporting/app/quarter_freezer.h"
#include "services/reporting/app/reporting_metrics.h"
#include "services/reporting/domain/rollup.h"
#include "pmo/base/calendar.h"
#include "pmo/common/proto_convert.h"
#include "pmo/reporting/v1/reporting.pb.h"

namespace pmo::reporting::app {

namespace {


std::string DateText(const common::v1::Date& d) {
  if (d.year() == 0) return "";
  return calendar::FormatDate(FromProto(d));
}

void Touch(Projected& out, const EventFacts& event, const std::string& portfolio_id,
           const std::string& initiative_id) {
  out.changes.push_back({portfolio_id, initiative_id, event.ShortType(), event.event_id, event.occurred_at_ms});
}

v1::DashboardRow IntakeSection(const intake::v1::Initiative& in) {
  v1::DashboardRow row;
  row.set_initiative_id(in.id());
  row.set_portfolio_id(in.portfolio_id());
  row.set_title(in.title());
  row.set_stage(ShortEnumName(intake::v1::Stage_Name(in.stage()), "STAGE_"));
  if (in.business_case().financial().has_total_cost())
    row.set_budget(MajorUnits(in.business_case().financial().total_cost()));
  if (in.has_latest_progress()) {
    const auto& pr = in.latest_progress();
    if (pr.has_actual_spend_to_date()) row.set_actual_spend(MajorUnits(pr.actual_spend_to_date()));
    if (pr.has_forecast_at_completion()) row.set_forecast_at_completion(MajorUnits(pr.forecast_at_completion()));
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
  auto forecast_share = domain::ForecastShare(
      r.has_forecast() ? std::optional<double>(r.forecast().value()) : std::nullopt, r.forecast().points(),
      b.has_baseline() ? std::optional<double>(b.baseline()) : std::nullopt,
      b.has_target() ? std::optional<double>(b.target()) : std::nullopt);
  if (forecast_share) v.set_forecast_share(*forecast_share);
  v.set_planned_value(MajorUnits(r.planned_value()));
  v.set_realised_value(MajorUnits(r.realised_value()));
  *v.mutable_target_date() = b.target_date();
  v.set_version(b.version());
  return v;
}

}  // namespace

std::string ShortEnumName(const std::string& full, const std::string& prefix) {
  return std::string(absl::StripPrefix(full, prefix));
}

Projected ProjectPortfolio(const intake::v1::Portfolio& portfolio, const EventFacts& event) {
  Projected out;
  out.writes.PutPortfolio(portfolio, event.version);
  Touch(out, event, portfolio.id(), "");
  return out;
}

Projected ProjectInitiative(const intake::v1::Initiative& in, const EventFacts& event, bool adjusts_delivery) {
  Projected out;
  out.writes.PutIntake(in.portfolio_id(), in.id(), event.version, IntakeSection(in));
  Touch(out, event, in.portfolio_id(), in.id());
  if (adjusts_delivery) out.writes.AddAdjustment(in.portfolio_id(), in.id(), event.occurred_at_ms, event.event_id);
  return out;
}

Projected ProjectScore(const scoring::v1::InitiativeScore& s, const EventFacts& event) {
  Projected out;
  out.writes.PutScore(s.portfolio_id(), s.initiative_id(), event.occurred_at_ms, s.score());
  out.writes.PutRank(s.portfolio_id(), s.initiative_id(), event.occurred_at_ms, s.rank());
  Touch(out, event, s.portfolio_id(), s.initiative_id());
  return out;
}

Projected ProjectRanking(const scoring::v1::RankingChanged& ranking, const EventFacts& event) {
  Projected out;
  for (const auto& m : ranking.moves()) {
    out.writes.PutRank(ranking.portfolio_id(), m.initiative_id(), event.occurred_at_ms, m.new_rank());
    out.writes.AddAdjustment(ranking.portfolio_id(), m.initiative_id(), event.occurred_at_ms, event.event_id);
  }
  Touch(out, event, ranking.portfolio_id(), "");
  return out;
}

Projected ProjectAlignment(const okr::v1::AlignmentChanged& alignment, const EventFacts& event) {
  Projected out;
  out.writes.PutLinks(alignment.portfolio_id(), alignment.initiative_id(), event.version, alignment);
  Touch(out, event, alignment.portfolio_id(), alignment.initiative_id());
  return out;
}

Projected ProjectKeyResult(const okr::v1::KeyResultChanged& key_result, const EventFacts& event) {
  Projected out;
  out.writes.PutKeyResult(key_result.portfolio_id(), key_result, event.version);
  Touch(out, event, key_result.portfolio_id(), "");
  return out;
}

Projected ProjectCheckIn(const okr::v1::KeyResultCheckedIn& check_in, const EventFacts& event) {
  Projected out;
  out.writes.PutCheckIn(check_in.portfolio_id(), check_in, event.version);
  // Confidence history in the order check-ins became the latest (the key result's
  // version): the two newest give the trend. A late, older check-in changes nothing.
  if (check_in.became_latest()) out.writes.AddConfidence(check_in.portfolio_id(), check_in, event.version);
  Touch(out, event, check_in.portfolio_id(), "");
  return out;
}

Projected ProjectObjective(const okr::v1::ObjectiveChanged& objective, const EventFacts& event) {
  Projected out;
  out.writes.PutObjective(objective.portfolio_id(), objective, event.version);
  Touch(out, event, objective.portfolio_id(), "");
  return out;
}

Projected ProjectStrategy(const okr::v1::StrategyChanged& update, const EventFacts& event) {
  Projected out;
  okr::v1::StrategyChanged stamped = update;
  if (stamped.changed_at_ms() == 0) stamped.set_changed_at_ms(event.occurred_at_ms);
  out.writes.AddStrategyUpdate(update.portfolio_id(), event.event_id, stamped);
  Touch(out, event, update.portfolio_id(), "");
  return out;
}

Projected ProjectBenefit(const benefits::v1::Benefit& b, const EventFacts& event) {
  Projected out;
  // A benefit not (yet) placed in a portfolio and an initiative has no row to go to.
  if (!b.portfolio_id().empty() && !b.initiative_id().empty()) {
    if (b.removed())
      out.writes.RemoveBenefit(b.portfolio_id(), b.initiative_id(), b.benefit_id(), event.version);
    else
      out.writes.PutBenefit(b.portfolio_id(), b.initiative_id(), event.version, BenefitSection(b));
    // Sticky: once realised, a later status other than REALISED reads as erosion.
    if (b.status() == benefits::v1::BENEFIT_STATUS_REALISED)
      out.writes.MarkRealised(b.portfolio_id(), b.initiative_id(), b.benefit_id());
  }
  Touch(out, event, b.portfolio_id(), b.initiative_id());
  return out;
}

Projected ProjectDecision(const v1::DecisionRecorded& decision, int64_t decided_at_ms, const EventFacts& event) {
  Projected out;
  int64_t at = decided_at_ms != 0 ? decided_at_ms : event.occurred_at_ms;
  out.writes.PutDecision(decision.portfolio_id(), decision.initiative_id(), at, decision);
  out.writes.LogDecision(decision.portfolio_id(), decision);
  out.writes.AddAdjustment(decision.portfolio_id(), decision.initiative_id(), at, event.event_id);
  Touch(out, event, decision.portfolio_id(), decision.initiative_id());
  return out;
}

absl::Status Projection::Apply(Projected projected, const EventFacts& event) {
  for (const auto& c : projected.changes)
    if (c.portfolio_id.empty())
      return absl::InvalidArgumentError("event " + event.event_id + " (" + event.type + ") names no portfolio");
  if (projected.writes.empty()) return absl::OkStatus();
  for (const auto& c : projected.changes)
    if (auto s = quarters_.Observe(c.portfolio_id, c.occurred_at_ms); !s.ok()) return s;
  auto applied_any = store_.Commit(projected.writes);
  if (!applied_any.ok()) return applied_any.status();
  if (!*applied_any) return absl::OkStatus();  // a redelivery: nothing changed, nothing to tell
  metrics_.EventProjected(event.ShortType());
  int64_t applied = absl::ToUnixMillis(clock_.Now());
  for (auto& c : projected.changes) {
    c.applied_at_ms = applied;
    feed_.Publish(c);
  }
  return absl::OkStatus();
}

}  // namespace pmo::reporting::app
