// The benefits service's Kafka side: measurements streamed in by other systems
// (protobuf or JSON envelopes) and intake's events (portfolios, and initiatives with
// the benefits their submissions promise, their cost and their stage). Each record is
// decoded and handed to the same use cases gRPC uses.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/benefits/app/benefits_app.h"
#include "pmo/common/kafka.h"

namespace pmo::benefits::adapters {

// The topics the benefits service consumes.
std::vector<std::string> ConsumedTopics();

// Handles one record. INVALID_ARGUMENT, NOT_FOUND and FAILED_PRECONDITION are
// permanent (the consumer dead-letters after its retries); UNAVAILABLE and ABORTED
// are retried until they clear.
absl::Status HandleRecord(app::BenefitsApp& app, const KafkaMessage& record);

}  // namespace pmo::benefits::adapters
