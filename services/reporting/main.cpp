// pmo-reporting: the projection consumer over every service's events, the gRPC service
// and the HTTP side (dashboard page, JSON, CSV, server-sent events).
#include <CLI/CLI.hpp>

#include <cstdlib>

#include "services/reporting/api/grpc_service.h"
#include "services/reporting/api/http_server.h"
#include "services/reporting/app/reporting_app.h"
#include "services/reporting/consumers/event_handlers.h"
#include "pmo/common/event_router.h"
#include "pmo/common/log.h"
#include "pmo/common/service_main.h"

#ifndef PMO_REPORTING_WEB_DIR
#define PMO_REPORTING_WEB_DIR ""
#endif

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-reporting";
  defaults.grpc_port = 7105;
  defaults.metrics_port = 9105;
  defaults.http_port = 8080;
  std::string web_dir = PMO_REPORTING_WEB_DIR;
  pmo::ServiceMain main(argc, argv, defaults, [&](CLI::App& app) {
    app.add_option("--web-dir", web_dir, "the built dashboard page (index.html and its assets)")
        ->envname("PMO_WEB_DIR")
        ->capture_default_str();
  });
  if (!main.ok()) return main.exit_code();
  auto& host = main.host();
  pmo::reporting::app::ReportingApp app(host.redis(), host.outbox(), &host.metrics());
  pmo::reporting::api::ReportingGrpcService service(app);
  host.AddService(&service);

  auto http = std::make_unique<pmo::reporting::api::HttpServer>(app, main.config().grpc_host,
                                                                main.config().http_port, web_dir);
  if (auto s = http->Bind(); !s.ok()) {
    pmo::log::Error("http bind failed", {{"reason", s.ToString()}});
    return 1;
  }
  int http_port = http->port();
  pmo::EventRouter router(&host.metrics());  // outlives the host's run
  pmo::reporting::consumers::RegisterProjection(router, app.projection());
  main.Consume(router.Topics(), router.AsConsumerHandler());
  host.AddWorker(std::move(http));
  return main.Run(" http=" + std::to_string(http_port));
}
