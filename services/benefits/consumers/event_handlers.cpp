#include "services/benefits/consumers/event_handlers.h"

#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/common/proto_convert.h"
#include "pmo/intake/v1/events.pb.h"

namespace pmo::benefits::consumers {
namespace {

// The civil day (UTC) an event occurred on: when intake reported a delivery, say.
domain::Date OccurredOn(const EventContext& ctx, const domain::Date& fallback) {
  const auto& at = ctx.envelope.occurred_at();
  return IsUnset(at) ? fallback : CivilDayUtc(at);
}

// Every intake event that carries an initiative snapshot is applied the same way.
template <typename Event>
void OnInitiativeEvent(EventRouter& router, app::BenefitsApp& app) {
  router.On<Event>(
      [&app](const Event& e, const EventContext& ctx) {
        return app.ApplyInitiative(e.initiative(), ctx.version, OccurredOn(ctx, app.Today()), ctx.call);
      },
      [](const Event& e) { return e.initiative().version(); });
}

}  // namespace

void RegisterHandlers(EventRouter& router, app::BenefitsApp& app) {
  // Ingested measurements: a source that sends no source_id of its own is deduplicated
  // by the event id, so a record without an event id is not refused up front.
  router.OnIngest<v1::RecordMeasurementRequest>(
      topics::kIngestBenefitMeasurements,
      [&app](const v1::RecordMeasurementRequest& req, const EventContext& ctx) {
        if (!req.source_id().empty()) return app.RecordMeasurement(req, ctx.call, ctx.topic()).status();
        v1::RecordMeasurementRequest keyed = req;
        keyed.set_source_id(ctx.event_id());
        return app.RecordMeasurement(keyed, ctx.call, ctx.topic()).status();
      },
      /*require_event_id=*/false);

  router.Subscribe(topics::kIntakeEvents);
  OnInitiativeEvent<intake::v1::InitiativeSubmitted>(router, app);
  OnInitiativeEvent<intake::v1::InitiativeUpdated>(router, app);
  OnInitiativeEvent<intake::v1::InitiativeStageChanged>(router, app);
  OnInitiativeEvent<intake::v1::ProgressReported>(router, app);
  router.On<intake::v1::PortfolioChanged>(
      [&app](const intake::v1::PortfolioChanged& e, const EventContext& ctx) {
        return app.ApplyPortfolio(e.portfolio(), ctx.version);
      },
      [](const intake::v1::PortfolioChanged& e) { return e.portfolio().version(); });
  // Intake's other events are of no use here: the router counts them as ignored.
}

}  // namespace pmo::benefits::consumers
