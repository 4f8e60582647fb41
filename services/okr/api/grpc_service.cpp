#include "services/okr/api/grpc_service.h"

#include "pmo/common/grpc_status.h"
#include "pmo/common/service_host.h"

namespace pmo::okr::api {

grpc::Status OkrGrpcService::CreateObjective(grpc::ServerContext* c, const v1::CreateObjectiveRequest* r,
                                             v1::Objective* out) {
  return Reply(app_.CreateObjective(*r, ContextOf(*c)), out);
}
grpc::Status OkrGrpcService::UpdateObjective(grpc::ServerContext* c, const v1::UpdateObjectiveRequest* r,
                                             v1::Objective* out) {
  return Reply(app_.UpdateObjective(*r, ContextOf(*c)), out);
}
grpc::Status OkrGrpcService::GetObjective(grpc::ServerContext*, const v1::GetObjectiveRequest* r, v1::Objective* out) {
  return Reply(app_.GetObjective(*r), out);
}
grpc::Status OkrGrpcService::ListObjectives(grpc::ServerContext*, const v1::ListObjectivesRequest* r,
                                            v1::ListObjectivesResponse* out) {
  return Reply(app_.ListObjectives(*r), out);
}
grpc::Status OkrGrpcService::CreateKeyResult(grpc::ServerContext* c, const v1::CreateKeyResultRequest* r,
                                             v1::KeyResult* out) {
  return Reply(app_.CreateKeyResult(*r, ContextOf(*c)), out);
}
grpc::Status OkrGrpcService::UpdateKeyResult(grpc::ServerContext* c, const v1::UpdateKeyResultRequest* r,
                                             v1::KeyResult* out) {
  return Reply(app_.UpdateKeyResult(*r, ContextOf(*c)), out);
}
grpc::Status OkrGrpcService::GetKeyResult(grpc::ServerContext*, const v1::GetKeyResultRequest* r, v1::KeyResult* out) {
  return Reply(app_.GetKeyResult(*r), out);
}
grpc::Status OkrGrpcService::CheckIn(grpc::ServerContext* c, const v1::CheckInRequest* r, v1::CheckInResponse* out) {
  return Reply(app_.CheckIn(*r, ContextOf(*c), "grpc"), out);
}
grpc::Status OkrGrpcService::LinkInitiative(grpc::ServerContext* c, const v1::LinkInitiativeRequest* r,
                                            v1::Alignment* out) {
  return Reply(app_.LinkInitiative(*r, ContextOf(*c)), out);
}
grpc::Status OkrGrpcService::UnlinkInitiative(grpc::ServerContext* c, const v1::UnlinkInitiativeRequest* r,
                                              v1::Alignment* out) {
  return Reply(app_.UnlinkInitiative(*r, ContextOf(*c)), out);
}
grpc::Status OkrGrpcService::GetAlignmentTree(grpc::ServerContext*, const v1::GetAlignmentTreeRequest* r,
                                              v1::AlignmentTree* out) {
  return Reply(app_.GetAlignmentTree(*r), out);
}
grpc::Status OkrGrpcService::GetCoverage(grpc::ServerContext*, const v1::GetCoverageRequest* r, v1::Coverage* out) {
  return Reply(app_.GetCoverage(*r), out);
}

}  // namespace pmo::okr::api
