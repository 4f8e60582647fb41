#include "pmo/common/redis.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"
#include "pmo/common/log.h"
#include "pmo/common/metrics.h"
#include <openssl/sha.h>

namespace pmo {

absl::StatusOr<RedisEndpoint> ParseRedisUrl(std::string_view url) {
  RedisEndpoint ep;
  constexpr std::string_view kScheme = "redis://";
  if (!url.starts_with(kScheme))
    return absl::InvalidArgumentError(absl::StrCat("redis url must start with redis://, got '", AbslView(url), "'"));
  std::string_view rest = url.substr(kScheme.size());
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view auth = rest.substr(0, at);
    if (auto colon = auth.find(':'); colon != std::string_view::npos) auth = auth.substr(colon + 1);
    ep.password = std::string(auth);
    rest = rest.substr(at + 1);
  }
  std::string_view hostport = rest;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && (!absl::SimpleAtoi(AbslView(db), &ep.db) || ep.db < 0))
      return absl::InvalidArgumentError(absl::StrCat("redis url database must be a number >= 0, got '", AbslView(db), "'"));
  }
  if (auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = hostport.substr(colon + 1);
    if (!absl::SimpleAtoi(AbslView(port), &ep.port) || ep.port <= 0 || ep.port > 65535)
      return absl::InvalidArgumentError(absl::StrCat("redis url port must be 1..65535, got '", AbslView(port), "'"));
    hostport = hostport.substr(0, colon);
  }
  if (hostport.empty()) return absl::InvalidArgumentError("redis url has no host");
  ep.host = std::string(hostport);
  return ep;
}

// ---- replies -----------------------------------------------------------------

void RedisReply::Free::operator()(redisReply* r) const {
  if (r) freeReplyObject(r);
}
RedisReply::RedisReply(redisReply* r) : r_(r) {}
bool RedisReply::is_nil() const { return view().is_nil(); }
bool RedisReply::is_string() const { return view().is_string(); }
bool RedisReply::is_integer() const { return view().is_integer(); }
bool RedisReply::is_array() const { return view().is_array(); }
std::string_view RedisReply::str() const { return view().str(); }
long long RedisReply::integer() const { return view().integer(); }
size_t RedisReply::size() const { return view().size(); }
RedisReply::View RedisReply::at(size_t i) const { return view().at(i); }

bool RedisReply::View::is_nil() const { return !r_ || r_->type == REDIS_REPLY_NIL; }
bool RedisReply::View::is_string() const {
  return r_ && (r_->type == REDIS_REPLY_STRING || r_->type == REDIS_REPLY_STATUS);
}
bool RedisReply::View::is_integer() const { return r_ && r_->type == REDIS_REPLY_INTEGER; }
bool RedisReply::View::is_array() const { return r_ && r_->type == REDIS_REPLY_ARRAY; }
std::string_view RedisReply::View::str() const {
  return is_string() ? std::string_view(r_->str, r_->len) : std::string_view();
}
long long RedisReply::View::integer() const { return is_integer() ? r_->integer : 0; }
size_t RedisReply::View::size() const { return is_array() ? r_->elements : 0; }
RedisReply::View RedisReply::View::at(size_t i) const { return View(i < size() ? r_->element[i] : nullptr); }

// ---- scripts -------------------------------------------------------------------

namespace {
std::string Sha1Hex(std::string_view data) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}
}  // namespace

LuaScript::LuaScript(std::string source) : source_(std::move(source)), sha_(Sha1Hex(source_)) {}

// ---- pool ----------------------------------------------------------------------

struct RedisPool::Conn {
  redisContext* ctx = nullptr;
  uint64_t generation = 0;
  ~Conn() {
    if (ctx) redisFree(ctx);
  }
};

namespace {
timeval ToTimeval(int ms) { return timeval{ms / 1000, (ms % 1000) * 1000}; }

std::string CommandName(const RedisArgs& args) {
  return args.empty() ? std::string() : absl::AsciiStrToUpper(args.front());
}

// hiredis reports I/O problems on the context; they leave it unusable.
absl::Status ContextError(redisContext* ctx, std::string_view what) {
  return absl::UnavailableError(absl::StrCat("redis ", AbslView(what), ": ", ctx ? ctx->errstr : "no context"));
}

absl::Status ErrorReply(const redisReply* r) {
  absl::string_view text(r->str, r->len);
  for (absl::string_view transient : {"LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN", "OOM", "CLUSTERDOWN"})
    if (absl::StartsWith(text, transient)) return absl::UnavailableError(absl::StrCat("redis temporarily unable: ", text));
  return absl::InternalError(absl::StrCat("redis error: ", text));
}
}  // namespace

RedisPool::RedisPool(Options options) : options_(std::move(options)) {}
RedisPool::~RedisPool() = default;

absl::StatusOr<std::unique_ptr<RedisPool::Conn>> RedisPool::Connect() {
  auto conn = std::make_unique<Conn>();
  auto tv = ToTimeval(options_.connect_timeout_ms);
  conn->ctx = redisConnectWithTimeout(options_.endpoint.host.c_str(), options_.endpoint.port, tv);
  if (!conn->ctx || conn->ctx->err) return ContextError(conn->ctx, "connect");
  auto ctv = ToTimeval(options_.command_timeout_ms);
  if (redisSetTimeout(conn->ctx, ctv) != REDIS_OK) return ContextError(conn->ctx, "set timeout");
  auto run = [&](std::vector<std::string> args) -> absl::Status {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(redisCommandArgv(conn->ctx, static_cast<int>(argv.size()), argv.data(), lens.data()));
    if (!r) return ContextError(conn->ctx, "handshake");
    RedisReply owned(r);
    if (r->type == REDIS_REPLY_ERROR) return absl::UnavailableError(absl::StrCat("redis handshake: ", absl::string_view(r->str, r->len)));
    return absl::OkStatus();
  };
  if (!options_.endpoint.password.empty())
    if (auto s = run({"AUTH", options_.endpoint.password}); !s.ok()) return s;
  if (options_.endpoint.db != 0)
    if (auto s = run({"SELECT", std::to_string(options_.endpoint.db)}); !s.ok()) return s;
  return conn;
}

absl::StatusOr<std::unique_ptr<RedisPool::Conn>> RedisPool::Acquire() {
  std::unique_lock lock(mu_);
  for (;;) {
    while (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      if (c->generation == generation_) return c;
      --open_;  // made before the last I/O failure: assume it is dead too
    }
    if (open_ < options_.pool_size) break;
    // Every connection is lent out: wait for one, bounded by the command timeout.
    if (!cv_.wait_for(lock, std::chrono::milliseconds(options_.command_timeout_ms),
                      [&] { return !idle_.empty() || open_ < options_.pool_size; }))
      return absl::UnavailableError("redis pool exhausted: every connection is busy");
  }
  auto now = std::chrono::steady_clock::now();
  if (now < retry_at_)
    return absl::UnavailableError(absl::StrCat("redis unreachable; next reconnect attempt in ",
                                               std::chrono::duration_cast<std::chrono::milliseconds>(retry_at_ - now).count(),
                                               " ms"));
  ++open_;
  lock.unlock();
  auto conn = Connect();
  lock.lock();
  if (!conn.ok()) {
    --open_;
    backoff_ms_ = backoff_ms_ == 0 ? options_.initial_backoff_ms : std::min(backoff_ms_ * 2, options_.max_backoff_ms);
    retry_at_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(backoff_ms_);
    if (options_.metrics) options_.metrics->redis_errors.Add({{"kind", "connect"}}).Increment();
    cv_.notify_one();
    return conn.status();
  }
  backoff_ms_ = 0;
  retry_at_ = {};
  (*conn)->generation = generation_;
  return conn;
}

void RedisPool::Release(std::unique_ptr<Conn> conn, bool healthy) {
  std::lock_guard lock(mu_);
  if (healthy) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;  // a context with an error is never reused: it is freed here
    ++generation_;
    if (options_.metrics) options_.metrics->redis_errors.Add({{"kind", "io"}}).Increment();
  }
  cv_.notify_one();
}

void RedisPool::ObserveLatency(std::string_view command, std::chrono::steady_clock::time_point start) {
  if (!options_.metrics) return;
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  options_.metrics->redis_seconds.Add({{"command", std::string(command)}}, Metrics::LatencyBuckets()).Observe(s);
}

absl::StatusOr<RedisReply> RedisPool::Command(const RedisArgs& args, int timeout_ms) {
  auto results = Pipeline({args}, timeout_ms);
  if (!results.ok()) return results.status();
  return std::move(results->front());
}

absl::StatusOr<std::vector<RedisReply>> RedisPool::Pipeline(const std::vector<RedisArgs>& commands,
                                                           int timeout_ms) {
  auto each = PipelineEach(commands, timeout_ms);
  if (!each.ok()) return each.status();
  std::vector<RedisReply> replies;
  replies.reserve(each->size());
  for (auto& r : *each) {
    if (!r.ok()) return r.status();
    replies.push_back(std::move(*r));
  }
  return replies;
}

absl::StatusOr<std::vector<absl::StatusOr<RedisReply>>> RedisPool::PipelineEach(const std::vector<RedisArgs>& commands,
                                                                               int timeout_ms) {
  auto start = std::chrono::steady_clock::now();
  auto conn_or = Acquire();
  if (!conn_or.ok()) return conn_or.status();
  auto conn = std::move(*conn_or);
  redisContext* ctx = conn->ctx;
  if (timeout_ms > 0) redisSetTimeout(ctx, ToTimeval(timeout_ms));
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  for (const auto& args : commands) {
    argv.clear();
    lens.clear();
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    if (redisAppendCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lens.data()) != REDIS_OK) {
      auto s = ContextError(ctx, "write");
      Release(std::move(conn), false);
      return s;
    }
  }
  std::vector<absl::StatusOr<RedisReply>> replies;
  replies.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx, &raw) != REDIS_OK || raw == nullptr) {
      // Sent but unanswered: the commands may or may not have run.
      auto s = ContextError(ctx, "read (outcome unknown)");
      Release(std::move(conn), false);
      return s;
    }
    auto* r = static_cast<redisReply*>(raw);
    if (r->type == REDIS_REPLY_ERROR) {
      replies.emplace_back(ErrorReply(r));
      freeReplyObject(r);
    } else {
      replies.emplace_back(RedisReply(r));
    }
  }
  if (timeout_ms > 0) redisSetTimeout(ctx, ToTimeval(options_.command_timeout_ms));
  Release(std::move(conn), true);
  ObserveLatency(commands.size() == 1 ? CommandName(commands.front()) : "PIPELINE", start);
  return replies;
}

absl::StatusOr<RedisReply> RedisPool::Eval(const LuaScript& script, const std::vector<std::string>& keys,
                                           const std::vector<std::string>& args) {
  RedisArgs cmd;
  cmd.reserve(3 + keys.size() + args.size());
  cmd.push_back("EVALSHA");
  cmd.push_back(script.sha());
  cmd.push_back(std::to_string(keys.size()));
  cmd.insert(cmd.end(), keys.begin(), keys.end());
  cmd.insert(cmd.end(), args.begin(), args.end());
  auto r = Command(cmd);
  if (r.ok() || !absl::StrContains(r.status().message(), "NOSCRIPT")) return r;
  // The server restarted or SCRIPT FLUSH ran: EVAL sends the source and caches it again.
  cmd[0] = "EVAL";
  cmd[1] = script.source();
  return Command(cmd);
}

absl::Status RedisPool::Ping() {
  auto r = Command({"PING"});
  if (!r.ok()) return r.status();
  if (r->str() != "PONG") return absl::UnavailableError(absl::StrCat("unexpected PING reply: ", AbslView(r->str())));
  return absl::OkStatus();
}

absl::StatusOr<int64_t> StoredInt(std::string_view text) {
  int64_t out = 0;
  if (!absl::SimpleAtoi(AbslView(text), &out))
    return absl::DataLossError(absl::StrCat("stored value '", AbslView(text.substr(0, 40)), "' is not an integer"));
  return out;
}

absl::StatusOr<int64_t> StoredInt(const RedisReply::View& reply, int64_t if_nil) {
  if (reply.is_nil()) return if_nil;
  if (reply.is_integer()) return static_cast<int64_t>(reply.integer());
  return StoredInt(reply.str());
}

}  // namespace pmo
