// The IntakeService gRPC adapter: decode, call the use case, encode. Nothing else.
#pragma once

#include "app/intake_app.h"
#include "pmo/intake/v1/intake.grpc.pb.h"

namespace pmo::intake::adapters {

class IntakeGrpcService final : public v1::IntakeService::Service {
 public:
  explicit IntakeGrpcService(app::IntakeApp& app) : app_(app) {}

  grpc::Status CreatePortfolio(grpc::ServerContext*, const v1::CreatePortfolioRequest*, v1::Portfolio*) override;
  grpc::Status GetPortfolio(grpc::ServerContext*, const v1::GetPortfolioRequest*, v1::Portfolio*) override;
  grpc::Status ListPortfolios(grpc::ServerContext*, const v1::ListPortfoliosRequest*,
                              v1::ListPortfoliosResponse*) override;
  grpc::Status UpdatePortfolio(grpc::ServerContext*, const v1::UpdatePortfolioRequest*, v1::Portfolio*) override;
  grpc::Status SubmitInitiative(grpc::ServerContext*, const v1::SubmitInitiativeRequest*, v1::Initiative*) override;
  grpc::Status GetInitiative(grpc::ServerContext*, const v1::GetInitiativeRequest*, v1::Initiative*) override;
  grpc::Status ListInitiatives(grpc::ServerContext*, const v1::ListInitiativesRequest*,
                               v1::ListInitiativesResponse*) override;
  grpc::Status UpdateInitiative(grpc::ServerContext*, const v1::UpdateInitiativeRequest*, v1::Initiative*) override;
  grpc::Status TransitionInitiative(grpc::ServerContext*, const v1::TransitionInitiativeRequest*,
                                    v1::Initiative*) override;
  grpc::Status ReportProgress(grpc::ServerContext*, const v1::ReportProgressRequest*, v1::Initiative*) override;

 private:
  app::IntakeApp& app_;
};

}  // namespace pmo::intake::adapters
