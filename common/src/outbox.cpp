#include "pmo/common/outbox.h"

#include <iterator>

#include "absl/strings/match.h"

namespace pmo {

// ---- Outbox ----------------------------------------------------------------------

// A write waiting for the committer: a caller blocked in Commit (woken through `cv`),
// or one from CommitAsync, which owns its write and is answered through `on_done`.
struct Outbox::Pending {
  const AtomicWrite* write = nullptr;
  absl::StatusOr<WriteResult> result = absl::UnknownError("not committed");
  bool done = false;
  std::condition_variable cv;
  std::shared_ptr<const AtomicWrite> owned;
  CommitDone on_done;
};

Outbox::Outbox(RedisPool& redis, std::string stream, bool group_commit)
    : redis_(redis), stream_(std::move(stream)), group_commit_(group_commit) {
  // Two committers: one pipeline in flight while the next one fills.
  if (group_commit_)
    for (int i = 0; i < 2; ++i) committers_.emplace_back([this] { CommitLoop(); });
}

Outbox::~Outbox() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : committers_) t.join();
}

void Outbox::CommitLoop() {
  constexpr size_t kMaxBatch = 256;
  std::vector<Pending*> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty() && stop_) return;
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    std::vector<const AtomicWrite*> writes;
    writes.reserve(batch.size());
    for (auto* p : batch) writes.push_back(p->write);
    auto results = CommitMany(writes);
    std::vector<std::unique_ptr<Pending>> answered;  // asynchronous ones, answered outside the lock
    {
      std::lock_guard lock(mu_);
      for (size_t i = 0; i < batch.size(); ++i) {
        if (batch[i]->on_done) {
          batch[i]->result = std::move(results[i]);
          answered.emplace_back(batch[i]);
          continue;
        }
        batch[i]->result = std::move(results[i]);
        batch[i]->done = true;
        batch[i]->cv.notify_one();
      }
    }
    for (auto& p : answered) p->on_done(std::move(p->result));
    batch.clear();
  }
}

absl::StatusOr<WriteResult> Outbox::Commit(const AtomicWrite& write) {
  if (auto s = CheckEventSizes(write); !s.ok()) return s;
  if (group_commit_) {
    Pending pending;
    pending.write = &write;
    std::unique_lock lock(mu_);
    if (stop_) return absl::UnavailableError("outbox is shutting down");
    queue_.push_back(&pending);
    cv_.notify_one();
    pending.cv.wait(lock, [&] { return pending.done; });
    return std::move(pending.result);
  }
  std::vector<std::string> keys, args;
  write.Encode(stream_, keys, args);
  return InterpretWriteReply(redis_.Eval(AtomicWriteScript(), keys, args));
}

void Outbox::CommitAsync(std::shared_ptr<const AtomicWrite> write, CommitDone done) {
  if (!group_commit_) {
    done(Commit(*write));
    return;
  }
  if (auto s = CheckEventSizes(*write); !s.ok()) {
    done(s);
    return;
  }
  auto pending = std::make_unique<Pending>();
  pending->write = write.get();
  pending->owned = std::move(write);
  pending->on_done = std::move(done);
  {
    std::lock_guard lock(mu_);
    if (!stop_) {
      queue_.push_back(pending.release());
      cv_.notify_one();
      return;
    }
  }
  pending->on_done(absl::UnavailableError("outbox is shutting down"));
}

std::vector<absl::StatusOr<WriteResult>> Outbox::CommitMany(const std::vector<const AtomicWrite*>& writes) {
  std::vector<absl::StatusOr<WriteResult>> out(writes.size(), absl::UnknownError("not run"));
  std::vector<size_t> todo;
  for (size_t i = 0; i < writes.size(); ++i) {
    if (auto s = CheckEventSizes(*writes[i]); !s.ok()) out[i] = s;
    else todo.push_back(i);
  }
  for (int attempt = 0; attempt < 2 && !todo.empty(); ++attempt) {
    std::vector<RedisArgs> cmds;
    cmds.reserve(todo.size());
    for (size_t i : todo) {
      std::vector<std::string> keys, args;
      writes[i]->Encode(stream_, keys, args);
      RedisArgs cmd = {"EVALSHA", AtomicWriteScript().sha(), std::to_string(keys.size())};
      cmd.reserve(cmd.size() + keys.size() + args.size());
      // Moved, not copied: the encoded arguments (the snapshot and event bytes among
      // them) are needed only for this command.
      cmd.insert(cmd.end(), std::make_move_iterator(keys.begin()), std::make_move_iterator(keys.end()));
      cmd.insert(cmd.end(), std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
      cmds.push_back(std::move(cmd));
    }
    auto replies = redis_.PipelineEach(cmds);
    if (!replies.ok()) {
      for (size_t i : todo) out[i] = replies.status();
      return out;
    }
    std::vector<size_t> noscript;
    for (size_t j = 0; j < todo.size(); ++j) {
      auto& r = (*replies)[j];
      if (!r.ok() && absl::StrContains(r.status().message(), "NOSCRIPT")) noscript.push_back(todo[j]);
      else out[todo[j]] = InterpretWriteReply(std::move(r));
    }
    // The server lost its script cache (restart, SCRIPT FLUSH): those did not run.
    // Load the script once and run them again.
    todo = std::move(noscript);
    if (!todo.empty())
      if (auto loaded = redis_.Command({"SCRIPT", "LOAD", AtomicWriteScript().source()}); !loaded.ok()) {
        for (size_t i : todo) out[i] = loaded.status();
        return out;
      }
  }
  return out;
}

absl::StatusOr<int64_t> Outbox::Backlog() {
  auto r = redis_.Command({"XLEN", stream_});
  if (!r.ok()) return r.status();
  return r->integer();
}

}  // namespace pmo
