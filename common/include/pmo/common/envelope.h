// Building, decoding and routing event envelopes (DESIGN §4): every event carries an
// id, type, source, subject, portfolio, aggregate version, time, correlation and
// causation ids, and its payload as Any; Kafka headers follow the CloudEvents binding.
#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "pmo/common/call_context.h"
#include "pmo/common/clock.h"
#include "pmo/common/kafka.h"
#include "pmo/events/v1/envelope.pb.h"

namespace pmo {

struct EventMeta {
  std::string source;          // producing service, e.g. "pmo-intake"
  std::string subject;         // aggregate id: the Kafka key
  std::string portfolio_id;
  int64_t aggregate_version = 0;
  std::string correlation_id;  // empty: a new one is made
  std::string causation_id;
};

// The metadata of an event `source` publishes about `subject` at `aggregate_version`,
// caused by `cause` (its correlation and causation ids).
EventMeta EventMetaFor(std::string source, std::string subject, std::string portfolio_id, int64_t aggregate_version,
                       const CallContext& cause);

events::v1::Envelope MakeEnvelope(const google::protobuf::Message& payload, const EventMeta& meta,
                                  const Clock& clock = SystemClock::Instance());

// ce_specversion, ce_id, ce_type, ce_source, ce_subject, ce_time, content-type and
// (extensions) pmo_portfolio_id, pmo_aggregate_version, pmo_correlation_id.
Headers CloudEventHeaders(const events::v1::Envelope& envelope);

inline constexpr std::string_view kContentTypeProtobuf = "application/protobuf";
inline constexpr std::string_view kContentTypeJson = "application/json";

// Decodes a record's value as an Envelope: protobuf by default, protobuf's JSON
// mapping when the content-type header says application/json. Undecodable input
// answers INVALID_ARGUMENT (a poison record: dead-letter it).
absl::StatusOr<events::v1::Envelope> DecodeEnvelope(const KafkaMessage& message);

// Unpacks the payload as T; INVALID_ARGUMENT when it holds another type.
template <typename T>
absl::StatusOr<T> UnpackPayload(const events::v1::Envelope& envelope) {
  T out;
  if (!envelope.payload().UnpackTo(&out))
    return absl::InvalidArgumentError("event payload is " + envelope.payload().type_url() + ", expected " +
                                      T::descriptor()->full_name());
  return out;
}

// The payload's message name from its type URL ("pmo.intake.v1.InitiativeSubmitted").
std::string_view PayloadType(const events::v1::Envelope& envelope);

// Protobuf's JSON mapping, for logs, the CLI and JSON ingest.
std::string ToJson(const google::protobuf::Message& message);

}  // namespace pmo
