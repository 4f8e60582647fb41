// Service configuration: every setting comes from a PMO_* environment variable and a
// command-line flag of the same meaning (--grpc-port ↔ PMO_GRPC_PORT); flags win.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"

namespace CLI {
class App;
}

namespace pmo {

struct ServiceConfig {
  std::string service_name;                              // e.g. "pmo-intake"
  int grpc_port = 0;                                     // PMO_GRPC_PORT (0 = any free port)
  int metrics_port = 0;                                  // PMO_METRICS_PORT
  int http_port = 0;                                     // PMO_HTTP_PORT (reporting)
  std::string grpc_host = "0.0.0.0";                     // PMO_GRPC_HOST
  std::string redis_url = "redis://127.0.0.1:6379/0";    // PMO_REDIS_URL
  std::string kafka_brokers = "127.0.0.1:9092";          // PMO_KAFKA_BROKERS
  int kafka_linger_ms = 5;                               // PMO_KAFKA_LINGER_MS (producer batching wait)
  std::string log_level = "info";                        // PMO_LOG_LEVEL
  std::string consumer_group;                            // PMO_CONSUMER_GROUP (default: service name)
  int shutdown_timeout_ms = 10000;                       // PMO_SHUTDOWN_TIMEOUT_MS
  int grpc_max_message_bytes = 4 * 1024 * 1024;          // PMO_GRPC_MAX_MESSAGE_BYTES
  int health_interval_ms = 1000;                         // PMO_HEALTH_INTERVAL_MS
  int redis_pool_size = 16;                              // PMO_REDIS_POOL_SIZE
  int outbox_lease_ms = 10000;                           // PMO_OUTBOX_LEASE_MS
  std::string relay_name;                                // PMO_RELAY_NAME (default: host name)
};

// Registers the common options on `app`, bound to `cfg`, each with its PMO_* env var.
void AddCommonOptions(CLI::App& app, ServiceConfig& cfg);

// Parses flags and environment into a copy of `defaults`. `extra` may register
// service-specific options on the same app. Invalid values answer INVALID_ARGUMENT
// listing every problem; --help answers CANCELLED with the help text as message.
absl::StatusOr<ServiceConfig> LoadConfig(int argc, const char* const* argv, ServiceConfig defaults,
                                         const std::function<void(CLI::App&)>& extra = {});

// Checks ranges and formats of a config; lists every problem.
absl::Status ValidateConfig(const ServiceConfig& cfg);

}  // namespace pmo
