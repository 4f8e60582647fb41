// The IntakeService gRPC adapter: decode, call the use case, encode. Nothing else.
// ReportProgress, the hot path, uses the callback API: its handler hands the write to
// the outbox and returns, and the committer finishes the call, so no server thread is
// held (and later woken) for each write's round trip to Redis.
#pragma once

#include "services/intake/app/intake_app.h"
#include "pmo/intake/v1/intake.grpc.pb.h"

namespace pmo::intake::api {

class IntakeGrpcService final
    : public v1::IntakeService::WithCallbackMethod_ReportProgress<v1::IntakeService::Service> {
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
  grpc::ServerUnaryReactor* ReportProgress(grpc::CallbackServerContext*, const v1::ReportProgressRequest*,
                                           v1::Initiative*) override;

 private:
  app::IntakeApp& app_;
};

}  // namespace pmo::intake::api
