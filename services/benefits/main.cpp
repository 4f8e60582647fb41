// pmo-benefits: the use cases, the gRPC service, the Kafka consumer (measurement ingest
// and intake's events) and the STALE sweep.
#include <CLI/CLI.hpp>

#include <chrono>

#include "services/benefits/consumers/event_handlers.h"
#include "services/benefits/api/grpc_service.h"
#include "services/benefits/app/benefits_app.h"
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
  pmo::benefits::app::BenefitsApp app(host.redis(), host.outbox(), &host.metrics(), options);
  pmo::benefits::adapters::BenefitsGrpcService service(app);
  host.AddService(&service);
  main.Consume(pmo::benefits::adapters::ConsumedTopics(),
               [&app](const pmo::KafkaMessage& m) { return pmo::benefits::adapters::HandleRecord(app, m); });
  host.AddWorker(std::make_unique<pmo::PeriodicWorker>("benefits-stale-sweep",
                                                      std::chrono::milliseconds(sweep_interval_ms),
                                                      [&app] { return app.ReviewDue().status(); }));
  return main.Run();
}
