// Prometheus metrics every service exposes on its metrics port: gRPC handling, events
// published/consumed/dead-lettered, outbox backlog, consumer lag, event age, Redis
// latency, dependency health. Services add their business gauges to registry().
#pragma once

#include <memory>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "absl/status/status.h"

namespace prometheus {
class Exposer;
}

namespace pmo {

class Metrics {
  // Declared first: the metric families below are built from them.
  std::string service_;
  std::shared_ptr<prometheus::Registry> registry_;

 public:
  explicit Metrics(std::string service);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Serves /metrics on host:port (port 0 picks a free one; see port()).
  absl::Status Expose(const std::string& host, int port);
  int port() const { return port_; }

  prometheus::Registry& registry() { return *registry_; }
  std::shared_ptr<prometheus::Registry> shared_registry() { return registry_; }
  const std::string& service() const { return service_; }

  // Text exposition of everything registered (for tests and debugging).
  std::string Scrape() const;

  prometheus::Family<prometheus::Counter>& grpc_handled;         // grpc_service, grpc_method, grpc_code
  prometheus::Family<prometheus::Histogram>& grpc_seconds;       // grpc_service, grpc_method, grpc_code
  prometheus::Family<prometheus::Counter>& events_published;     // topic
  prometheus::Family<prometheus::Counter>& publish_errors;       // topic
  prometheus::Family<prometheus::Counter>& events_consumed;      // topic, result
  prometheus::Family<prometheus::Counter>& events_dead_lettered; // topic
  prometheus::Family<prometheus::Counter>& events_ignored;       // topic, type
  prometheus::Family<prometheus::Gauge>& outbox_backlog;         // stream
  prometheus::Family<prometheus::Gauge>& consumer_lag;           // topic, partition
  prometheus::Family<prometheus::Histogram>& event_age_seconds;  // topic
  prometheus::Family<prometheus::Histogram>& redis_seconds;      // command
  prometheus::Family<prometheus::Counter>& redis_errors;         // kind
  prometheus::Family<prometheus::Gauge>& dependency_up;          // dependency

  static const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

 private:
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace pmo
