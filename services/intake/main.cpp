// pmo-intake: the use cases over the Redis store, the gRPC service, the Kafka consumer
// (progress ingest, okr's, benefits' and reporting's events) and the gauge refresher.
#include "pmo/common/event_router.h"
#include "pmo/common/periodic_worker.h"
#include "pmo/common/service_main.h"
#include "services/intake/api/grpc_service.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/consumers/event_handlers.h"
#include "services/intake/store/redis_store.h"

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-intake";
  defaults.grpc_port = 7101;
  defaults.metrics_port = 9101;
  pmo::ServiceMain main(argc, argv, defaults);
  if (!main.ok()) return main.exit_code();
  auto& host = main.host();
  pmo::intake::store::RedisIntakeStore store(host.redis(), host.outbox());
  pmo::intake::app::IntakeApp app(store, &host.metrics());
  pmo::intake::api::IntakeGrpcService service(app);
  host.AddService(&service);
  pmo::EventRouter router(&host.metrics());
  pmo::intake::consumers::RegisterHandlers(router, app);
  main.Consume(router.Topics(), router.AsConsumerHandler());
  host.AddWorker(std::make_unique<pmo::PeriodicWorker>("intake-gauges", std::chrono::seconds(5),
                                                      [&app] { return app.RefreshGauges(); }));
  return main.Run();
}
