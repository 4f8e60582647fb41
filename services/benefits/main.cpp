// pmo-benefits: wires config, the service host, the use cases, the gRPC service, the
// Kafka consumer (measurement ingest and intake's events) and the STALE sweep.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "adapters/event_handlers.h"
#include "adapters/grpc_service.h"
#include "app/benefits_app.h"
#include "pmo/common/log.h"
#include "pmo/common/periodic_worker.h"
#include "pmo/common/service_host.h"

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-benefits";
  defaults.grpc_port = 7104;
  defaults.metrics_port = 9104;
  pmo::benefits::app::BenefitsOptions options;
  int sweep_interval_ms = 60'000;
  auto cfg = pmo::LoadConfig(argc, argv, defaults, [&](CLI::App& app) {
    app.add_option("--stale-after-days", options.stale_after_days,
                   "a delivered benefit with no measurement for more than this many days is STALE")
        ->envname("PMO_STALE_AFTER_DAYS")
        ->check(CLI::Range(1, 3660))
        ->capture_default_str();
    app.add_option("--stale-sweep-interval-ms", sweep_interval_ms, "how often the STALE sweep runs")
        ->envname("PMO_STALE_SWEEP_INTERVAL_MS")
        ->check(CLI::Range(10, 86'400'000))
        ->capture_default_str();
  });
  if (!cfg.ok()) {
    std::fprintf(stderr, "%s\n", std::string(cfg.status().message()).c_str());
    return cfg.status().code() == absl::StatusCode::kCancelled ? 0 : 2;
  }
  pmo::ServiceHost host(*cfg);
  if (auto s = host.Init(); !s.ok()) {
    std::fprintf(stderr, "pmo-benefits: %s\n", s.ToString().c_str());
    return 1;
  }
  pmo::benefits::app::BenefitsApp app(host.redis(), host.outbox(), &host.metrics(), options);
  pmo::benefits::adapters::BenefitsGrpcService service(app);
  host.AddService(&service);

  pmo::ConsumerOptions co;
  co.brokers = cfg->kafka_brokers;
  co.group_id = host.config().consumer_group;
  co.client_id = cfg->service_name;
  co.topics = pmo::benefits::adapters::ConsumedTopics();
  co.metrics = &host.metrics();
  auto consumer = pmo::Consumer::Create(
      co, [&app](const pmo::KafkaMessage& m) { return pmo::benefits::adapters::HandleRecord(app, m); },
      &host.producer());
  if (!consumer.ok()) {
    pmo::log::Error("cannot create consumer", {{"reason", consumer.status().ToString()}});
    return 1;
  }
  host.AddWorker(std::move(*consumer));
  host.AddWorker(std::make_unique<pmo::PeriodicWorker>("benefits-stale-sweep",
                                                      std::chrono::milliseconds(sweep_interval_ms),
                                                      [&app] { return app.ReviewDue().status(); }));

  if (auto s = host.Start(); !s.ok()) {
    pmo::log::Error("start failed", {{"reason", s.ToString()}});
    return 1;
  }
  std::printf("listening grpc=%d metrics=%d\n", host.grpc_port(), host.metrics_port());
  std::fflush(stdout);
  return host.Wait();
}
