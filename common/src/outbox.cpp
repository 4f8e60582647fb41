#include "pmo/common/outbox.h"

#include <array>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pmo/common/envelope.h"
#include "pmo/base/errors.h"
#include "pmo/common/failpoint.h"
#include "pmo/common/log.h"
#include "pmo/common/metrics.h"

namespace pmo {
namespace {

// ARGV: n_guards, (kind key field value code message)*, n_commands, (argc args...)*,
// stream, n_events, (topic key value)*. Guards run before any write, so a refused
// write changes nothing. Returns {code, message, current}; code "OK" or "SKIP" or a
// status code name. It runs on every write: ARGV is read in place (no closure, no
// table per command), which takes about a quarter off its cost in Redis.
const LuaScript& WriteScript() {
  static const LuaScript script(R"lua(
local a = ARGV
local i = 2
local markers
for g = 1, tonumber(a[1]) do
  local kind, key, field, val = a[i], a[i + 1], a[i + 2], a[i + 3]
  if kind == 'eq' then
    local cur = redis.call('HGET', key, field)
    if cur == false then cur = '' end
    if cur ~= val then return {a[i + 4], a[i + 5], cur} end
  elseif kind == 'exists' then
    if redis.call('EXISTS', key) == 0 then return {a[i + 4], a[i + 5], ''} end
  elseif kind == 'absent' then
    if redis.call('EXISTS', key) == 1 then return {a[i + 4], a[i + 5], ''} end
  elseif kind == 'newer' then
    local cur = tonumber(redis.call('HGET', key, field) or '0') or 0
    if cur >= tonumber(val) then return {'SKIP', a[i + 5], tostring(cur)} end
  elseif kind == 'once' then
    if redis.call('EXISTS', key) == 1 then return {'SKIP', a[i + 5], ''} end
    markers = markers or {}
    markers[#markers + 1] = {key, val}
  end
  i = i + 6
end
-- Markers are set only once every guard has passed, so a refused write leaves none.
if markers then
  for _, m in ipairs(markers) do redis.call('SET', m[1], '1', 'EX', m[2]) end
end
local nc = tonumber(a[i])
i = i + 1
for c = 1, nc do
  local argc = tonumber(a[i])
  redis.call(unpack(a, i + 1, i + argc))
  i = i + 1 + argc
end
local stream = a[i]
local ne = tonumber(a[i + 1])
i = i + 2
for e = 1, ne do
  redis.call('XADD', stream, '*', 't', a[i], 'k', a[i + 1], 'v', a[i + 2])
  i = i + 3
end
return {'OK', '', ''}
)lua");
  return script;
}

// One active relay per outbox stream keeps one key's events in order: the holder of
// the lease publishes; others stand by and take over when it expires.
const LuaScript& LeaseScript() {
  static const LuaScript script(R"lua(
local cur = redis.call('GET', KEYS[1])
if cur == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0
)lua");
  return script;
}

absl::StatusCode CodeFromName(std::string_view name) {
  static const std::pair<std::string_view, absl::StatusCode> kCodes[] = {
      {"ABORTED", absl::StatusCode::kAborted},
      {"NOT_FOUND", absl::StatusCode::kNotFound},
      {"ALREADY_EXISTS", absl::StatusCode::kAlreadyExists},
      {"FAILED_PRECONDITION", absl::StatusCode::kFailedPrecondition},
      {"INVALID_ARGUMENT", absl::StatusCode::kInvalidArgument},
  };
  for (auto [n, c] : kCodes)
    if (n == name) return c;
  return absl::StatusCode::kInternal;
}

std::string CodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kAborted: return "ABORTED";
    case absl::StatusCode::kNotFound: return "NOT_FOUND";
    case absl::StatusCode::kAlreadyExists: return "ALREADY_EXISTS";
    case absl::StatusCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case absl::StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    default: return "INTERNAL";
  }
}

absl::StatusOr<WriteResult> InterpretReply(const absl::StatusOr<RedisReply>& reply) {
  if (!reply.ok()) {
    // A connection failure is retryable; a script error means nothing was written
    // only if it came from a guard, so report it as internal.
    return reply.status();
  }
  if (!reply->is_array() || reply->size() < 3) return absl::InternalError("unexpected outbox script reply");
  std::string_view code = reply->at(0).str();
  if (code == "OK") return WriteResult::kApplied;
  if (code == "SKIP") return WriteResult::kSkipped;
  std::string message(reply->at(1).str());
  std::string_view current = reply->at(2).str();
  if (message.empty()) message = absl::StrCat("write refused (", AbslView(code), ")");
  if (code == "ABORTED" && !current.empty()) absl::StrAppend(&message, " (current version ", AbslView(current), ")");
  return absl::Status(CodeFromName(code), message);
}

}  // namespace

OutboxEvent ToOutboxEvent(std::string_view topic, const events::v1::Envelope& envelope) {
  return OutboxEvent{std::string(topic), envelope.subject(), envelope.SerializeAsString()};
}

// ---- AtomicWrite ---------------------------------------------------------------

AtomicWrite& AtomicWrite::ExpectField(std::string key, std::string field, std::string value, absl::StatusCode code,
                                      std::string message) {
  keys_.push_back(key);
  guards_.push_back({"eq", std::move(key), std::move(field), std::move(value), CodeName(code), std::move(message)});
  return *this;
}
AtomicWrite& AtomicWrite::ExpectExists(std::string key, std::string message, absl::StatusCode code) {
  keys_.push_back(key);
  guards_.push_back({"exists", std::move(key), "", "", CodeName(code), std::move(message)});
  return *this;
}
AtomicWrite& AtomicWrite::ExpectAbsent(std::string key, std::string message, absl::StatusCode code) {
  keys_.push_back(key);
  guards_.push_back({"absent", std::move(key), "", "", CodeName(code), std::move(message)});
  return *this;
}
AtomicWrite& AtomicWrite::SkipUnlessNewer(std::string key, std::string field, int64_t version) {
  keys_.push_back(key);
  guards_.push_back({"newer", std::move(key), std::move(field), std::to_string(version), "SKIP", "not newer"});
  return *this;
}
AtomicWrite& AtomicWrite::OncePerMarker(std::string marker_key, int ttl_seconds) {
  keys_.push_back(marker_key);
  guards_.push_back({"once", std::move(marker_key), "", std::to_string(ttl_seconds), "SKIP", "already processed"});
  return *this;
}
AtomicWrite& AtomicWrite::Command(std::vector<std::string> args) {
  if (args.size() >= 2) keys_.push_back(args[1]);  // our commands name their key first
  command_args_.push_back(std::to_string(args.size()));
  for (auto& a : args) command_args_.push_back(std::move(a));
  ++commands_;
  return *this;
}
AtomicWrite& AtomicWrite::Publish(OutboxEvent event) {
  events_.push_back(std::move(event));
  return *this;
}

void AtomicWrite::Encode(const std::string& stream, std::vector<std::string>& keys,
                         std::vector<std::string>& args) const {
  keys = keys_;
  keys.push_back(stream);
  args.clear();
  args.reserve(3 + guards_.size() * 6 + command_args_.size() + events_.size() * 3);
  args.push_back(std::to_string(guards_.size()));
  for (const auto& g : guards_) {
    args.push_back(g.kind);
    args.push_back(g.key);
    args.push_back(g.field);
    args.push_back(g.value);
    args.push_back(g.code);
    args.push_back(g.message);
  }
  args.push_back(std::to_string(commands_));
  args.insert(args.end(), command_args_.begin(), command_args_.end());
  args.push_back(stream);
  args.push_back(std::to_string(events_.size()));
  for (const auto& e : events_) {
    args.push_back(e.topic);
    args.push_back(e.key);
    args.push_back(e.value);
  }
}

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

absl::Status CheckEventSizes(const AtomicWrite& write) {
  for (const auto& e : write.events())
    if (e.value.size() > kMaxEventBytes)
      return absl::InvalidArgumentError(absl::StrCat("event for ", e.key, " is ", e.value.size(),
                                                     " bytes; the most Kafka takes is ", kMaxEventBytes));
  return absl::OkStatus();
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
  return InterpretReply(redis_.Eval(WriteScript(), keys, args));
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
      RedisArgs cmd = {"EVALSHA", WriteScript().sha(), std::to_string(keys.size())};
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
      else out[todo[j]] = InterpretReply(std::move(r));
    }
    // The server lost its script cache (restart, SCRIPT FLUSH): those did not run.
    // Load the script once and run them again.
    todo = std::move(noscript);
    if (!todo.empty())
      if (auto loaded = redis_.Command({"SCRIPT", "LOAD", WriteScript().source()}); !loaded.ok()) {
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

// ---- OutboxRelay ---------------------------------------------------------------

OutboxRelay::OutboxRelay(RedisPool& redis, Producer& producer, RelayOptions options, Metrics* metrics)
    : redis_(redis), producer_(producer), options_(std::move(options)), metrics_(metrics) {
  if (options_.consumer.empty()) options_.consumer = "relay";
}

OutboxRelay::~OutboxRelay() { Stop(std::chrono::milliseconds(2000)); }

void OutboxRelay::Start() {
  if (reader_.joinable()) return;
  reader_ = std::thread([this] { ReadLoop(); });
  acker_ = std::thread([this] { AckLoop(); });
}

void OutboxRelay::Stop(std::chrono::milliseconds budget) {
  if (!reader_.joinable()) return;
  stop_ = true;
  cv_.notify_all();
  ack_gather_cv_.notify_all();
  reader_.join();  // returns within one XREAD block
  {
    // Let deliveries still in flight be acknowledged and their entries removed.
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, budget, [&] { return in_flight_ == 0 && to_ack_.empty() && acking_ == 0; });
    acker_done_ = true;
  }
  cv_.notify_all();
  ack_gather_cv_.notify_all();
  acker_.join();
}

namespace {
void ParseEntries(const RedisReply::View& list, std::vector<std::string>& ids,
                  std::vector<std::array<std::string, 3>>& fields) {
  for (size_t i = 0; i < list.size(); ++i) {
    auto entry = list.at(i);
    if (!entry.is_array() || entry.size() < 2) continue;
    std::array<std::string, 3> tkv;
    auto kv = entry.at(1);
    for (size_t j = 0; j + 1 < kv.size(); j += 2) {
      auto f = kv.at(j).str();
      if (f == "t") tkv[0] = std::string(kv.at(j + 1).str());
      else if (f == "k") tkv[1] = std::string(kv.at(j + 1).str());
      else if (f == "v") tkv[2] = std::string(kv.at(j + 1).str());
    }
    ids.emplace_back(entry.at(0).str());
    fields.push_back(std::move(tkv));
  }
}
}  // namespace

absl::StatusOr<std::vector<OutboxRelay::Entry>> OutboxRelay::Read(const std::string& after, int block_ms) {
  RedisArgs cmd = {"XREAD", "COUNT", std::to_string(options_.batch)};
  if (block_ms > 0) {
    cmd.push_back("BLOCK");
    cmd.push_back(std::to_string(block_ms));
  }
  cmd.insert(cmd.end(), {"STREAMS", options_.stream, after});
  auto r = redis_.Command(cmd, block_ms + redis_.options().command_timeout_ms);
  if (!r.ok()) return r.status();
  std::vector<Entry> out;
  if (r->is_nil() || !r->is_array()) return out;
  for (size_t s = 0; s < r->size(); ++s) {
    auto stream = r->at(s);
    std::vector<std::string> ids;
    std::vector<std::array<std::string, 3>> fields;
    ParseEntries(stream.at(1), ids, fields);
    for (size_t i = 0; i < ids.size(); ++i)
      out.push_back({std::move(ids[i]), std::move(fields[i][0]), std::move(fields[i][1]), std::move(fields[i][2])});
  }
  return out;
}

void OutboxRelay::WaitForRoom() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return stop_.load() || in_flight_ < options_.max_in_flight; });
}

void OutboxRelay::PublishAll(std::vector<Entry>& entries) {
  for (auto& e : entries) {
    if (e.topic.empty()) {
      // An entry without a topic cannot be published anywhere: remove it with the
      // acknowledged ones instead of reading it again on every replay.
      log::Warn("outbox entry without a topic; removing it", {{"entry", e.id}});
      std::lock_guard lock(mu_);
      to_ack_.push_back(e.id);
      cv_.notify_all();
      continue;
    }
    WaitForRoom();
    if (stop_.load()) return;  // unpublished entries stay in the stream for the next relay
    Headers headers;
    int64_t ts = 0;
    events::v1::Envelope env;
    if (env.ParseFromString(e.value)) {
      headers = CloudEventHeaders(env);
      ts = env.occurred_at().seconds() * 1000 + env.occurred_at().nanos() / 1000000;
    }
    {
      std::lock_guard lock(mu_);
      ++in_flight_;
    }
    auto s = producer_.Produce(
        e.topic, e.key, e.value, headers,
        [this, id = e.id](const absl::Status& st, int32_t, int64_t) {
          if (st.ok()) CrashAtFailpoint("relay.after_ack_before_xdel");
          std::lock_guard lock(mu_);
          --in_flight_;
          if (st.ok()) {
            to_ack_.push_back(id);
          } else {
            // The entry stays in the stream; read the stream again from its start once the pipe is empty.
            log::Warn("outbox delivery failed; will republish", {{"entry", id}, {"reason", st.ToString()}});
            replay_ = true;
            ++failures_;
          }
          cv_.notify_all();
        },
        ts);
    if (!s.ok()) {
      std::lock_guard lock(mu_);
      --in_flight_;
      replay_ = true;
      log::Warn("outbox produce refused; will republish", {{"reason", s.ToString()}});
      return;
    }
  }
}

void OutboxRelay::UpdateBacklog() {
  if (!metrics_) return;
  if (auto r = redis_.Command({"XLEN", options_.stream}); r.ok())
    metrics_->outbox_backlog.Add({{"stream", options_.stream}}).Set(static_cast<double>(r->integer()));
}

bool OutboxRelay::HoldLease() {
  auto now = std::chrono::steady_clock::now();
  if (lease_held_ && now - lease_renewed_ < std::chrono::milliseconds(options_.lease_ms / 3)) return true;
  auto r = redis_.Eval(LeaseScript(), {options_.stream + ":lease"},
                       {options_.consumer, std::to_string(options_.lease_ms)});
  bool held = r.ok() && r->integer() == 1;
  if (held != lease_held_)
    log::Info(held ? "outbox relay is active" : "outbox relay stands by: another relay holds the lease",
              {{"stream", options_.stream}, {"relay", options_.consumer}});
  lease_held_ = held;
  if (held) lease_renewed_ = now;
  return held;
}

void OutboxRelay::ReadLoop() {
  int backoff_ms = 50;
  auto last_backlog = std::chrono::steady_clock::time_point{};
  while (!stop_.load()) {
    auto fail = [&](const absl::Status& s) {
      log::Warn("outbox relay waiting for redis", {{"reason", s.ToString()}, {"backoff_ms", backoff_ms}});
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(backoff_ms), [&] { return stop_.load(); });
      backoff_ms = std::min(backoff_ms * 2, 2000);
    };
    bool had_lease = lease_held_;
    if (!HoldLease()) {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(std::max(50, options_.lease_ms / 4)), [&] { return stop_.load(); });
      continue;
    }
    {
      std::unique_lock lock(mu_);
      // Won the lease: whatever another relay left in the stream comes first, in order.
      if (!had_lease) replay_ = true;
      if (replay_) {
        // Read from the start only when nothing is in flight or being removed, so an
        // entry is not published twice by this relay without need.
        cv_.wait(lock, [&] { return stop_.load() || (in_flight_ == 0 && to_ack_.empty() && acking_ == 0); });
        if (stop_.load()) break;
        replay_ = false;
        cursor_ = "0-0";
        if (failures_ > 0) {
          // A delivery failed: back off before publishing the same entries again.
          int wait_ms = std::min(50 << std::min(failures_, 6), 2000);
          cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stop_.load(); });
          if (stop_.load()) break;
        }
      }
    }
    // The waits above can outlast the lease (a broker outage holds deliveries for up to
    // message.timeout.ms): read only while still holding it, or a standby that took it
    // over and this relay would both publish the stream.
    if (!HoldLease()) continue;
    if (std::chrono::steady_clock::now() - last_backlog > std::chrono::seconds(1)) {
      last_backlog = std::chrono::steady_clock::now();
      UpdateBacklog();
    }
    auto entries = Read(cursor_, options_.block_ms);
    if (!entries.ok()) {
      {
        std::lock_guard lock(mu_);
        replay_ = true;
      }
      fail(entries.status());
      continue;
    }
    backoff_ms = 50;
    if (!entries->empty()) cursor_ = entries->back().id;
    PublishAll(*entries);
  }
}

void OutboxRelay::AckLoop() {
  // Removed in chunks: one command stays a bounded size.
  constexpr size_t kAckChunk = 1000;
  std::vector<std::string> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return acker_done_ || !to_ack_.empty(); });
      if (to_ack_.empty() && acker_done_) return;
      // Delivery reports come a few at a time; gathering them for a moment makes one
      // round trip (and one logged XDEL) of many instead of one per report.
      if (options_.ack_gather_ms > 0 && to_ack_.size() < kAckChunk)
        ack_gather_cv_.wait_for(lock, std::chrono::milliseconds(options_.ack_gather_ms),
                                [&] { return acker_done_ || stop_.load(); });
      size_t n = std::min(to_ack_.size(), kAckChunk);
      batch.assign(to_ack_.begin(), to_ack_.begin() + static_cast<std::ptrdiff_t>(n));
      to_ack_.erase(to_ack_.begin(), to_ack_.begin() + static_cast<std::ptrdiff_t>(n));
      acking_ = static_cast<int>(n);
    }
    RedisArgs xdel = {"XDEL", options_.stream};
    xdel.insert(xdel.end(), batch.begin(), batch.end());
    bool acked = false;
    for (int attempt = 0; attempt < 20; ++attempt) {
      auto r = redis_.Command(xdel);
      if (r.ok()) {
        acked = true;
        break;
      }
      // Not removed: the entries stay in the stream and would be published again; retry
      // for a while so that duplicate is rare.
      log::Warn("outbox XDEL failed", {{"reason", r.status().ToString()}, {"attempt", attempt}});
      {
        std::lock_guard lock(mu_);
        if (acker_done_) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50 * (attempt + 1), 1000)));
    }
    {
      std::lock_guard lock(mu_);
      acking_ = 0;
      if (acked) {
        published_ += static_cast<int64_t>(batch.size());
        failures_ = 0;
      } else {
        replay_ = true;  // publish them again (at least once) rather than strand them
      }
    }
    batch.clear();
    cv_.notify_all();
  }
}

}  // namespace pmo
