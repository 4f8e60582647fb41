// pmo-scoring: the store, the use cases, the gRPC service, the Kafka consumer (intake's,
// okr's and benefits' events) and the worker that finishes pending re-scores.
#include "services/scoring/api/grpc_service.h"
#include "services/scoring/app/rescore_worker.h"
#include "services/scoring/app/scoring_app.h"
#include "services/scoring/consumers/event_handlers.h"
#include "services/scoring/store/redis_store.h"
#include "pmo/common/event_router.h"
#include "pmo/common/service_main.h"

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-scoring";
  defaults.grpc_port = 7102;
  defaults.metrics_port = 9102;
  pmo::ServiceMain main(argc, argv, defaults);
  if (!main.ok()) return main.exit_code();
  auto& host = main.host();
  pmo::scoring::store::RedisScoringStore store(host.redis(), host.outbox());
  pmo::scoring::app::ScoringApp app(store, &host.metrics());
  pmo::scoring::api::ScoringGrpcService service(app);
  host.AddService(&service);
  pmo::EventRouter router(&host.metrics());  // outlives the consumer: declared before Run
  pmo::scoring::consumers::RegisterHandlers(router, app);
  main.Consume(router.Topics(), router.AsConsumerHandler());
  host.AddWorker(pmo::scoring::app::NewPendingRescoreWorker(app.rescoring));
  return main.Run();
}
