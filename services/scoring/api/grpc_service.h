// The ScoringService gRPC handlers: decode, call the use case, encode. Nothing else.
#pragma once

#include "services/scoring/app/scoring_app.h"
#include "pmo/scoring/v1/scoring.grpc.pb.h"

namespace pmo::scoring::api {

class ScoringGrpcService final : public v1::ScoringService::Service {
 public:
  explicit ScoringGrpcService(app::ScoringApp& app) : app_(app) {}
  grpc::Status SetScoringModel(grpc::ServerContext*, const v1::SetScoringModelRequest*, v1::ScoringModel*) override;
  grpc::Status GetScoringModel(grpc::ServerContext*, const v1::GetScoringModelRequest*, v1::ScoringModel*) override;
  grpc::Status DeriveWeights(grpc::ServerContext*, const v1::DeriveWeightsRequest*, v1::DeriveWeightsResponse*) override;
  grpc::Status GetRanking(grpc::ServerContext*, const v1::GetRankingRequest*, v1::GetRankingResponse*) override;
  grpc::Status ExplainScore(grpc::ServerContext*, const v1::ExplainScoreRequest*, v1::InitiativeScore*) override;
  grpc::Status RunScenario(grpc::ServerContext*, const v1::RunScenarioRequest*, v1::Scenario*) override;
  grpc::Status GetScenario(grpc::ServerContext*, const v1::GetScenarioRequest*, v1::Scenario*) override;
  grpc::Status ListScenarios(grpc::ServerContext*, const v1::ListScenariosRequest*, v1::ListScenariosResponse*) override;
  grpc::Status CompareScenarios(grpc::ServerContext*, const v1::CompareScenariosRequest*,
                                v1::CompareScenariosResponse*) override;
  grpc::Status EfficientFrontier(grpc::ServerContext*, const v1::EfficientFrontierRequest*,
                                 v1::EfficientFrontierResponse*) override;

 private:
  app::ScoringApp& app_;
};

}  // namespace pmo::scoring::api
