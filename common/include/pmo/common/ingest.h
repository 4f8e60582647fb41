// Records other systems stream into an ingest topic, in the forms they may send them:
// today's pmo.events.v1.Envelope (protobuf, or protobuf's JSON mapping with
// content-type application/json); the CloudEvents Kafka binding's binary content mode
// (the value is the payload message itself, as protobuf or JSON, with ce_type, ce_id,
// ce_source, ce_time headers); and its structured mode (application/cloudevents+json).
#pragma once

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "pmo/common/kafka.h"
#include "pmo/events/v1/envelope.pb.h"

namespace pmo {

inline constexpr std::string_view kContentTypeCloudEventsJson = "application/cloudevents+json";

// Decodes an ingest record whose payload must be a message of `prototype`'s type, as an
// envelope holding that payload. In binary and structured mode the event id is the
// CloudEvents id (ce_id), else the payload's own source_id field; with neither the record
// is refused, as it would have no idempotency key. INVALID_ARGUMENT listing every field
// that is wrong otherwise.
absl::StatusOr<events::v1::Envelope> DecodeIngestRecord(const KafkaMessage& record,
                                                        const google::protobuf::Message& prototype);

}  // namespace pmo
