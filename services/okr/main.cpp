// pmo-okr: wires config, the service host, the use cases, the gRPC service, the Kafka
// consumer (check-in ingest and intake's events) and the gauge refresher.
#include <cstdio>

#include "adapters/event_handlers.h"
#include "adapters/grpc_service.h"
#include "app/okr_app.h"
#include "pmo/common/log.h"
#include "pmo/common/periodic_worker.h"
#include "pmo/common/service_host.h"

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-okr";
  defaults.grpc_port = 7103;
  defaults.metrics_port = 9103;
  auto cfg = pmo::LoadConfig(argc, argv, defaults);
  if (!cfg.ok()) {
    std::fprintf(stderr, "%s\n", std::string(cfg.status().message()).c_str());
    return cfg.status().code() == absl::StatusCode::kCancelled ? 0 : 2;
  }
  pmo::ServiceHost host(*cfg);
  if (auto s = host.Init(); !s.ok()) {
    std::fprintf(stderr, "pmo-okr: %s\n", s.ToString().c_str());
    return 1;
  }
  pmo::okr::app::OkrApp app(host.redis(), host.outbox(), &host.metrics());
  pmo::okr::adapters::OkrGrpcService service(app);
  host.AddService(&service);

  pmo::ConsumerOptions co;
  co.brokers = cfg->kafka_brokers;
  co.group_id = host.config().consumer_group;
  co.client_id = cfg->service_name;
  co.topics = pmo::okr::adapters::ConsumedTopics();
  co.metrics = &host.metrics();
  auto consumer = pmo::Consumer::Create(
      co, [&app](const pmo::KafkaMessage& m) { return pmo::okr::adapters::HandleRecord(app, m); }, &host.producer());
  if (!consumer.ok()) {
    pmo::log::Error("cannot create consumer", {{"reason", consumer.status().ToString()}});
    return 1;
  }
  host.AddWorker(std::move(*consumer));
  host.AddWorker(std::make_unique<pmo::PeriodicWorker>("okr-gauges", std::chrono::seconds(5),
                                                      [&app] { return app.RefreshGauges(); }));

  if (auto s = host.Start(); !s.ok()) {
    pmo::log::Error("start failed", {{"reason", s.ToString()}});
    return 1;
  }
  std::printf("listening grpc=%d metrics=%d\n", host.grpc_port(), host.metrics_port());
  std::fflush(stdout);
  return host.Wait();
}
