#include "services/intake/app/convert.h"

#include "absl/strings/str_cat.h"
#include "pmo/common/proto_convert.h"

namespace pmo::intake::app {

namespace {

std::map<domain::Quarter, domain::Money> Amounts(const google::protobuf::RepeatedPtrField<common::v1::QuarterAmount>& in,
                                                 const std::string& path, Violations& v) {
  std::map<domain::Quarter, domain::Money> out;
  for (int i = 0; i < in.size(); ++i) {
    auto q = FromProto(in[i].quarter());
    if (!out.emplace(q, FromProto(in[i].amount())).second)
      v.Add(absl::StrCat(path, "[", i, "].quarter"), absl::StrCat(domain::FormatQuarter(q), " is listed twice"));
  }
  return out;
}

domain::SkillHours Hours(const google::protobuf::RepeatedPtrField<common::v1::SkillHours>& in, const std::string& path,
                         Violations& v) {
  domain::SkillHours out;
  for (int i = 0; i < in.size(); ++i) {
    auto q = FromProto(in[i].quarter());
    if (!out[in[i].skill()].emplace(q, in[i].hours()).second)
      v.Add(absl::StrCat(path, "[", i, "]"),
            absl::StrCat("skill ", in[i].skill(), " in ", domain::FormatQuarter(q), " is listed twice"));
  }
  return out;
}

void PutAmounts(const std::map<domain::Quarter, domain::Money>& in,
                google::protobuf::RepeatedPtrField<common::v1::QuarterAmount>* out) {
  for (const auto& [q, m] : in) {
    auto* a = out->Add();
    *a->mutable_quarter() = ToProto(q);
    *a->mutable_amount() = ToProto(m);
  }
}

void PutHours(const domain::SkillHours& in, google::protobuf::RepeatedPtrField<common::v1::SkillHours>* out) {
  for (const auto& [skill, per_q] : in)
    for (const auto& [q, h] : per_q) {
      auto* s = out->Add();
      s->set_skill(skill);
      *s->mutable_quarter() = ToProto(q);
      s->set_hours(h);
    }
}

domain::Decision DecisionFromProto(const pb::Decision& d) {
  domain::Decision out;
  out.decision_id = d.decision_id();
  out.kind = d.kind() == pb::DECISION_KIND_STOP    ? domain::DecisionKind::kStop
             : d.kind() == pb::DECISION_KIND_PIVOT ? domain::DecisionKind::kPivot
                                     : domain::DecisionKind::kContinue;
  out.rationale = d.rationale();
  out.review_id = d.review_id();
  out.decided_by = d.decided_by();
  out.decided_on = OptionalDateFromProto(d.decided_on());
  return out;
}

pb::Decision DecisionToProto(const domain::Decision& d) {
  pb::Decision out;
  out.set_decision_id(d.decision_id);
  out.set_kind(d.kind == domain::DecisionKind::kStop    ? pb::DECISION_KIND_STOP
               : d.kind == domain::DecisionKind::kPivot ? pb::DECISION_KIND_PIVOT
                                                        : pb::DECISION_KIND_CONTINUE);
  out.set_rationale(d.rationale);
  out.set_review_id(d.review_id);
  out.set_decided_by(d.decided_by);
  if (d.decided_on) *out.mutable_decided_on() = ToProto(*d.decided_on);
  return out;
}

void FillMoney(domain::Money& m, const std::string& currency) {
  if (m.currency.empty() && m.minor_units != 0) m.currency = currency;
}

}  // namespace

domain::Stage FromProto(pb::Stage stage) {
  switch (stage) {
    case pb::STAGE_SUBMITTED: return domain::Stage::kSubmitted;
    case pb::STAGE_IN_REVIEW: return domain::Stage::kInReview;
    case pb::STAGE_APPROVED: return domain::Stage::kApproved;
    case pb::STAGE_ACTIVE: return domain::Stage::kActive;
    case pb::STAGE_DELIVERED: return domain::Stage::kDelivered;
    case pb::STAGE_SUSTAINING: return domain::Stage::kSustaining;
    case pb::STAGE_CLOSED: return domain::Stage::kClosed;
    case pb::STAGE_PAUSED: return domain::Stage::kPaused;
    case pb::STAGE_PIVOTING: return domain::Stage::kPivoting;
    case pb::STAGE_STOPPED: return domain::Stage::kStopped;
    default: return domain::Stage::kDraft;
  }
}

pb::Stage ToProto(domain::Stage stage) {
  switch (stage) {
    case domain::Stage::kDraft: return pb::STAGE_DRAFT;
    case domain::Stage::kSubmitted: return pb::STAGE_SUBMITTED;
    case domain::Stage::kInReview: return pb::STAGE_IN_REVIEW;
    case domain::Stage::kApproved: return pb::STAGE_APPROVED;
    case domain::Stage::kActive: return pb::STAGE_ACTIVE;
    case domain::Stage::kDelivered: return pb::STAGE_DELIVERED;
    case domain::Stage::kSustaining: return pb::STAGE_SUSTAINING;
    case domain::Stage::kClosed: return pb::STAGE_CLOSED;
    case domain::Stage::kPaused: return pb::STAGE_PAUSED;
    case domain::Stage::kPivoting: return pb::STAGE_PIVOTING;
    case domain::Stage::kStopped: return pb::STAGE_STOPPED;
  }
  return pb::STAGE_UNSPECIFIED;
}

domain::Portfolio FromProto(const pb::Portfolio& p, Violations& v) {
  domain::Portfolio out;
  out.id = p.id();
  out.name = p.name();
  out.currency = p.currency();
  out.first_quarter = FromProto(p.first_quarter());
  out.last_quarter = FromProto(p.last_quarter());
  out.budget_per_quarter = Amounts(p.budget_per_quarter(), "budget_per_quarter", v);
  for (auto& [q, m] : out.budget_per_quarter) FillMoney(m, out.currency);
  out.capacity_hours = Hours(p.capacity(), "capacity", v);
  out.wip_limit = p.wip_limit();
  out.version = p.version();
  return out;
}

pb::Portfolio ToProto(const domain::Portfolio& p) {
  pb::Portfolio out;
  out.set_id(p.id);
  out.set_name(p.name);
  out.set_currency(p.currency);
  *out.mutable_first_quarter() = ToProto(p.first_quarter);
  *out.mutable_last_quarter() = ToProto(p.last_quarter);
  PutAmounts(p.budget_per_quarter, out.mutable_budget_per_quarter());
  PutHours(p.capacity_hours, out.mutable_capacity());
  out.set_wip_limit(p.wip_limit);
  out.set_version(p.version);
  return out;
}

domain::ProgressReport FromProto(const pb::ProgressReport& r, Violations&) {
  domain::ProgressReport out;
  out.as_of = FromProto(r.as_of());  // the date as given; validation reports a missing one
  out.percent_complete = r.percent_complete();
  out.actual_spend_to_date = FromProto(r.actual_spend_to_date());
  out.forecast_at_completion = FromProto(r.forecast_at_completion());
  out.schedule_variance_days = r.schedule_variance_days();
  for (const auto& m : r.milestones()) out.milestones.push_back({m.name(), OptionalDateFromProto(m.due()), m.done()});
  out.delivery_confidence = r.delivery_confidence();
  out.note = r.note();
  return out;
}

pb::ProgressReport ToProto(const domain::ProgressReport& r) {
  pb::ProgressReport out;
  *out.mutable_as_of() = ToProto(r.as_of);
  out.set_percent_complete(r.percent_complete);
  *out.mutable_actual_spend_to_date() = ToProto(r.actual_spend_to_date);
  *out.mutable_forecast_at_completion() = ToProto(r.forecast_at_completion);
  out.set_schedule_variance_days(r.schedule_variance_days);
  for (const auto& m : r.milestones) {
    auto* pm = out.add_milestones();
    pm->set_name(m.name);
    if (m.due) *pm->mutable_due() = ToProto(*m.due);
    pm->set_done(m.done);
  }
  out.set_delivery_confidence(r.delivery_confidence);
  out.set_note(r.note);
  return out;
}

domain::Initiative FromProto(const pb::Initiative& in, Violations& v) {
  domain::Initiative out;
  out.id = in.id();
  out.portfolio_id = in.portfolio_id();
  out.title = in.title();
  out.description = in.description();
  out.sponsor = in.sponsor();
  out.owner = in.owner();
  out.methodology = in.methodology() == pb::METHODOLOGY_AGILE       ? domain::Methodology::kAgile
                    : in.methodology() == pb::METHODOLOGY_WATERFALL ? domain::Methodology::kWaterfall
                    : in.methodology() == pb::METHODOLOGY_HYBRID    ? domain::Methodology::kHybrid
                                                        : domain::Methodology::kUnspecified;
  out.start_quarter = FromProto(in.start_quarter());
  out.end_quarter = FromProto(in.end_quarter());
  out.cost_per_quarter = Amounts(in.cost_per_quarter(), "cost_per_quarter", v);
  out.effort_hours = Hours(in.effort(), "effort", v);
  const auto& bc = in.business_case();
  out.business_case.strategic.problem = bc.strategic().problem();
  out.business_case.strategic.value_hypothesis = bc.strategic().value_hypothesis();
  for (const auto& kr : bc.strategic().key_results())
    out.business_case.strategic.key_results.push_back({kr.key_result_id(), kr.contribution_weight()});
  out.business_case.economic.expected_value = FromProto(bc.economic().expected_value());
  out.business_case.financial.total_cost = FromProto(bc.financial().total_cost());
  out.business_case.financial.funding_source = bc.financial().funding_source();
  out.business_case.commercial.strategy = bc.commercial().strategy();
  out.business_case.management.delivery_risk_level = static_cast<domain::RiskLevel>(bc.management().delivery_risk_level());
  out.business_case.management.delivery_risk = bc.management().delivery_risk();
  out.ratings.insert(in.ratings().begin(), in.ratings().end());
  out.risk = {in.risk().probability(), in.risk().impact()};
  out.urgency.deadline = OptionalDateFromProto(in.urgency().deadline());
  out.urgency.cost_of_delay_per_week = FromProto(in.urgency().cost_of_delay_per_week());
  out.dependencies.assign(in.dependencies().begin(), in.dependencies().end());
  for (const auto& b : in.benefits()) {
    domain::Benefit d;
    d.category = static_cast<domain::BenefitCategory>(b.category());
    d.metric = b.metric();
    d.unit = b.unit();
    if (b.has_baseline()) d.baseline = b.baseline();
    if (b.has_target()) d.target = b.target();
    d.target_date = OptionalDateFromProto(b.target_date());
    d.owner = b.owner();
    d.indicator = static_cast<domain::Indicator>(b.indicator());
    d.value_per_unit = FromProto(b.value_per_unit());
    out.benefits.push_back(std::move(d));
  }
  out.stage = FromProto(in.stage());
  out.version = in.version();
  out.override_reason = in.override_reason();
  if (in.has_last_decision()) out.last_decision = DecisionFromProto(in.last_decision());
  out.applied_decision_ids.assign(in.applied_decision_ids().begin(), in.applied_decision_ids().end());
  out.submitted_at_unix_ms = ToUnixMillis(in.submitted_at());
  if (in.has_latest_progress()) out.latest_progress = FromStored(in.latest_progress());
  return out;
}

pb::Initiative ToProto(const domain::Initiative& in) {
  pb::Initiative out;
  out.set_id(in.id);
  out.set_portfolio_id(in.portfolio_id);
  out.set_title(in.title);
  out.set_description(in.description);
  out.set_sponsor(in.sponsor);
  out.set_owner(in.owner);
  out.set_methodology(in.methodology == domain::Methodology::kAgile       ? pb::METHODOLOGY_AGILE
                      : in.methodology == domain::Methodology::kWaterfall ? pb::METHODOLOGY_WATERFALL
                      : in.methodology == domain::Methodology::kHybrid    ? pb::METHODOLOGY_HYBRID
                                                                          : pb::METHODOLOGY_UNSPECIFIED);
  *out.mutable_start_quarter() = ToProto(in.start_quarter);
  *out.mutable_end_quarter() = ToProto(in.end_quarter);
  PutAmounts(in.cost_per_quarter, out.mutable_cost_per_quarter());
  PutHours(in.effort_hours, out.mutable_effort());
  auto* bc = out.mutable_business_case();
  bc->mutable_strategic()->set_problem(in.business_case.strategic.problem);
  bc->mutable_strategic()->set_value_hypothesis(in.business_case.strategic.value_hypothesis);
  for (const auto& kr : in.business_case.strategic.key_results) {
    auto* k = bc->mutable_strategic()->add_key_results();
    k->set_key_result_id(kr.key_result_id);
    k->set_contribution_weight(kr.contribution_weight);
  }
  *bc->mutable_economic()->mutable_expected_value() = ToProto(in.business_case.economic.expected_value);
  *bc->mutable_financial()->mutable_total_cost() = ToProto(in.business_case.financial.total_cost);
  bc->mutable_financial()->set_funding_source(in.business_case.financial.funding_source);
  bc->mutable_commercial()->set_strategy(in.business_case.commercial.strategy);
  bc->mutable_management()->set_delivery_risk_level(
      static_cast<pb::RiskLevel>(in.business_case.management.delivery_risk_level));
  bc->mutable_management()->set_delivery_risk(in.business_case.management.delivery_risk);
  out.mutable_ratings()->insert(in.ratings.begin(), in.ratings.end());
  out.mutable_risk()->set_probability(in.risk.probability);
  out.mutable_risk()->set_impact(in.risk.impact);
  if (in.urgency.deadline) *out.mutable_urgency()->mutable_deadline() = ToProto(*in.urgency.deadline);
  *out.mutable_urgency()->mutable_cost_of_delay_per_week() = ToProto(in.urgency.cost_of_delay_per_week);
  for (const auto& d : in.dependencies) out.add_dependencies(d);
  for (const auto& b : in.benefits) {
    auto* pbb = out.add_benefits();
    pbb->set_category(static_cast<pb::BenefitCategory>(b.category));
    pbb->set_metric(b.metric);
    pbb->set_unit(b.unit);
    if (b.baseline) pbb->set_baseline(*b.baseline);
    if (b.target) pbb->set_target(*b.target);
    if (b.target_date) *pbb->mutable_target_date() = ToProto(*b.target_date);
    pbb->set_owner(b.owner);
    pbb->set_indicator(static_cast<pb::Indicator>(b.indicator));
    *pbb->mutable_value_per_unit() = ToProto(b.value_per_unit);
  }
  out.set_stage(ToProto(in.stage));
  out.set_version(in.version);
  out.set_override_reason(in.override_reason);
  if (in.last_decision) *out.mutable_last_decision() = DecisionToProto(*in.last_decision);
  for (const auto& id : in.applied_decision_ids) out.add_applied_decision_ids(id);
  if (in.submitted_at_unix_ms > 0) *out.mutable_submitted_at() = TimestampFromUnixMillis(in.submitted_at_unix_ms);
  if (in.latest_progress) *out.mutable_latest_progress() = ToProto(*in.latest_progress);
  return out;
}

void DefaultCurrency(domain::Initiative& in, const std::string& currency) {
  for (auto& [q, m] : in.cost_per_quarter) FillMoney(m, currency);
  FillMoney(in.business_case.economic.expected_value, currency);
  FillMoney(in.business_case.financial.total_cost, currency);
  FillMoney(in.urgency.cost_of_delay_per_week, currency);
  for (auto& b : in.benefits) FillMoney(b.value_per_unit, currency);
}

void DefaultCurrency(domain::ProgressReport& r, const std::string& currency) {
  FillMoney(r.actual_spend_to_date, currency);
  FillMoney(r.forecast_at_completion, currency);
}

domain::Portfolio FromStored(const pb::Portfolio& p) {
  Violations ignored;
  return FromProto(p, ignored);
}

domain::Initiative FromStored(const pb::Initiative& in) {
  Violations ignored;
  return FromProto(in, ignored);
}

domain::ProgressReport FromStored(const pb::ProgressReport& r) {
  Violations ignored;
  return FromProto(r, ignored);
}

domain::Decision DecisionFromEvent(const reporting::v1::DecisionRecorded& decision) {
  domain::Decision d;
  d.decision_id = decision.decision_id();
  d.initiative_id = decision.initiative_id();
  d.kind = decision.decision() == reporting::v1::DECISION_STOP    ? domain::DecisionKind::kStop
           : decision.decision() == reporting::v1::DECISION_PIVOT ? domain::DecisionKind::kPivot
                                                                  : domain::DecisionKind::kContinue;
  d.rationale = decision.rationale();
  d.review_id = decision.review_id();
  d.decided_by = decision.decided_by();
  d.decided_on = OptionalDateFromProto(decision.decided_on());
  return d;
}

domain::BenefitEvidence EvidenceFromProto(const benefits::v1::Benefit& benefit) {
  domain::BenefitEvidence e;
  e.benefit_id = benefit.benefit_id();
  if (benefit.has_baseline()) e.baseline = benefit.baseline();
  if (benefit.has_target()) e.target = benefit.target();
  e.unit = benefit.unit();
  e.target_date = OptionalDateFromProto(benefit.target_date());
  return e;
}

}  // namespace pmo::intake::app
