// pmo-scoring: the use cases, the gRPC service, the Kafka consumer (intake's, okr's and
// benefits' events) and the worker that finishes pending re-scores.
#include "services/scoring/api/grpc_service.h"
#include "services/scoring/app/scoring_app.h"
#include "pmo/common/periodic_worker.h"
#include "pmo/common/service_main.h"

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-scoring";
  defaults.grpc_port = 7102;
  defaults.metrics_port = 9102;
  pmo::ServiceMain main(argc, argv, defaults);
  if (!main.ok()) return main.exit_code();
  auto& host = main.host();
  pmo::scoring::app::ScoringApp app(host.redis(), host.outbox(), &host.metrics());
  pmo::scoring::adapters::ScoringGrpcService service(app);
  host.AddService(&service);
  main.Consume(pmo::scoring::adapters::ConsumedTopics(),
               [&app](const pmo::KafkaMessage& m) { return pmo::scoring::adapters::HandleRecord(app, m); });
  // Re-scores portfolios whose model or objective priorities changed and whose re-score
  // has not completed yet (the mark is written with the change itself).
  host.AddWorker(std::make_unique<pmo::PeriodicWorker>("scoring-rescore", std::chrono::seconds(2),
                                                      [&app] { return app.DrainPendingRescores(); }));
  return main.Run();
}
