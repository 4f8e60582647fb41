// pmo-scoring: wires config, the service host, the use cases, the gRPC service and the
// Kafka consumer of intake's events.
#include <cstdio>

#include "adapters/grpc_service.h"
#include "app/scoring_app.h"
#include "pmo/common/log.h"
#include "pmo/common/periodic_worker.h"
#include "pmo/common/service_host.h"


int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-scoring";
  defaults.grpc_port = 7102;
  defaults.metrics_port = 9102;
  auto cfg = pmo::LoadConfig(argc, argv, defaults);
  if (!cfg.ok()) {
    std::fprintf(stderr, "%s\n", std::string(cfg.status().message()).c_str());
    return cfg.status().code() == absl::StatusCode::kCancelled ? 0 : 2;
  }
  pmo::ServiceHost host(*cfg);
  if (auto s = host.Init(); !s.ok()) {
    std::fprintf(stderr, "pmo-scoring: %s\n", s.ToString().c_str());
    return 1;
  }
  pmo::scoring::app::ScoringApp app(host.redis(), host.outbox(), &host.metrics());
  pmo::scoring::adapters::ScoringGrpcService service(app);
  host.AddService(&service);
  pmo::ConsumerOptions co;
  co.brokers = cfg->kafka_brokers;
  co.group_id = host.config().consumer_group;
  co.client_id = cfg->service_name;
  co.topics = pmo::scoring::adapters::ConsumedTopics();
  co.metrics = &host.metrics();
  auto consumer = pmo::Consumer::Create(
      co, [&app](const pmo::KafkaMessage& m) { return pmo::scoring::adapters::HandleRecord(app, m); },
      &host.producer());
  if (!consumer.ok()) {
    pmo::log::Error("cannot create consumer", {{"reason", consumer.status().ToString()}});
    return 1;
  }
  host.AddWorker(std::move(*consumer));
  // Re-scores portfolios whose model or objective priorities changed and whose re-score
  // has not completed yet (the mark is written with the change itself).
  host.AddWorker(std::make_unique<pmo::PeriodicWorker>("scoring-rescore", std::chrono::seconds(2),
                                                      [&app] { return app.DrainPendingRescores(); }));
  if (auto s = host.Start(); !s.ok()) {
    pmo::log::Error("start failed", {{"reason", s.ToString()}});
    return 1;
  }
  std::printf("listening grpc=%d metrics=%d\n", host.grpc_port(), host.metrics_port());
  std::fflush(stdout);
  return host.Wait();
}
