// The process shell every service runs in: config, JSON logs, /metrics, a Redis pool, an
// idempotent Kafka producer, the outbox and its relay, a gRPC server with the standard
// health service (SERVING only while Redis and Kafka answer), reflection, a metrics and
// correlation-id interceptor, a max message size, and bounded graceful shutdown on
// SIGTERM/SIGINT: stop accepting, drain calls, stop workers (consumers commit their
// offsets), flush the producer, exit 0.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/server_context.h>

#include "absl/status/status.h"
#include "pmo/common/call_context.h"
#include "pmo/common/config.h"
#include "pmo/common/health.h"
#include "pmo/common/kafka.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/common/worker.h"

namespace pmo {

inline constexpr std::string_view kCorrelationHeader = "x-correlation-id";

// Thread settings every gRPC server of the suite uses (and the benchmarks' baselines,
// so they compare like with like). gRPC's synchronous server otherwise creates and
// destroys a thread per burst of calls, which costs more than the calls themselves.
void TuneServerBuilder(grpc::ServerBuilder& builder);

// Process-wide settings of every service (and of the benchmarks' baselines). Debian's
// abseil is built with its debug checks on, so every absl::Mutex that gRPC creates,
// locks or destroys also updates a global lock-order graph under one global lock
// (about 40 ns and a point of contention each time); deadlock detection is for
// debugging and is switched off. Call once, before any thread starts.
void TuneProcess();

// The call context of a gRPC call (correlation id as below; it also tags this thread's
// log lines until the next call).
CallContext ContextOf(const grpc::ServerContextBase& context);

// The correlation id of a call: the client's x-correlation-id, or the one the host's
// interceptor assigned (it is also echoed to the client in the initial metadata).
std::string CorrelationId(const grpc::ServerContextBase& context);

class ServiceHost {
 public:
  // Blocks SIGTERM and SIGINT for this thread and every thread started after it, so
  // Wait() receives them; construct it first thing in main().
  explicit ServiceHost(ServiceConfig config);
  ~ServiceHost();
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  // Starts logging and metrics, creates the Redis pool and the Kafka producer. Neither
  // Redis nor Kafka has to be reachable yet: health reports them until they are.
  absl::Status Init();

  const ServiceConfig& config() const { return config_; }
  Metrics& metrics() { return *metrics_; }
  RedisPool& redis() { return *redis_; }
  Producer& producer() { return *producer_; }
  // This service's outbox (stream "pmo:<service>:outbox"), published by the relay.
  Outbox& outbox() { return *outbox_; }

  void AddService(grpc::Service* service);  // not owned; must outlive the host
  void AddWorker(std::unique_ptr<Worker> worker);

  // Binds the gRPC server, starts the relay, the workers and the health checks.
  absl::Status Start();
  int grpc_port() const { return grpc_port_; }
  int metrics_port() const { return metrics_->port(); }

  // Blocks until SIGTERM/SIGINT or RequestShutdown(), shuts down gracefully, returns
  // the process exit code (0 when everything stopped within the bound).
  int Wait();
  void RequestShutdown() { shutdown_requested_ = true; }

  bool serving() const { return serving_.load(); }

 private:
  void HealthLoop();
  void SetServing(bool serving);
  int Shutdown();

  ServiceConfig config_;
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<RedisPool> redis_;
  std::unique_ptr<Producer> producer_;
  std::unique_ptr<Outbox> outbox_;
  std::vector<grpc::Service*> services_;
  std::vector<std::unique_ptr<Worker>> workers_;
  HealthService health_service_;
  std::unique_ptr<grpc::Server> server_;
  int grpc_port_ = 0;
  std::atomic<int> in_flight_{0};  // gRPC calls being handled, counted by the interceptor
  std::atomic<bool> shutdown_requested_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> serving_{false};
  std::thread health_;
  std::mutex health_mu_;
  std::condition_variable health_cv_;
};

}  // namespace pmo
