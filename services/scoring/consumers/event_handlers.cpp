#include "services/scoring/consumers/event_handlers.h"

#include "pmo/benefits/v1/events.pb.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"

namespace pmo::scoring::consumers {
namespace {
namespace iv1 = ::pmo::intake::v1;

// Every intake event about an initiative carries its full snapshot: apply it if newer.
template <typename Event>
void OnInitiativeSnapshot(EventRouter& router, app::ReadModels& read_models) {
  router.On<Event>([&read_models](const Event& e, const EventContext& ctx) {
    return read_models.ApplyInitiative(e.initiative(), ctx.call);
  });
}

}  // namespace

// Versions: scoring keeps each snapshot's own version (initiative, portfolio, alignment,
// objective, benefit) beside it and applies a snapshot only when it is newer than that,
// so the handlers pass the payload and do not use ctx.version. For intake's events the
// two agree (intake sets aggregate_version from the snapshot it publishes).
void RegisterHandlers(EventRouter& router, app::ScoringApp& app) {
  app::ReadModels& read_models = app.read_models;
  router.Subscribe(topics::kIntakeEvents).Subscribe(topics::kOkrEvents).Subscribe(topics::kBenefitsEvents);
  OnInitiativeSnapshot<iv1::InitiativeSubmitted>(router, read_models);
  OnInitiativeSnapshot<iv1::InitiativeUpdated>(router, read_models);
  OnInitiativeSnapshot<iv1::InitiativeStageChanged>(router, read_models);
  OnInitiativeSnapshot<iv1::ProgressReported>(router, read_models);
  router.On<iv1::PortfolioChanged>([&read_models](const iv1::PortfolioChanged& e, const EventContext&) {
    return read_models.ApplyPortfolio(e.portfolio());
  });
  router.On<okr::v1::AlignmentChanged>([&read_models](const okr::v1::AlignmentChanged& e, const EventContext& ctx) {
    return read_models.ApplyAlignment(e, ctx.call);
  });
  router.On<okr::v1::ObjectiveChanged>([&read_models](const okr::v1::ObjectiveChanged& e, const EventContext& ctx) {
    return read_models.ApplyObjective(e, ctx.call);
  });
  router.On<benefits::v1::BenefitChanged>([&read_models](const benefits::v1::BenefitChanged& e, const EventContext&) {
    return read_models.ApplyBenefit(e);
  });
}

}  // namespace pmo::scoring::consumers
