// pmo-benefits: the use cases, the gRPC service, the Kafka consumer (measurement ingest
// and intake's events) and the STALE sweep.
#include <CLI/CLI.hpp>

#include <chrono>

#include "services/benefits/consumers/event_handlers.h"
#include "services/benefits/api/grpc_service.h"
#include "services/benefits/app/benefits_app.h"
#include "services/benefits/store/redis_store.h"
#include "pmo/common/event_router.h"
#include "pmo/common/periodic_worker.h"
#include "pmo/common/service_main.h"

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-benefits";
  defaults.grpc_port = 7104;
  defaults.metrics_port = 9104;
  pmo::benefits::app::BenefitsOptions options;
  int sweep_interval_ms = 60'000;
  pmo::ServiceMain main(argc, argv, defaults, [&](CLI::App& app) {
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
  if (!main.ok()) return main.exit_code();
  auto& host = main.host();
  pmo::benefits::store::RedisBenefitsStore store(host.redis(), host.outbox());
  pmo::benefits::app::BenefitsApp app(store, &host.metrics(), options);
  pmo::benefits::api::BenefitsGrpcService service(app);
  host.AddService(&service);
  pmo::EventRouter router(&host.metrics());  // outlives the host's run
  pmo::benefits::consumers::RegisterHandlers(router, app);
  main.Consume(router.Topics(), router.AsConsumerHandler());
  host.AddWorker(std::make_unique<pmo::PeriodicWorker>("benefits-stale-sweep",
                                                      std::chrono::milliseconds(sweep_interval_ms),
                                                      [&app] { return app.ReviewDue().status(); }));
  return main.Run();
}
