// okr's Kafka side: check-ins streamed in by other systems (protobuf or JSON envelopes)
// on the ingest topic, and intake's initiative events. Each handler hands the payload to
// the same use case gRPC uses.
#pragma once

#include "pmo/common/event_router.h"
#include "services/okr/app/okr_app.h"

namespace pmo::okr::consumers {

// Registers okr's handlers (and so its topics) on `router`; `app` must outlive it.
// A check-in record without an event id is refused (it is the idempotency key).
// INVALID_ARGUMENT / NOT_FOUND are permanent (the consumer dead-letters after its
// retries); UNAVAILABLE and ABORTED are retried.
void RegisterHandlers(EventRouter& router, app::OkrApp& app);

}  // namespace pmo::okr::consumers
