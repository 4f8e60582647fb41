// okr's Kafka side: check-ins streamed in by other systems (protobuf or JSON envelopes)
// and intake's initiative events. Each record is decoded and handed to the same use
// cases gRPC uses.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/okr/app/okr_app.h"
#include "pmo/common/kafka.h"

namespace pmo::okr::adapters {

// The topics okr consumes.
std::vector<std::string> ConsumedTopics();

// Handles one record. INVALID_ARGUMENT / NOT_FOUND are permanent (the consumer
// dead-letters after its retries); UNAVAILABLE and ABORTED are retried.
absl::Status HandleRecord(app::OkrApp& app, const KafkaMessage& record);

}  // namespace pmo::okr::adapters
