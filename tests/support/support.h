// Test support for the suite's integration tests: child processes, a private
// redis-server, a pmo-devbroker, condition waits with deadlines, a Kafka topic reader,
// running kcat, and status matchers. Fixtures tear everything down even when a test fails.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/common/kafka.h"
#include "pmo/common/redis.h"
#include "pmo/events/v1/envelope.pb.h"
#include "pmo/testing/status_matchers.h"

namespace pmo::testing {

using namespace std::chrono_literals;

// Waits until `condition` holds, checking every `step`; false when `timeout` passed.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
             std::chrono::milliseconds step = 10ms);

int FreePort();

// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A child process with stdout+stderr in a log file and an optional stdin pipe.
class Process {
 public:
  struct Options {
    std::vector<std::string> argv;
    std::map<std::string, std::string> env;  // added to (or replacing in) the parent's
    std::filesystem::path log;
    bool stdin_pipe = false;
  };
  explicit Process(Options options);
  ~Process();  // SIGKILL if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void Signal(int sig);
  // The exit code (or 128+signal), or nothing if it is still running after `timeout`.
  std::optional<int> WaitExit(std::chrono::milliseconds timeout);
  void WriteLine(const std::string& line);
  std::string Log() const;
  const std::filesystem::path& log_path() const { return options_.log; }

 private:
  Options options_;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  std::optional<int> exit_code_;
};

// A private redis-server: temp dir, free port, AOF on (appendfsync as given).
class RedisServer {
 public:
  explicit RedisServer(std::string appendfsync = "everysec");
  ~RedisServer();
  void Start();                 // (re)starts on the same port and dir
  void Stop();                  // SHUTDOWN-free hard stop (SIGKILL) — a crash
  int port() const { return port_; }
  std::string url(int db = 0) const;
  // Runs redis-cli-like commands through a short-lived pool.
  absl::StatusOr<std::string> Cmd(const std::vector<std::string>& args);

 private:
  TempDir dir_;
  int port_;
  std::string appendfsync_;
  std::unique_ptr<Process> proc_;
  int starts_ = 0;
};

// A pmo-devbroker child process.
class DevBroker {
 public:
  explicit DevBroker(int brokers = 3, int partitions = 3, std::vector<std::string> extra_topics = {});
  ~DevBroker();
  const std::string& bootstrap() const { return bootstrap_; }
  // Sends a control line ("down 1") and waits for its answer; returns the answer.
  std::string Control(const std::string& command);

 private:
  TempDir dir_;
  std::unique_ptr<Process> proc_;
  std::string bootstrap_;
  int answers_ = 0;
};

// Reads a topic from the beginning (all partitions, no consumer group) with librdkafka:
// at least `at_least` records and on to the end of every partition, or until `timeout`.
std::vector<KafkaMessage> ReadTopic(const std::string& brokers, const std::string& topic, size_t at_least,
                                    std::chrono::milliseconds timeout);

struct CommandResult {
  int exit_code;
  std::string output;
};
CommandResult Run(const std::string& shell_command);

// A pmo-testsvc (or any service binary) started against the given Redis and broker,
// whose ports are read from its "listening grpc=N metrics=M" line.
class ServiceProcess {
 public:
  ServiceProcess(const std::string& binary, const std::string& redis_url, const std::string& brokers,
                 std::map<std::string, std::string> env = {}, std::filesystem::path log = {});
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_port_; }
  Process& process() { return *proc_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(grpc_port_); }

 private:
  TempDir dir_;
  std::unique_ptr<Process> proc_;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
};

// ---- matchers (absl ones in status_matchers.h) ----------------------------------

MATCHER_P2(GrpcStatusIs, code, message_matcher, "") {
  *result_listener << "grpc status " << arg.error_code() << ": " << arg.error_message();
  return arg.error_code() == code && ::testing::ExplainMatchResult(message_matcher, arg.error_message(), result_listener);
}

// ---- use cases in-process ----------------------------------------------------------

// A Redis pool on a private redis-server's database `db`, for tests that run a
// service's use cases in-process against the real server.
std::unique_ptr<RedisPool> PoolOn(const RedisServer& redis, int db = 0, int pool_size = 4);

// An entry of an outbox stream, decoded.
struct OutboxedEvent {
  std::string topic;
  std::string key;
  events::v1::Envelope envelope;
};

// Every entry of the outbox `stream`, oldest first. No relay runs in a use-case test, so
// the stream holds every event written.
absl::StatusOr<std::vector<OutboxedEvent>> ReadOutbox(RedisPool& pool, const std::string& stream);

}  // namespace pmo::testing
