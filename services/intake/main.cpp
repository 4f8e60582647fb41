// pmo-intake: the use cases, the gRPC service, the Kafka consumer (progress ingest,
// okr's, benefits' and reporting's events) and the gauge refresher.
#include "services/intake/consumers/event_handlers.h"
#include "services/intake/api/grpc_service.h"
#include "services/intake/app/intake_app.h"
#include "pmo/common/periodic_worker.h"
#include "pmo/common/service_main.h"

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-intake";
  defaults.grpc_port = 7101;
  defaults.metrics_port = 9101;
  pmo::ServiceMain main(argc, argv, defaults);
  if (!main.ok()) return main.exit_code();
  auto& host = main.host();
  pmo::intake::app::IntakeApp app(host.redis(), host.outbox(), &host.metrics());
  pmo::intake::adapters::IntakeGrpcService service(app);
  host.AddService(&service);
  main.Consume(pmo::intake::adapters::ConsumedTopics(),
               [&app](const pmo::KafkaMessage& m) { return pmo::intake::adapters::HandleRecord(app, m); });
  host.AddWorker(std::make_unique<pmo::PeriodicWorker>("intake-gauges", std::chrono::seconds(5),
                                                      [&app] { return app.RefreshGauges(); }));
  return main.Run();
}
