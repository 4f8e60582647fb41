// The benefits service's Kafka side: measurements streamed in by other systems
// (protobuf or JSON envelopes) and intake's events (portfolios, and initiatives with
// the benefits their submissions promise, their cost and their stage), registered on
// common's event router and handed to the same use cases gRPC uses.
#pragma once

#include "services/benefits/app/benefits_app.h"
#include "pmo/common/event_router.h"

namespace pmo::benefits::consumers {

// Registers a handler per payload type the benefits service consumes; `app` must
// outlive the router. A handler's INVALID_ARGUMENT, NOT_FOUND and FAILED_PRECONDITION
// are permanent (the consumer dead-letters after its retries); UNAVAILABLE and ABORTED
// are retried until they clear.
void RegisterHandlers(EventRouter& router, app::BenefitsApp& app);

}  // namespace pmo::benefits::consumers
