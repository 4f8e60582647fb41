#include "services/scoring/api/grpc_service.h"

#include "pmo/common/grpc_status.h"
#include "pmo/common/service_host.h"

namespace pmo::scoring::api {
namespace {
CallContext Ctx(grpc::ServerContext* context) { return ContextOf(*context); }
}  // namespace

grpc::Status ScoringGrpcService::SetScoringModel(grpc::ServerContext* c, const v1::SetScoringModelRequest* r,
                                                 v1::ScoringModel* out) {
  return Reply(app_.models.SetScoringModel(*r, Ctx(c)), out);
}
grpc::Status ScoringGrpcService::GetScoringModel(grpc::ServerContext*, const v1::GetScoringModelRequest* r,
                                                 v1::ScoringModel* out) {
  return Reply(app_.models.GetScoringModel(*r), out);
}
grpc::Status ScoringGrpcService::DeriveWeights(grpc::ServerContext*, const v1::DeriveWeightsRequest* r,
                                               v1::DeriveWeightsResponse* out) {
  return Reply(app_.models.DeriveWeights(*r), out);
}
grpc::Status ScoringGrpcService::GetRanking(grpc::ServerContext*, const v1::GetRankingRequest* r,
                                            v1::GetRankingResponse* out) {
  return Reply(app_.scores.GetRanking(*r), out);
}
grpc::Status ScoringGrpcService::ExplainScore(grpc::ServerContext*, const v1::ExplainScoreRequest* r,
                                              v1::InitiativeScore* out) {
  return Reply(app_.scores.ExplainScore(*r), out);
}
grpc::Status ScoringGrpcService::RunScenario(grpc::ServerContext* c, const v1::RunScenarioRequest* r, v1::Scenario* out) {
  return Reply(app_.scenarios.RunScenario(*r, Ctx(c)), out);
}
grpc::Status ScoringGrpcService::GetScenario(grpc::ServerContext*, const v1::GetScenarioRequest* r, v1::Scenario* out) {
  return Reply(app_.scenarios.GetScenario(*r), out);
}
grpc::Status ScoringGrpcService::ListScenarios(grpc::ServerContext*, const v1::ListScenariosRequest* r,
                                               v1::ListScenariosResponse* out) {
  return Reply(app_.scenarios.ListScenarios(*r), out);
}
grpc::Status ScoringGrpcService::CompareScenarios(grpc::ServerContext*, const v1::CompareScenariosRequest* r,
                                                  v1::CompareScenariosResponse* out) {
  return Reply(app_.scenarios.CompareScenarios(*r), out);
}
grpc::Status ScoringGrpcService::EfficientFrontier(grpc::ServerContext*, const v1::EfficientFrontierRequest* r,
                                                   v1::EfficientFrontierResponse* out) {
  return Reply(app_.scenarios.EfficientFrontier(*r), out);
}

}  // namespace pmo::scoring::api
