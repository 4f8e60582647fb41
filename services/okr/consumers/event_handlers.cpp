#include "services/okr/consumers/event_handlers.h"

#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/okr.pb.h"

namespace pmo::okr::consumers {

namespace {

// Every intake event that carries an initiative snapshot is applied the same way: the
// snapshot's version orders them when the envelope carries none.
template <typename Event>
void OnInitiative(EventRouter& router, app::OkrApp& app) {
  router.On<Event>(
      [&app](const Event& e, const EventContext& ctx) { return app.ApplyInitiative(e.initiative(), ctx.version, ctx.call); },
      [](const Event& e) { return e.initiative().version(); });
}

}  // namespace

void RegisterHandlers(EventRouter& router, app::OkrApp& app) {
  router.OnIngest<v1::CheckInRequest>(topics::kIngestKrCheckins,
                                      [&app](const v1::CheckInRequest& req, const EventContext& ctx) {
                                        return app.CheckIn(req, ctx.call, ctx.topic(), ctx.event_id()).status();
                                      });
  // Other intake events (portfolios, ...) are counted as ignored by the router.
  router.Subscribe(topics::kIntakeEvents);
  OnInitiative<intake::v1::InitiativeSubmitted>(router, app);
  OnInitiative<intake::v1::InitiativeUpdated>(router, app);
  OnInitiative<intake::v1::InitiativeStageChanged>(router, app);
  OnInitiative<intake::v1::ProgressReported>(router, app);
}

}  // namespace pmo::okr::consumers
