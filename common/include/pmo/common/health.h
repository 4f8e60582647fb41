// The standard grpc.health.v1.Health service (Check and Watch), driven by the service
// host's dependency checks. Our own implementation so shutdown is immediate: Watch
// streams end as soon as the host stops, instead of holding the server to its deadline.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"

namespace pmo {

class HealthService final : public grpc::health::v1::Health::Service {
 public:
  using Status = grpc::health::v1::HealthCheckResponse::ServingStatus;

  // Sets the status of `service` ("" is the whole server).
  void Set(const std::string& service, Status status);
  // Marks everything NOT_SERVING and ends every Watch stream.
  void Shutdown();

  grpc::Status Check(grpc::ServerContext* context, const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context, const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Status> statuses_;
  uint64_t generation_ = 0;  // bumped on every change, so watchers see each one
  bool shutdown_ = false;
};

}  // namespace pmo
