#include "services/benefits/app/use_case.h"

#include "services/benefits/app/convert.h"
#include "pmo/common/proto_convert.h"

namespace pmo::benefits::app {

domain::Date Deps::Today() const { return CivilDayUtc(ToTimestamp(clock.Now())); }

absl::StatusOr<v1::Benefit> Stage(const Deps& deps, const Change& change, store::Changes& out) {
  domain::Benefit def = change.definition;
  def.version = change.current ? change.current->version + 1 : 1;
  domain::StatusContext sc;
  sc.today = deps.Today();
  sc.delivered_on = change.delivered_on;
  sc.stale_after_days = deps.options.stale_after_days;
  auto assessment = domain::Assess(def, change.series, sc);
  if (!assessment.ok()) return assessment.status();
  v1::Benefit snap;
  PutDefinition(def, &snap);
  snap.set_origin(change.origin);
  snap.set_removed(change.removed);
  PutAssessment(*assessment, &snap);

  store::BenefitSave save;
  save.snapshot = snap;
  save.series = ToProto(change.series);
  if (change.current) save.expected_version = change.current->version;
  save.value = ToEntry(assessment->value);
  if (assessment->next_review) save.review_day = domain::DaysSinceEpoch(*assessment->next_review);
  out.benefits.push_back(std::move(save));

  if (change.announce) {
    v1::BenefitChanged e;
    *e.mutable_benefit() = snap;
    e.set_created(change.current == nullptr);
    out.events.emplace_back(std::move(e));
  }
  if (!change.measured.empty()) {
    v1::BenefitMeasured e;
    *e.mutable_benefit() = snap;
    *e.mutable_measurement() = ToProto(change.measured.back());
    for (const auto& m : change.measured) *e.add_applied() = ToProto(m);
    e.set_source(change.source);
    out.events.emplace_back(std::move(e));
  }
  const bool was_counted = change.current && !change.current->snapshot.removed();
  if (was_counted && !change.removed && change.current->snapshot.status() != snap.status()) {
    v1::BenefitStatusChanged e;
    *e.mutable_benefit() = snap;
    e.set_from(change.current->snapshot.status());
    e.set_to(snap.status());
    e.set_reason(snap.status_reason());
    out.events.emplace_back(std::move(e));
  }
  return snap;
}

absl::StatusOr<std::string> PortfolioOfBenefit(store::BenefitsStore& store, const std::string& benefit_id) {
  auto p = store.PortfolioOfBenefit(benefit_id);
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("benefit " + benefit_id + " not found");
  return **p;
}

Change Unchanged(const store::StoredBenefit& current) {
  Violations ignored;  // a stored snapshot passed validation when it was written
  Change c;
  c.current = &current;
  c.definition = DefinitionFromProto(current.snapshot, ignored);
  c.origin = current.snapshot.origin();
  c.removed = current.snapshot.removed();
  c.delivered_on = OptionalDateFromProto(current.snapshot.tracking_opens());
  c.series = FromProto(current.series);
  return c;
}

}  // namespace pmo::benefits::app
