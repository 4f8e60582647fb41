// Intake's Kafka side: progress reports streamed in by other systems (protobuf or JSON
// envelopes), okr's key results and alignments, benefits' register, and reporting's
// decisions, each registered on the event router and handed to the same use cases gRPC
// uses. INVALID_ARGUMENT / NOT_FOUND are permanent (the consumer dead-letters after its
// retries); UNAVAILABLE is retried until it clears.
#pragma once

#include "pmo/common/event_router.h"
#include "services/intake/app/intake_app.h"

namespace pmo::intake::consumers {

// Subscribes `router` to intake's topics and registers a handler per event type; `app`
// must outlive the router's use.
void RegisterHandlers(EventRouter& router, app::IntakeApp& app);

}  // namespace pmo::intake::consumers
