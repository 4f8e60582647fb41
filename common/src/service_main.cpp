#include "pmo/common/service_main.h"

#include <cstdio>

#include "pmo/common/log.h"

namespace pmo {

ServiceMain::ServiceMain(int argc, char** argv, const ServiceConfig& defaults,
                         const std::function<void(CLI::App&)>& extra_flags) {
  auto cfg = LoadConfig(argc, argv, defaults, extra_flags);
  if (!cfg.ok()) {
    std::fprintf(stderr, "%s\n", std::string(cfg.status().message()).c_str());
    exit_code_ = cfg.status().code() == absl::StatusCode::kCancelled ? 0 : 2;
    return;
  }
  auto host = std::make_unique<ServiceHost>(*cfg);
  if (auto s = host->Init(); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", cfg->service_name.c_str(), s.ToString().c_str());
    exit_code_ = 1;
    return;
  }
  host_ = std::move(host);
}

ServiceMain::~ServiceMain() = default;

void ServiceMain::Consume(std::vector<std::string> topics, Consumer::Handler handler) {
  ConsumerOptions co;
  co.brokers = config().kafka_brokers;
  co.group_id = config().consumer_group;
  co.client_id = config().service_name;
  co.topics = std::move(topics);
  co.metrics = &host_->metrics();
  auto consumer = Consumer::Create(co, std::move(handler), &host_->producer());
  if (!consumer.ok()) {
    setup_.Update(absl::Status(consumer.status().code(), "cannot create consumer: " +
                                                             std::string(consumer.status().message())));
    return;
  }
  host_->AddWorker(std::move(*consumer));
}

int ServiceMain::Run(const std::string& extra) {
  if (!ok()) return exit_code_;
  if (!setup_.ok()) {
    log::Error("setup failed", {{"reason", setup_.ToString()}});
    return 1;
  }
  if (auto s = host_->Start(); !s.ok()) {
    log::Error("start failed", {{"reason", s.ToString()}});
    return 1;
  }
  std::printf("listening grpc=%d metrics=%d%s\n", host_->grpc_port(), host_->metrics_port(), extra.c_str());
  std::fflush(stdout);
  return host_->Wait();
}

}  // namespace pmo
