#include "pmo/common/health.h"

#include <chrono>

namespace pmo {

using grpc::health::v1::HealthCheckResponse;

void HealthService::Set(const std::string& service, Status status) {
  std::lock_guard lock(mu_);
  if (shutdown_) return;
  auto [it, inserted] = statuses_.try_emplace(service, status);
  if (!inserted && it->second == status) return;
  it->second = status;
  ++generation_;
  cv_.notify_all();
}

void HealthService::Shutdown() {
  std::lock_guard lock(mu_);
  for (auto& [name, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
  shutdown_ = true;
  ++generation_;
  cv_.notify_all();
}

grpc::Status HealthService::Check(grpc::ServerContext*, const grpc::health::v1::HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  std::lock_guard lock(mu_);
  auto it = statuses_.find(request->service());
  if (it == statuses_.end()) return grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service " + request->service());
  response->set_status(it->second);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* context, const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  uint64_t seen = ~0ULL;
  std::unique_lock lock(mu_);
  for (;;) {
    if (generation_ != seen) {
      seen = generation_;
      auto it = statuses_.find(request->service());
      HealthCheckResponse response;
      response.set_status(it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN : it->second);
      lock.unlock();
      bool written = writer->Write(response);
      lock.lock();
      if (!written) return grpc::Status::OK;
    }
    if (shutdown_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "server is shutting down");
    // Wake periodically to notice a client that went away.
    cv_.wait_for(lock, std::chrono::milliseconds(200));
    if (context->IsCancelled()) return grpc::Status::CANCELLED;
  }
}

}  // namespace pmo
