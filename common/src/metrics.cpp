#include "pmo/common/metrics.h"

#include <prometheus/exposer.h>
#include <prometheus/text_serializer.h>

#include <sstream>

namespace pmo {
namespace {
template <typename Builder>
auto& Register(Builder&& b, prometheus::Registry& r, const std::string& service) {
  return b.Labels({{"service", service}}).Register(r);
}
}  // namespace

const prometheus::Histogram::BucketBoundaries& Metrics::LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries b = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                             0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5,
                                                             5,      10};
  return b;
}

Metrics::Metrics(std::string service)
    : service_(std::move(service)),
      registry_(std::make_shared<prometheus::Registry>()),
      grpc_handled(Register(prometheus::BuildCounter().Name("grpc_server_handled_total")
                                .Help("RPCs completed on the server, by method and status code"),
                            *registry_, service_)),
      grpc_seconds(Register(prometheus::BuildHistogram().Name("grpc_server_handling_seconds")
                                .Help("Time to handle an RPC, by method and status code"),
                            *registry_, service_)),
      events_published(Register(prometheus::BuildCounter().Name("pmo_events_published_total")
                                    .Help("Events acknowledged by Kafka, by topic"),
                                *registry_, service_)),
      publish_errors(Register(prometheus::BuildCounter().Name("pmo_event_publish_errors_total")
                                  .Help("Failed deliveries to Kafka (retried from the outbox), by topic"),
                              *registry_, service_)),
      events_consumed(Register(prometheus::BuildCounter().Name("pmo_events_consumed_total")
                                   .Help("Records consumed, by topic and result (applied, retried, dead_lettered)"),
                               *registry_, service_)),
      events_dead_lettered(Register(prometheus::BuildCounter().Name("pmo_events_dead_lettered_total")
                                        .Help("Records sent to the dead-letter topic, by source topic"),
                                    *registry_, service_)),
      events_ignored(Register(prometheus::BuildCounter().Name("pmo_events_ignored_total")
                                  .Help("Events consumed that no handler of this service wants, by topic and type"),
                              *registry_, service_)),
      outbox_backlog(Register(prometheus::BuildGauge().Name("pmo_outbox_backlog")
                                  .Help("Events written to the outbox and not yet acknowledged by Kafka"),
                              *registry_, service_)),
      consumer_lag(Register(prometheus::BuildGauge().Name("pmo_consumer_lag")
                                .Help("Records behind the partition's high watermark"),
                            *registry_, service_)),
      event_age_seconds(Register(prometheus::BuildHistogram().Name("pmo_event_age_seconds")
                                     .Help("Time from an event's occurrence to its consumption"),
                                 *registry_, service_)),
      redis_seconds(Register(prometheus::BuildHistogram().Name("pmo_redis_call_seconds")
                                 .Help("Redis round-trip latency, by command"),
                             *registry_, service_)),
      redis_errors(Register(prometheus::BuildCounter().Name("pmo_redis_errors_total")
                                .Help("Redis connection and command failures, by kind"),
                            *registry_, service_)),
      dependency_up(Register(prometheus::BuildGauge().Name("pmo_dependency_up")
                                 .Help("1 when the dependency answered the last health check"),
                             *registry_, service_)) {}

Metrics::~Metrics() = default;

absl::Status Metrics::Expose(const std::string& host, int port) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(host + ":" + std::to_string(port));
  } catch (const std::exception& e) {
    return absl::UnavailableError("cannot serve metrics on " + host + ":" + std::to_string(port) + ": " + e.what());
  }
  exposer_->RegisterCollectable(registry_);
  auto ports = exposer_->GetListeningPorts();
  port_ = ports.empty() ? port : ports.front();
  return absl::OkStatus();
}

std::string Metrics::Scrape() const {
  prometheus::TextSerializer serializer;
  std::ostringstream out;
  serializer.Serialize(out, registry_->Collect());
  return out.str();
}

}  // namespace pmo
