// The transactional outbox (DESIGN §2): runs guarded atomic writes (atomic_write.h),
// each of which appends its events to the service's outbox stream in the same step; the
// relay (relay.h) publishes that stream to Kafka. With group commit, concurrent writers
// share one pipelined round trip to Redis.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "pmo/common/atomic_write.h"
#include "pmo/common/redis.h"

namespace pmo {

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

}  // namespace pmo
