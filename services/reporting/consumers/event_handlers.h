// Reporting's Kafka handlers: every service's domain events (reporting's own included —
// decisions rebuild from them) registered on the event router, one handler per payload
// type, each handing the payload to the projection.
#pragma once

#include "services/reporting/app/projection.h"
#include "pmo/common/event_router.h"

namespace pmo::reporting::consumers {

// Subscribes `router` to every service's event topic and registers the projection's
// handlers. INVALID_ARGUMENT from a handler is permanent (dead-lettered); UNAVAILABLE is
// retried. Types reporting has no use for are counted as ignored.
void RegisterProjection(EventRouter& router, app::Projection& projection);

}  // namespace pmo::reporting::consumers
