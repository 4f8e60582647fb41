// pmo-okr: the store, the use cases, the gRPC service, the Kafka handlers (check-in
// ingest and intake's events) and the gauge refresher, wired onto the service host.
#include "pmo/common/event_router.h"
#include "pmo/common/periodic_worker.h"
#include "pmo/common/service_main.h"
#include "services/okr/api/grpc_service.h"
#include "services/okr/app/okr_app.h"
#include "services/okr/consumers/event_handlers.h"
#include "services/okr/store/okr_store.h"

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-okr";
  defaults.grpc_port = 7103;
  defaults.metrics_port = 9103;
  pmo::ServiceMain main(argc, argv, defaults);
  if (!main.ok()) return main.exit_code();
  auto& host = main.host();
  pmo::okr::store::OkrStore store(host.redis(), host.outbox());
  pmo::okr::app::OkrApp app(store, &host.metrics());
  pmo::okr::api::OkrGrpcService service(app);
  host.AddService(&service);
  pmo::EventRouter router(&host.metrics());  // outlives the host's run
  pmo::okr::consumers::RegisterHandlers(router, app);
  main.Consume(router.Topics(), router.AsConsumerHandler());
  host.AddWorker(std::make_unique<pmo::PeriodicWorker>("okr-gauges", std::chrono::seconds(5),
                                                      [&app] { return app.RefreshGauges(); }));
  return main.Run();
}
