#include "pmo/common/config.h"

#include <CLI/CLI.hpp>

#include "pmo/base/errors.h"
#include "pmo/common/redis.h"

namespace pmo {

void AddCommonOptions(CLI::App& app, ServiceConfig& cfg) {
  app.add_option("--grpc-port", cfg.grpc_port, "gRPC listen port (0 = any free port)")
      ->envname("PMO_GRPC_PORT")->capture_default_str();
  app.add_option("--grpc-host", cfg.grpc_host, "gRPC listen address")->envname("PMO_GRPC_HOST")->capture_default_str();
  app.add_option("--metrics-port", cfg.metrics_port, "Prometheus /metrics port (0 = any free port)")
      ->envname("PMO_METRICS_PORT")->capture_default_str();
  app.add_option("--http-port", cfg.http_port, "HTTP port (reporting dashboard)")
      ->envname("PMO_HTTP_PORT")->capture_default_str();
  app.add_option("--redis-url", cfg.redis_url, "redis://[:password@]host:port/db")
      ->envname("PMO_REDIS_URL")->capture_default_str();
  app.add_option("--kafka-brokers", cfg.kafka_brokers, "Kafka bootstrap list host:port[,host:port]")
      ->envname("PMO_KAFKA_BROKERS")->capture_default_str();
  app.add_option("--kafka-linger-ms", cfg.kafka_linger_ms,
                 "how long the producer waits to fill a batch (latency of every event vs. requests to Kafka)")
      ->envname("PMO_KAFKA_LINGER_MS")->capture_default_str();
  app.add_option("--log-level", cfg.log_level, "trace|debug|info|warn|error")
      ->envname("PMO_LOG_LEVEL")->capture_default_str();
  app.add_option("--consumer-group", cfg.consumer_group, "Kafka consumer group (default: service name)")
      ->envname("PMO_CONSUMER_GROUP");
  app.add_option("--shutdown-timeout-ms", cfg.shutdown_timeout_ms, "bound on graceful shutdown")
      ->envname("PMO_SHUTDOWN_TIMEOUT_MS")->capture_default_str();
  app.add_option("--grpc-max-message-bytes", cfg.grpc_max_message_bytes, "largest gRPC message accepted")
      ->envname("PMO_GRPC_MAX_MESSAGE_BYTES")->capture_default_str();
  app.add_option("--health-interval-ms", cfg.health_interval_ms, "dependency check interval")
      ->envname("PMO_HEALTH_INTERVAL_MS")->capture_default_str();
  app.add_option("--redis-pool-size", cfg.redis_pool_size, "Redis connections per process")
      ->envname("PMO_REDIS_POOL_SIZE")->capture_default_str();
  app.add_option("--outbox-lease-ms", cfg.outbox_lease_ms,
                 "one relay per outbox is active; a dead relay's lease expires after this")
      ->envname("PMO_OUTBOX_LEASE_MS")->capture_default_str();
  app.add_option("--relay-name", cfg.relay_name, "outbox relay identity (default: host name)")
      ->envname("PMO_RELAY_NAME");
}

absl::Status ValidateConfig(const ServiceConfig& cfg) {
  Violations v;
  auto port = [&](const char* name, int p) {
    if (p < 0 || p > 65535) v.Add(name, "must be a port number 0..65535, got " + std::to_string(p));
  };
  port("grpc_port", cfg.grpc_port);
  port("metrics_port", cfg.metrics_port);
  port("http_port", cfg.http_port);
  if (auto ep = ParseRedisUrl(cfg.redis_url); !ep.ok()) v.Add("redis_url", std::string(ep.status().message()));
  if (cfg.kafka_brokers.empty()) v.Add("kafka_brokers", "must name at least one host:port");
  if (cfg.kafka_linger_ms < 0 || cfg.kafka_linger_ms > 1000) v.Add("kafka_linger_ms", "must be 0..1000");
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (std::find(std::begin(kLevels), std::end(kLevels), cfg.log_level) == std::end(kLevels))
    v.Add("log_level", "must be one of trace, debug, info, warn, error, critical, off");
  if (cfg.shutdown_timeout_ms <= 0) v.Add("shutdown_timeout_ms", "must be positive");
  if (cfg.grpc_max_message_bytes < 1024) v.Add("grpc_max_message_bytes", "must be at least 1024");
  if (cfg.health_interval_ms <= 0) v.Add("health_interval_ms", "must be positive");
  if (cfg.redis_pool_size <= 0) v.Add("redis_pool_size", "must be positive");
  if (cfg.outbox_lease_ms < 100) v.Add("outbox_lease_ms", "must be at least 100");
  return v.ToStatus("invalid configuration");
}

absl::StatusOr<ServiceConfig> LoadConfig(int argc, const char* const* argv, ServiceConfig defaults,
                                         const std::function<void(CLI::App&)>& extra) {
  ServiceConfig cfg = std::move(defaults);
  CLI::App app{cfg.service_name + " — strategic PMO suite service"};
  AddCommonOptions(app, cfg);
  if (extra) extra(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return absl::CancelledError(app.help());
  } catch (const CLI::ParseError& e) {
    return absl::InvalidArgumentError(std::string("invalid command line: ") + e.what());
  }
  if (cfg.consumer_group.empty()) cfg.consumer_group = cfg.service_name;
  if (auto s = ValidateConfig(cfg); !s.ok()) return s;
  return cfg;
}

}  // namespace pmo
