#include "services/benefits/app/convert.h"

namespace pmo::benefits::app {

domain::BenefitCategory FromProto(pb::Category c) {
  switch (c) {
    case pb::CATEGORY_FINANCIAL: return domain::BenefitCategory::kFinancial;
    case pb::CATEGORY_STRATEGIC: return domain::BenefitCategory::kStrategic;
    case pb::CATEGORY_OPERATIONAL: return domain::BenefitCategory::kOperational;
    case pb::CATEGORY_CUSTOMER: return domain::BenefitCategory::kCustomer;
    default: return domain::BenefitCategory::kUnspecified;
  }
}

pb::Category ToProto(domain::BenefitCategory c) {
  switch (c) {
    case domain::BenefitCategory::kFinancial: return pb::CATEGORY_FINANCIAL;
    case domain::BenefitCategory::kStrategic: return pb::CATEGORY_STRATEGIC;
    case domain::BenefitCategory::kOperational: return pb::CATEGORY_OPERATIONAL;
    case domain::BenefitCategory::kCustomer: return pb::CATEGORY_CUSTOMER;
    case domain::BenefitCategory::kUnspecified: break;
  }
  return pb::CATEGORY_UNSPECIFIED;
}

domain::Indicator FromProto(pb::Indicator i) {
  switch (i) {
    case pb::INDICATOR_LEADING: return domain::Indicator::kLeading;
    case pb::INDICATOR_LAGGING: return domain::Indicator::kLagging;
    default: return domain::Indicator::kUnspecified;
  }
}

pb::Indicator ToProto(domain::Indicator i) {
  switch (i) {
    case domain::Indicator::kLeading: return pb::INDICATOR_LEADING;
    case domain::Indicator::kLagging: return pb::INDICATOR_LAGGING;
    case domain::Indicator::kUnspecified: break;
  }
  return pb::INDICATOR_UNSPECIFIED;
}

pb::Direction ToProto(domain::Direction d) {
  return d == domain::Direction::kIncrease ? pb::DIRECTION_INCREASE : pb::DIRECTION_DECREASE;
}

domain::BenefitStatus FromProto(pb::BenefitStatus s) {
  switch (s) {
    case pb::BENEFIT_STATUS_ON_TRACK: return domain::BenefitStatus::kOnTrack;
    case pb::BENEFIT_STATUS_AT_RISK: return domain::BenefitStatus::kAtRisk;
    case pb::BENEFIT_STATUS_OFF_TRACK: return domain::BenefitStatus::kOffTrack;
    case pb::BENEFIT_STATUS_REALISED: return domain::BenefitStatus::kRealised;
    case pb::BENEFIT_STATUS_STALE: return domain::BenefitStatus::kStale;
    default: return domain::BenefitStatus::kNotStarted;
  }
}

pb::BenefitStatus ToProto(domain::BenefitStatus s) {
  switch (s) {
    case domain::BenefitStatus::kNotStarted: return pb::BENEFIT_STATUS_NOT_STARTED;
    case domain::BenefitStatus::kOnTrack: return pb::BENEFIT_STATUS_ON_TRACK;
    case domain::BenefitStatus::kAtRisk: return pb::BENEFIT_STATUS_AT_RISK;
    case domain::BenefitStatus::kOffTrack: return pb::BENEFIT_STATUS_OFF_TRACK;
    case domain::BenefitStatus::kRealised: return pb::BENEFIT_STATUS_REALISED;
    case domain::BenefitStatus::kStale: return pb::BENEFIT_STATUS_STALE;
  }
  return pb::BENEFIT_STATUS_UNSPECIFIED;
}

domain::Measurement FromProto(const pb::Measurement& m) {
  return {m.value(), FromProto(m.as_of()), m.source_id()};
}

pb::Measurement ToProto(const domain::Measurement& m) {
  pb::Measurement out;
  out.set_value(m.value);
  *out.mutable_as_of() = ToProto(m.as_of);
  out.set_source_id(m.source_id);
  return out;
}

std::vector<domain::Measurement> FromProto(const storage::Series& s) {
  std::vector<domain::Measurement> out;
  out.reserve(static_cast<size_t>(s.measurements_size()));
  for (const auto& m : s.measurements()) out.push_back(FromProto(m));
  return out;
}

storage::Series ToProto(const std::vector<domain::Measurement>& series) {
  storage::Series out;
  out.mutable_measurements()->Reserve(static_cast<int>(series.size()));
  for (const auto& m : series) *out.add_measurements() = ToProto(m);
  return out;
}

namespace {

// The fields a benefit and a promised benefit share.
template <typename P>
void CommonFields(const P& p, domain::Benefit& b, Violations& v) {
  b.metric = p.metric();
  b.unit = p.unit();
  if (p.has_baseline()) b.baseline = p.baseline();
  else v.Add("baseline", "is required");
  if (p.has_target()) b.target = p.target();
  else v.Add("target", "is required");
  if (auto d = OptionalDateFromProto(p.target_date())) b.target_date = *d;
  else v.Add("target_date", "is required");
  b.owner = p.owner();
  if (p.has_value_per_unit() && (p.value_per_unit().minor_units() != 0 || !p.value_per_unit().currency().empty()))
    b.value_per_unit = FromProto(p.value_per_unit());
}

}  // namespace

domain::Benefit DefinitionFromProto(const pb::Benefit& p, Violations& v) {
  domain::Benefit b;
  b.id = p.benefit_id();
  b.initiative_id = p.initiative_id();
  b.portfolio_id = p.portfolio_id();
  b.category = FromProto(p.category());
  b.indicator = FromProto(p.indicator());
  CommonFields(p, b, v);
  if (!p.key_result_id().empty()) b.key_result_id = p.key_result_id();
  b.tracking_window_months = p.tracking_window_months() == 0 ? domain::kDefaultTrackingWindowMonths
                                                              : p.tracking_window_months();
  b.version = p.version();
  return b;
}

void PutDefinition(const domain::Benefit& b, pb::Benefit* out) {
  out->set_benefit_id(b.id);
  out->set_initiative_id(b.initiative_id);
  out->set_portfolio_id(b.portfolio_id);
  out->set_category(ToProto(b.category));
  out->set_metric(b.metric);
  out->set_unit(b.unit);
  out->set_baseline(b.baseline);
  out->set_target(b.target);
  *out->mutable_target_date() = ToProto(b.target_date);
  out->set_owner(b.owner);
  out->set_indicator(ToProto(b.indicator));
  out->set_direction(ToProto(domain::DirectionOf(b)));
  if (b.value_per_unit) *out->mutable_value_per_unit() = ToProto(*b.value_per_unit);
  else out->clear_value_per_unit();
  out->set_key_result_id(b.key_result_id.value_or(""));
  out->set_tracking_window_months(b.tracking_window_months);
  out->set_version(b.version);
}

domain::Benefit FromPromise(const intake::v1::PromisedBenefit& p, Violations& v) {
  domain::Benefit b;
  b.category = FromProto(static_cast<pb::Category>(p.category()));  // same numbering as intake's enum
  b.indicator = FromProto(static_cast<pb::Indicator>(p.indicator()));
  CommonFields(p, b, v);
  return b;
}

void PutAssessment(const domain::Assessment& a, pb::Benefit* out) {
  out->set_status(ToProto(a.status.status));
  out->set_status_reason(a.status.reason);
  if (a.window) {
    *out->mutable_tracking_opens() = ToProto(a.window->opens);
    *out->mutable_tracking_closes() = ToProto(a.window->closes);
  } else {
    out->clear_tracking_opens();
    out->clear_tracking_closes();
  }
  pb::Realisation* r = out->mutable_realisation();
  r->Clear();
  r->set_measurement_count(static_cast<int32_t>(a.realisation.measurement_count));
  if (a.realisation.latest) *r->mutable_latest() = ToProto(*a.realisation.latest);
  r->set_ratio(a.realisation.ratio);
  r->set_share(a.realisation.share);
  if (a.realisation.trend_per_day) r->set_trend_per_day(*a.realisation.trend_per_day);
  if (const auto& f = a.realisation.forecast) {
    pb::Forecast* pf = r->mutable_forecast();
    *pf->mutable_at() = ToProto(f->at);
    pf->set_value(f->value);
    pf->set_lower(f->lower);
    pf->set_upper(f->upper);
    pf->set_points(static_cast<int32_t>(f->points));
  }
  if (a.value.planned) *r->mutable_planned_value() = ToProto(*a.value.planned);
  if (a.value.realised) *r->mutable_realised_value() = ToProto(*a.value.realised);
}

storage::ValueEntry ToEntry(const domain::BenefitValue& v) {
  storage::ValueEntry e;
  e.set_initiative_id(v.initiative_id);
  e.set_status(ToProto(v.status));
  if (v.planned) {
    e.set_monetised(true);
    e.set_currency(v.planned->currency);
    e.set_planned_minor_units(v.planned->minor_units);
    e.set_realised_minor_units(v.realised ? v.realised->minor_units : 0);
  }
  return e;
}

domain::BenefitValue FromEntry(const std::string& benefit_id, const storage::ValueEntry& e) {
  domain::BenefitValue v;
  v.benefit_id = benefit_id;
  v.initiative_id = e.initiative_id();
  v.status = FromProto(e.status());
  if (e.monetised()) {
    v.planned = domain::Money{e.planned_minor_units(), e.currency()};
    v.realised = domain::Money{e.realised_minor_units(), e.currency()};
  }
  return v;
}

pb::ValueSummary ToProto(const domain::ValueSummary& s, const std::string& initiative_id) {
  pb::ValueSummary out;
  out.set_initiative_id(initiative_id);
  out.set_currency(s.currency);
  *out.mutable_planned() = ToProto(domain::Money{s.planned_minor_units, s.currency});
  *out.mutable_realised() = ToProto(domain::Money{s.realised_minor_units, s.currency});
  if (s.cost_minor_units) *out.mutable_cost() = ToProto(domain::Money{*s.cost_minor_units, s.currency});
  if (s.planned_roi) out.set_planned_roi(*s.planned_roi);
  if (s.realised_roi) out.set_realised_roi(*s.realised_roi);
  if (s.realisation_rate) out.set_realisation_rate(*s.realisation_rate);
  out.set_benefit_count(s.benefit_count);
  out.set_monetised_count(s.monetised_count);
  for (const auto& [status, count] : s.benefits_by_status) {
    auto* c = out.add_benefits_by_status();
    c->set_status(ToProto(status));
    c->set_count(count);
  }
  for (const auto& id : s.other_currency_benefit_ids) out.add_other_currency_benefit_ids(id);
  return out;
}

}  // namespace pmo::benefits::app
