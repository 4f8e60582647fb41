// Intake's Kafka side: progress reports streamed in by other systems (protobuf or JSON
// envelopes), okr's key results and alignments, benefits' register, and reporting's
// decisions. Each record is decoded and handed to the same use cases gRPC uses.
#pragma once

#include "absl/status/status.h"
#include "services/intake/app/intake_app.h"
#include "pmo/common/kafka.h"

namespace pmo::intake::adapters {

// The topics intake consumes.
std::vector<std::string> ConsumedTopics();

// Handles one record. INVALID_ARGUMENT / NOT_FOUND are permanent (the consumer
// dead-letters after its retries); UNAVAILABLE is retried until it clears.
absl::Status HandleRecord(app::IntakeApp& app, const KafkaMessage& record);

}  // namespace pmo::intake::adapters
