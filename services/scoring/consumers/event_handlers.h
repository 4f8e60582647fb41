// Scoring's Kafka handlers: intake's initiative and portfolio snapshots, okr's links and
// objective priorities, and the benefits register, each registered on the event router.
#pragma once

#include "services/scoring/app/scoring_app.h"
#include "pmo/common/event_router.h"

namespace pmo::scoring::consumers {

// Subscribes `router` to intake's, okr's and benefits' event topics and registers a
// handler per payload type scoring uses; `app` must outlive the router's use.
void RegisterHandlers(EventRouter& router, app::ScoringApp& app);

}  // namespace pmo::scoring::consumers
