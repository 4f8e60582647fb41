// The outbox relay: publishes a service's outbox stream to Kafka with the idempotent
// producer, one active relay per stream (a lease in Redis), removing an entry only once
// Kafka acknowledged it. Reader (XREAD from a cursor), producer callbacks and the
// acknowledger (batched XDEL) run on their own threads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "pmo/common/kafka.h"
#include "pmo/common/redis.h"
#include "pmo/common/worker.h"

namespace pmo {

class Metrics;

// One active relay per outbox stream keeps one key's events in order: the holder of the
// lease (key "<stream>:lease", value the holder's name, expiring after lease_ms)
// publishes; others stand by and take over when it expires. Renewed at most every
// third of its duration.
class RelayLease {
 public:
  RelayLease(RedisPool& redis, std::string stream, std::string holder, int lease_ms)
      : redis_(redis), key_(std::move(stream) + ":lease"), holder_(std::move(holder)), lease_ms_(lease_ms) {}
  // Whether this relay holds the lease now (taking or renewing it as needed).
  bool Hold();
  bool held() const { return held_; }

 private:
  RedisPool& redis_;
  std::string key_, holder_;
  int lease_ms_;
  bool held_ = false;
  std::chrono::steady_clock::time_point renewed_{};
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
    std::string id, topic, key, value, headers;
    int64_t timestamp_ms = 0;
    bool has_headers = false;  // written with ready headers (the suite's own events are not)
  };
  void ReadLoop();
  void AckLoop();
  absl::StatusOr<std::vector<Entry>> Read(const std::string& after, int block_ms);
  void PublishAll(std::vector<Entry>& entries);
  void WaitForRoom();
  bool HoldLease();
  static void RecordHeaders(const Entry& entry, Headers& headers, int64_t& timestamp_ms);
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
  RelayLease lease_;                  // reader thread only
  std::string cursor_ = "0-0";        // reader thread only: the last entry read
};

}  // namespace pmo
