// The guarded atomic write (DESIGN §2): guards, state changes and the events that
// announce them, run by Redis as one Lua script, so a refused write changes nothing and
// a change never commits without its events. The Outbox (outbox.h) runs these writes;
// the relay (relay.h) publishes the events they appended to the outbox stream.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/common/kafka.h"
#include "pmo/common/redis.h"

namespace pmo {

namespace events::v1 {
class Envelope;
}

// One record for Kafka as the relay will publish it: topic, key, value and, optionally,
// ready headers and timestamp, which the relay then publishes as they are. Without them
// (the suite's own events: ToOutboxEvent) the relay works the CloudEvents headers out from
// the envelope. Measured: writing them with every event (about 300 bytes more per entry,
// and their formatting on the writer's thread) took scoring's re-score of 100,000
// initiatives from 4.6 s to 5.9 s; on the relay they cost nothing on the write path.
struct OutboxEvent {
  std::string topic;
  std::string key;
  std::string value;          // a serialized pmo.events.v1.Envelope
  std::string headers = {};   // EncodeHeaders() of ready headers; empty: the relay derives them
  int64_t timestamp_ms = 0;   // with ready headers: the record's timestamp (0: now)
};

OutboxEvent ToOutboxEvent(std::string_view topic, const events::v1::Envelope& envelope);

// Headers in one string for the outbox stream: per header the name's length, ':', the
// name, the value's length, ':', the value. DecodeHeaders refuses anything else.
std::string EncodeHeaders(const Headers& headers);
absl::StatusOr<Headers> DecodeHeaders(std::string_view encoded);

// One atomic step: every guard is checked first; if one fails nothing is written.
class AtomicWrite {
 public:
  // The hash field must currently equal `value` ("" = the field or key is absent);
  // otherwise the write fails with `code` and `message` (ABORTED for a stale version).
  AtomicWrite& ExpectField(std::string key, std::string field, std::string value,
                           absl::StatusCode code = absl::StatusCode::kAborted, std::string message = "");
  // The key must exist (NOT_FOUND otherwise) / must not exist (ALREADY_EXISTS).
  AtomicWrite& ExpectExists(std::string key, std::string message = "",
                            absl::StatusCode code = absl::StatusCode::kNotFound);
  AtomicWrite& ExpectAbsent(std::string key, std::string message = "",
                            absl::StatusCode code = absl::StatusCode::kAlreadyExists);
  // Idempotent apply: skip the whole write (result kSkipped, not an error) unless
  // `version` is newer than the integer in the hash field (absent = 0).
  AtomicWrite& SkipUnlessNewer(std::string key, std::string field, int64_t version);
  // Idempotent apply where no version fits: skip if the marker key exists; otherwise
  // the write also sets it with a TTL (a processed-event id record).
  AtomicWrite& OncePerMarker(std::string marker_key, int ttl_seconds);

  AtomicWrite& Command(std::vector<std::string> args);
  AtomicWrite& Publish(OutboxEvent event);

  bool empty() const { return commands_ == 0 && events_.empty(); }
  const std::vector<OutboxEvent>& events() const { return events_; }

  // Encodes the write as KEYS and ARGV for the write script (exposed for tests).
  void Encode(const std::string& stream, std::vector<std::string>& keys, std::vector<std::string>& args) const;

 private:
  struct Guard {
    std::string kind, key, field, value, code, message;
  };
  std::vector<Guard> guards_;
  std::vector<std::string> command_args_;  // argc, args... per command
  int commands_ = 0;
  std::vector<std::string> keys_;
  std::vector<OutboxEvent> events_;
};

enum class WriteResult { kApplied, kSkipped };

// Kafka refuses records above its message.max.bytes (1,000,000 by default); an event
// that could never be published is refused at write time instead.
inline constexpr size_t kMaxEventBytes = 900 * 1000;

// INVALID_ARGUMENT naming the first event larger than kMaxEventBytes.
absl::Status CheckEventSizes(const AtomicWrite& write);

// The script every AtomicWrite runs as, and the meaning of its reply: the guard's code
// and message when one refused, kSkipped when a newer-only or once-only guard skipped.
const LuaScript& AtomicWriteScript();
absl::StatusOr<WriteResult> InterpretWriteReply(const absl::StatusOr<RedisReply>& reply);

// Stream entry fields: topic, key, value, headers, timestamp.
namespace outbox_fields {
inline constexpr std::string_view kTopic = "t";
inline constexpr std::string_view kKey = "k";
inline constexpr std::string_view kValue = "v";
inline constexpr std::string_view kHeaders = "h";
inline constexpr std::string_view kTimestamp = "ms";
}  // namespace outbox_fields

}  // namespace pmo
