// The transactional outbox (DESIGN §2): a state change and the events announcing it are
// written in one atomic Redis step (one Lua script: guards, writes, XADD to the
// service's outbox stream). The relay publishes the stream to Kafka and removes an
// entry only after Kafka acknowledged it, so no event is lost and none is published
// for a change that did not commit. Guards also give optimistic concurrency
// (expected version → ABORTED) and idempotent apply (only if newer / only once).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/common/kafka.h"
#include "pmo/common/redis.h"
#include "pmo/common/worker.h"

namespace pmo {

namespace events::v1 {
class Envelope;
}

struct OutboxEvent {
  std::string topic;
  std::string key;
  std::string value;  // a serialized pmo.events.v1.Envelope
};

OutboxEvent ToOutboxEvent(std::string_view topic, const events::v1::Envelope& envelope);

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

  // Encodes the write as KEYS and ARGV for the outbox script (exposed for tests).
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

class Outbox {
 public:
  // `stream` is the service's outbox stream, e.g. "pmo:intake:outbox". With
  // `group_commit`, concurrent Commit calls are sent to Redis together: a committer
  // thread pipelines whatever writes are waiting (each still atomic on its own), so
  // many callers share one round trip instead of queueing for one each.
  Outbox(RedisPool& redis, std::string stream, bool group_commit = false);
  ~Outbox();

  // Runs the write atomically. Guard failures answer the guard's code and write
  // nothing. UNAVAILABLE means Redis could not be reached or did not answer: when the
  // command had been sent it may have committed, so callers retry only writes whose
  // guards make a repeat harmless (expected version, newer-only, once-only). Commands
  // are our own and well-formed; a command failing inside the script (OOM, a key of
  // the wrong type) would leave the writes before it in place.
  absl::StatusOr<WriteResult> Commit(const AtomicWrite& write);

  // Commit without waiting: `done` runs once with the result, on the committer thread
  // that sent the write (or on the caller's thread when the outbox does not group or is
  // shutting down). Same guarantees as Commit. A server handler can so hand its write
  // over and free its thread instead of blocking it for the round trip to Redis.
  // `done` must be quick and must not wait for another commit.
  using CommitDone = std::function<void(absl::StatusOr<WriteResult>)>;
  void CommitAsync(std::shared_ptr<const AtomicWrite> write, CommitDone done);

  // Commits several independent writes in one round trip (pipelined EVALSHA); each
  // write is still atomic on its own. Results are in order.
  std::vector<absl::StatusOr<WriteResult>> CommitMany(const std::vector<const AtomicWrite*>& writes);

  // Entries written and not yet acknowledged by Kafka.
  absl::StatusOr<int64_t> Backlog();

  const std::string& stream() const { return stream_; }

 private:
  struct Pending;
  void CommitLoop();

  RedisPool& redis_;
  std::string stream_;
  bool group_commit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending*> queue_;
  bool stop_ = false;
  std::vector<std::thread> committers_;
};

struct RelayOptions {
  std::string stream;                 // outbox stream key
  std::string consumer;               // this relay's name (the lease holder's identity)
  int batch = 512;                    // entries read per XREAD
  int block_ms = 250;                 // XREAD BLOCK: no sleep-polling, events leave at once;
                                      // also bounds how long Stop waits for the reader
  int max_in_flight = 20000;          // produced but not yet acknowledged
  int lease_ms = 10000;               // one active relay per stream; a dead one's lease expires
  int ack_gather_ms = 5;              // Kafka's acknowledgements gathered this long into one
                                      // XDEL; only how soon entries leave the stream (and how
                                      // many a crash republishes) depends on it, never publishing
};

// Publishes the outbox stream to Kafka. One relay per stream is active at a time (a
// lease in Redis), which keeps each key's events in order across replicas. An entry
// is removed (XDEL) only once Kafka acknowledged it, so the stream holds exactly the
// events not yet known to be published: the relay reads it with XREAD from a cursor it
// keeps in memory, and whenever it (re)starts, wins the lease, or a delivery failed, it
// waits for what is in flight and reads again from the start of the stream, in order.
// No consumer group, so Redis keeps no pending list and logs no XCLAIM per entry.
// The lease is checked again before every read. A relay taking over re-reads entries
// the old holder may still have in flight: delivery is at least once, consumers are
// idempotent. Each replica needs its own relay name (the lease holder's identity).
// Failpoint "relay.after_ack_before_xdel" exits between Kafka's acknowledgement and
// the XDEL, which makes the relay publish that entry again after a restart.
class OutboxRelay final : public Worker {
 public:
  OutboxRelay(RedisPool& redis, Producer& producer, RelayOptions options, Metrics* metrics = nullptr);
  ~OutboxRelay() override;

  std::string name() const override { return "outbox-relay:" + options_.stream; }
  void Start() override;
  // Stops reading, waits (within budget) for records in flight to be acknowledged and
  // their entries removed. Entries not acknowledged stay in the stream for next time.
  void Stop(std::chrono::milliseconds budget) override;

  int64_t published() const { return published_.load(); }

 private:
  struct Entry {
    std::string id, topic, key, value;
  };
  void ReadLoop();
  void AckLoop();
  absl::StatusOr<std::vector<Entry>> Read(const std::string& after, int block_ms);
  void PublishAll(std::vector<Entry>& entries);
  void WaitForRoom();
  bool HoldLease();
  void UpdateBacklog();

  RedisPool& redis_;
  Producer& producer_;
  RelayOptions options_;
  Metrics* metrics_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> published_{0};
  std::thread reader_, acker_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable ack_gather_cv_;  // only Stop wakes the acker while it gathers
  std::vector<std::string> to_ack_;   // acknowledged by Kafka, not yet removed
  int in_flight_ = 0;                 // produced, no delivery report yet
  bool replay_ = true;                // read from the stream's start (start, lease won, failed delivery)
  int failures_ = 0;                  // failed deliveries since the last acknowledgement (backoff)
  int acking_ = 0;                    // ids the acker has taken and not yet acknowledged
  bool acker_done_ = false;
  bool lease_held_ = false;           // reader thread only
  std::string cursor_ = "0-0";        // reader thread only: the last entry read
  std::chrono::steady_clock::time_point lease_renewed_{};
};

}  // namespace pmo
