// pmo-reporting: wires config, the service host, the projection consumer over every
// service's events, the gRPC service and the HTTP side (dashboard page, JSON, SSE).
#include <cstdio>
#include <cstdlib>

#include "adapters/grpc_service.h"
#include "adapters/http_server.h"
#include "app/reporting_app.h"
#include "pmo/common/log.h"
#include "pmo/common/service_host.h"

#ifndef PMO_REPORTING_WEB_DIR
#define PMO_REPORTING_WEB_DIR ""
#endif

int main(int argc, char** argv) {
  pmo::ServiceConfig defaults;
  defaults.service_name = "pmo-reporting";
  defaults.grpc_port = 7105;
  defaults.metrics_port = 9105;
  defaults.http_port = 8080;
  auto cfg = pmo::LoadConfig(argc, argv, defaults);
  if (!cfg.ok()) {
    std::fprintf(stderr, "%s\n", std::string(cfg.status().message()).c_str());
    return cfg.status().code() == absl::StatusCode::kCancelled ? 0 : 2;
  }
  pmo::ServiceHost host(*cfg);
  if (auto s = host.Init(); !s.ok()) {
    std::fprintf(stderr, "pmo-reporting: %s\n", s.ToString().c_str());
    return 1;
  }
  pmo::reporting::app::ReportingApp app(host.redis(), host.outbox(), &host.metrics());
  pmo::reporting::adapters::ReportingGrpcService service(app);
  host.AddService(&service);

  const char* web_dir = std::getenv("PMO_WEB_DIR");
  auto http = std::make_unique<pmo::reporting::adapters::HttpServer>(
      app, cfg->grpc_host, cfg->http_port, web_dir && *web_dir ? web_dir : PMO_REPORTING_WEB_DIR);
  if (auto s = http->Bind(); !s.ok()) {
    pmo::log::Error("http bind failed", {{"reason", s.ToString()}});
    return 1;
  }
  int http_port = http->port();

  pmo::ConsumerOptions co;
  co.brokers = cfg->kafka_brokers;
  co.group_id = host.config().consumer_group;
  co.client_id = cfg->service_name;
  co.topics = pmo::reporting::adapters::ConsumedTopics();
  co.metrics = &host.metrics();
  auto consumer = pmo::Consumer::Create(
      co, [&app](const pmo::KafkaMessage& m) { return pmo::reporting::adapters::HandleRecord(app, m); },
      &host.producer());
  if (!consumer.ok()) {
    pmo::log::Error("cannot create consumer", {{"reason", consumer.status().ToString()}});
    return 1;
  }
  host.AddWorker(std::move(*consumer));
  host.AddWorker(std::move(http));

  if (auto s = host.Start(); !s.ok()) {
    pmo::log::Error("start failed", {{"reason", s.ToString()}});
    return 1;
  }
  std::printf("listening grpc=%d metrics=%d http=%d\n", host.grpc_port(), host.metrics_port(), http_port);
  std::fflush(stdout);
  return host.Wait();
}
