#include "pmo/common/relay.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "pmo/base/errors.h"
#include "pmo/common/atomic_write.h"
#include "pmo/common/envelope.h"
#include "pmo/common/failpoint.h"
#include "pmo/common/log.h"
#include "pmo/common/metrics.h"
#include "pmo/common/proto_convert.h"

namespace pmo {
namespace {

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

RelayOptions WithDefaults(RelayOptions options) {
  if (options.consumer.empty()) options.consumer = "relay";
  return options;
}

}  // namespace

// ---- OutboxRelay ---------------------------------------------------------------

OutboxRelay::OutboxRelay(RedisPool& redis, Producer& producer, RelayOptions options, Metrics* metrics)
    : redis_(redis),
      producer_(producer),
      options_(WithDefaults(std::move(options))),
      metrics_(metrics),
      lease_(redis, options_.stream, options_.consumer, options_.lease_ms) {}

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
template <typename Entry>
void ParseEntries(const RedisReply::View& list, std::vector<Entry>& out) {
  namespace f = outbox_fields;
  for (size_t i = 0; i < list.size(); ++i) {
    auto entry = list.at(i);
    if (!entry.is_array() || entry.size() < 2) continue;
    Entry e;
    e.id = std::string(entry.at(0).str());
    auto kv = entry.at(1);
    for (size_t j = 0; j + 1 < kv.size(); j += 2) {
      const auto name = kv.at(j).str();
      const auto value = kv.at(j + 1).str();
      if (name == f::kTopic) {
        e.topic = std::string(value);
      } else if (name == f::kKey) {
        e.key = std::string(value);
      } else if (name == f::kValue) {
        e.value = std::string(value);
      } else if (name == f::kHeaders) {
        e.headers = std::string(value);
        e.has_headers = true;
      } else if (name == f::kTimestamp) {
        int64_t ms = 0;
        if (absl::SimpleAtoi(AbslView(value), &ms)) e.timestamp_ms = ms;
      }
    }
    out.push_back(std::move(e));
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
  for (size_t s = 0; s < r->size(); ++s) ParseEntries(r->at(s).at(1), out);
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
    RecordHeaders(e, headers, ts);
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

bool RelayLease::Hold() {
  auto now = std::chrono::steady_clock::now();
  if (held_ && now - renewed_ < std::chrono::milliseconds(lease_ms_ / 3)) return true;
  auto r = redis_.Eval(LeaseScript(), {key_}, {holder_, std::to_string(lease_ms_)});
  bool held = r.ok() && r->integer() == 1;
  if (held != held_)
    log::Info(held ? "outbox relay is active" : "outbox relay stands by: another relay holds the lease",
              {{"lease", key_}, {"relay", holder_}});
  held_ = held;
  if (held) renewed_ = now;
  return held;
}

bool OutboxRelay::HoldLease() { return lease_.Hold(); }

void OutboxRelay::RecordHeaders(const Entry& entry, Headers& headers, int64_t& timestamp_ms) {
  if (entry.has_headers) {
    if (auto decoded = DecodeHeaders(entry.headers); decoded.ok()) {
      headers = std::move(*decoded);
      timestamp_ms = entry.timestamp_ms;
      return;
    }
    log::Warn("outbox entry with malformed headers; taking them from its envelope", {{"entry", entry.id}});
  }
  // An envelope alone (the suite's own events): its CloudEvents headers come from it.
  events::v1::Envelope envelope;
  if (envelope.ParseFromString(entry.value)) {
    headers = CloudEventHeaders(envelope);
    timestamp_ms = ToUnixMillis(envelope.occurred_at());
  }
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
    bool had_lease = lease_.held();
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
