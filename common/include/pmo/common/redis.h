// Redis over hiredis: a pool of connections (a hiredis context is not thread-safe and
// an error on it is sticky, so a borrower owns one and a failed one is discarded),
// connect and command timeouts, reconnect with backoff, pipelines, and Lua scripts run
// by EVALSHA with a fallback to EVAL when the server does not know the script.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct redisContext;
struct redisReply;

namespace pmo {

class Metrics;

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string password;
};

// redis://[:password@]host[:port][/db]
absl::StatusOr<RedisEndpoint> ParseRedisUrl(std::string_view url);

// An owned reply. Error replies never reach callers as a RedisReply: they become a
// status (see RedisPool::Command).
class RedisReply {
 public:
  class View;
  RedisReply() = default;
  explicit RedisReply(redisReply* r);
  RedisReply(RedisReply&&) noexcept = default;
  RedisReply& operator=(RedisReply&&) noexcept = default;

  bool is_nil() const;
  bool is_string() const;  // bulk string or status
  bool is_integer() const;
  bool is_array() const;
  std::string_view str() const;
  long long integer() const;
  size_t size() const;  // array length
  // A non-owning view of an element of an array reply.
  RedisReply::View at(size_t i) const;

  class View {
   public:
    explicit View(const redisReply* r) : r_(r) {}
    bool is_nil() const;
    bool is_string() const;
    bool is_integer() const;
    bool is_array() const;
    std::string_view str() const;
    long long integer() const;
    size_t size() const;
    View at(size_t i) const;

   private:
    const redisReply* r_;
  };
  View view() const { return View(r_.get()); }

 private:
  struct Free {
    void operator()(redisReply* r) const;
  };
  std::unique_ptr<redisReply, Free> r_;
};

// An integer Redis holds (a version, a counter); nil reads as `if_nil`. DATA_LOSS when
// the stored text is not an integer, instead of an exception in a request handler.
absl::StatusOr<int64_t> StoredInt(const RedisReply::View& reply, int64_t if_nil = 0);
absl::StatusOr<int64_t> StoredInt(std::string_view text);

// A protobuf message Redis holds; DATA_LOSS naming `what` when the bytes do not decode.
template <typename T>
absl::StatusOr<T> ParseStored(std::string_view bytes, const std::string& what) {
  T out;
  if (!out.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return absl::DataLossError("stored " + what + " does not decode");
  return out;
}

// A Lua script known by its SHA1; the source is sent only when the server lacks it.
class LuaScript {
 public:
  explicit LuaScript(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha() const { return sha_; }

 private:
  std::string source_;
  std::string sha_;
};

using RedisArgs = std::vector<std::string>;

class RedisPool {
 public:
  struct Options {
    RedisEndpoint endpoint;
    int pool_size = 16;
    int connect_timeout_ms = 1000;
    int command_timeout_ms = 2000;
    int initial_backoff_ms = 50;
    int max_backoff_ms = 2000;
    Metrics* metrics = nullptr;  // optional
  };

  explicit RedisPool(Options options);
  ~RedisPool();
  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

  // Runs one command. Connection failures answer UNAVAILABLE (retryable; the
  // connection is dropped and re-made with backoff), and so do replies that say Redis
  // is temporarily unable (LOADING, BUSY, READONLY, MASTERDOWN, TRYAGAIN, OOM); any
  // other error reply answers INTERNAL with Redis's text (callers match NOSCRIPT,
  // BUSYGROUP and the like by text).
  // `timeout_ms` > 0 overrides the command timeout (blocking reads need longer).
  absl::StatusOr<RedisReply> Command(const RedisArgs& args, int timeout_ms = 0);

  // Sends every command in one round trip and returns the replies in order. If any
  // reply is an error the whole call answers that error (earlier commands did run).
  absl::StatusOr<std::vector<RedisReply>> Pipeline(const std::vector<RedisArgs>& commands, int timeout_ms = 0);

  // Like Pipeline, with one result per command: an error reply fails only its own
  // command. The outer status is a connection failure.
  absl::StatusOr<std::vector<absl::StatusOr<RedisReply>>> PipelineEach(const std::vector<RedisArgs>& commands,
                                                                      int timeout_ms = 0);

  // EVALSHA, falling back to EVAL (which also loads the script) on NOSCRIPT.
  absl::StatusOr<RedisReply> Eval(const LuaScript& script, const std::vector<std::string>& keys,
                                  const std::vector<std::string>& args);

  absl::Status Ping();

  const Options& options() const { return options_; }

 private:
  struct Conn;
  absl::StatusOr<std::unique_ptr<Conn>> Acquire();
  void Release(std::unique_ptr<Conn> conn, bool healthy);
  absl::StatusOr<std::unique_ptr<Conn>> Connect();
  void ObserveLatency(std::string_view command, std::chrono::steady_clock::time_point start);

  Options options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;  // connections handed out or idle
  // Bumped on every I/O failure: idle connections made before it are likely dead too
  // (Redis restarted), so they are dropped instead of failing one caller each.
  uint64_t generation_ = 0;
  // Reconnect backoff: while now < retry_at_, Acquire fails fast instead of hammering
  // a Redis that is down.
  std::chrono::steady_clock::time_point retry_at_{};
  int backoff_ms_ = 0;
};

}  // namespace pmo
