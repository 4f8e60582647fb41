#include "services/intake/api/grpc_service.h"

#include "pmo/common/grpc_status.h"
#include "pmo/common/log.h"
#include "pmo/common/service_host.h"

namespace pmo::intake::api {
namespace {
app::CallContext Ctx(grpc::ServerContext* context) { return ContextOf(*context); }
}  // namespace

grpc::Status IntakeGrpcService::CreatePortfolio(grpc::ServerContext* c, const v1::CreatePortfolioRequest* r,
                                                v1::Portfolio* out) {
  return Reply(app_.CreatePortfolio(*r, Ctx(c)), out);
}
grpc::Status IntakeGrpcService::GetPortfolio(grpc::ServerContext*, const v1::GetPortfolioRequest* r, v1::Portfolio* out) {
  return Reply(app_.GetPortfolio(*r), out);
}
grpc::Status IntakeGrpcService::ListPortfolios(grpc::ServerContext*, const v1::ListPortfoliosRequest* r,
                                               v1::ListPortfoliosResponse* out) {
  return Reply(app_.ListPortfolios(*r), out);
}
grpc::Status IntakeGrpcService::UpdatePortfolio(grpc::ServerContext* c, const v1::UpdatePortfolioRequest* r,
                                                v1::Portfolio* out) {
  return Reply(app_.UpdatePortfolio(*r, Ctx(c)), out);
}
grpc::Status IntakeGrpcService::SubmitInitiative(grpc::ServerContext* c, const v1::SubmitInitiativeRequest* r,
                                                 v1::Initiative* out) {
  return Reply(app_.SubmitInitiative(*r, Ctx(c)), out);
}
grpc::Status IntakeGrpcService::GetInitiative(grpc::ServerContext*, const v1::GetInitiativeRequest* r,
                                              v1::Initiative* out) {
  return Reply(app_.GetInitiative(*r), out);
}
grpc::Status IntakeGrpcService::ListInitiatives(grpc::ServerContext*, const v1::ListInitiativesRequest* r,
                                                v1::ListInitiativesResponse* out) {
  return Reply(app_.ListInitiatives(*r), out);
}
grpc::Status IntakeGrpcService::UpdateInitiative(grpc::ServerContext* c, const v1::UpdateInitiativeRequest* r,
                                                 v1::Initiative* out) {
  return Reply(app_.UpdateInitiative(*r, Ctx(c)), out);
}
grpc::Status IntakeGrpcService::TransitionInitiative(grpc::ServerContext* c, const v1::TransitionInitiativeRequest* r,
                                                     v1::Initiative* out) {
  return Reply(app_.TransitionInitiative(*r, Ctx(c)), out);
}
grpc::ServerUnaryReactor* IntakeGrpcService::ReportProgress(grpc::CallbackServerContext* c,
                                                            const v1::ReportProgressRequest* r, v1::Initiative* out) {
  auto* reactor = c->DefaultReactor();
  // The request and the response live until Finish; `done` may run before this returns.
  app_.ReportProgressAsync(*r, ContextOf(*c), "grpc", [reactor, out](absl::StatusOr<v1::Initiative> result) {
    reactor->Finish(Reply(std::move(result), out));
  });
  // ContextOf tagged this thread's log lines with the call's correlation id; the thread
  // is gRPC's and serves other calls next, so the tag must not outlive the handler.
  log::SetThreadCorrelationId("");
  return reactor;
}

}  // namespace pmo::intake::api
