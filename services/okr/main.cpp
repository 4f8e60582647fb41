// pmo-okr: the use cases, the gRPC service, the Kafka consumer (check-in ingest and
// intake's events) and the gauge refresher.
#include "services/okr/consumers/event_handlers.h"
#include "services/okr/api/grpc_service.h"
#include "services/okr/app/okr_app.h"
#include "pmo/common/periodic_worker.h"
#include "pmo/common/service_main.h"

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-okr";
  defaults.grpc_port = 7103;
  defaults.metrics_port = 9103;
  pmo::ServiceMain main(argc, argv, defaults);
  if (!main.ok()) return main.exit_code();
  auto& host = main.host();
  pmo::okr::app::OkrApp app(host.redis(), host.outbox(), &host.metrics());
  pmo::okr::adapters::OkrGrpcService service(app);
  host.AddService(&service);
  main.Consume(pmo::okr::adapters::ConsumedTopics(),
               [&app](const pmo::KafkaMessage& m) { return pmo::okr::adapters::HandleRecord(app, m); });
  host.AddWorker(std::make_unique<pmo::PeriodicWorker>("okr-gauges", std::chrono::seconds(5),
                                                      [&app] { return app.RefreshGauges(); }));
  return main.Run();
}
