// The OkrService gRPC adapter: decode, call the use case, encode. Nothing else.
#pragma once

#include "services/okr/app/okr_app.h"
#include "pmo/okr/v1/okr.grpc.pb.h"

namespace pmo::okr::api {

class OkrGrpcService final : public v1::OkrService::Service {
 public:
  explicit OkrGrpcService(app::OkrApp& app) : app_(app) {}

  grpc::Status CreateObjective(grpc::ServerContext*, const v1::CreateObjectiveRequest*, v1::Objective*) override;
  grpc::Status UpdateObjective(grpc::ServerContext*, const v1::UpdateObjectiveRequest*, v1::Objective*) override;
  grpc::Status GetObjective(grpc::ServerContext*, const v1::GetObjectiveRequest*, v1::Objective*) override;
  grpc::Status ListObjectives(grpc::ServerContext*, const v1::ListObjectivesRequest*,
                              v1::ListObjectivesResponse*) override;
  grpc::Status CreateKeyResult(grpc::ServerContext*, const v1::CreateKeyResultRequest*, v1::KeyResult*) override;
  grpc::Status UpdateKeyResult(grpc::ServerContext*, const v1::UpdateKeyResultRequest*, v1::KeyResult*) override;
  grpc::Status GetKeyResult(grpc::ServerContext*, const v1::GetKeyResultRequest*, v1::KeyResult*) override;
  grpc::Status CheckIn(grpc::ServerContext*, const v1::CheckInRequest*, v1::CheckInResponse*) override;
  grpc::Status LinkInitiative(grpc::ServerContext*, const v1::LinkInitiativeRequest*, v1::Alignment*) override;
  grpc::Status UnlinkInitiative(grpc::ServerContext*, const v1::UnlinkInitiativeRequest*, v1::Alignment*) override;
  grpc::Status GetAlignmentTree(grpc::ServerContext*, const v1::GetAlignmentTreeRequest*, v1::AlignmentTree*) override;
  grpc::Status GetCoverage(grpc::ServerContext*, const v1::GetCoverageRequest*, v1::Coverage*) override;

 private:
  app::OkrApp& app_;
};

}  // namespace pmo::okr::api
