#include "services/scoring/api/grpc_service.h"

#include "pmo/common/envelope.h"
#include "pmo/common/grpc_status.h"
#include "pmo/common/log.h"
#include "pmo/common/service_host.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"

namespace pmo::scoring::adapters {
namespace {
app::CallContext Ctx(grpc::ServerContext* context) { return ContextOf(*context); }
}  // namespace

grpc::Status ScoringGrpcService::SetScoringModel(grpc::ServerContext* c, const v1::SetScoringModelRequest* r,
                                                 v1::ScoringModel* out) {
  return Reply(app_.SetScoringModel(*r, Ctx(c)), out);
}
grpc::Status ScoringGrpcService::GetScoringModel(grpc::ServerContext*, const v1::GetScoringModelRequest* r,
                                                 v1::ScoringModel* out) {
  return Reply(app_.GetScoringModel(*r), out);
}
grpc::Status ScoringGrpcService::DeriveWeights(grpc::ServerContext*, const v1::DeriveWeightsRequest* r,
                                               v1::DeriveWeightsResponse* out) {
  return Reply(app_.DeriveWeights(*r), out);
}
grpc::Status ScoringGrpcService::GetRanking(grpc::ServerContext*, const v1::GetRankingRequest* r,
                                            v1::GetRankingResponse* out) {
  return Reply(app_.GetRanking(*r), out);
}
grpc::Status ScoringGrpcService::ExplainScore(grpc::ServerContext*, const v1::ExplainScoreRequest* r,
                                              v1::InitiativeScore* out) {
  return Reply(app_.ExplainScore(*r), out);
}
grpc::Status ScoringGrpcService::RunScenario(grpc::ServerContext* c, const v1::RunScenarioRequest* r, v1::Scenario* out) {
  return Reply(app_.RunScenario(*r, Ctx(c)), out);
}
grpc::Status ScoringGrpcService::GetScenario(grpc::ServerContext*, const v1::GetScenarioRequest* r, v1::Scenario* out) {
  return Reply(app_.GetScenario(*r), out);
}
grpc::Status ScoringGrpcService::ListScenarios(grpc::ServerContext*, const v1::ListScenariosRequest* r,
                                               v1::ListScenariosResponse* out) {
  return Reply(app_.ListScenarios(*r), out);
}
grpc::Status ScoringGrpcService::CompareScenarios(grpc::ServerContext*, const v1::CompareScenariosRequest* r,
                                                  v1::CompareScenariosResponse* out) {
  return Reply(app_.CompareScenarios(*r), out);
}
grpc::Status ScoringGrpcService::EfficientFrontier(grpc::ServerContext*, const v1::EfficientFrontierRequest* r,
                                                   v1::EfficientFrontierResponse* out) {
  return Reply(app_.EfficientFrontier(*r), out);
}

std::vector<std::string> ConsumedTopics() {
  return {std::string(topics::kIntakeEvents), std::string(topics::kOkrEvents), std::string(topics::kBenefitsEvents)};
}

absl::Status HandleRecord(app::ScoringApp& app, const KafkaMessage& record) {
  auto env = DecodeEnvelope(record);
  if (!env.ok()) return env.status();
  app::CallContext ctx{env->correlation_id(), env->event_id()};
  std::string_view type = PayloadType(*env);
  namespace iv1 = ::pmo::intake::v1;
  // Every intake event carries the initiative's full snapshot: apply it if newer.
  if (type == iv1::InitiativeSubmitted::descriptor()->full_name()) {
    auto e = UnpackPayload<iv1::InitiativeSubmitted>(*env);
    return e.ok() ? app.ApplyInitiative(e->initiative(), ctx) : e.status();
  }
  if (type == iv1::InitiativeUpdated::descriptor()->full_name()) {
    auto e = UnpackPayload<iv1::InitiativeUpdated>(*env);
    return e.ok() ? app.ApplyInitiative(e->initiative(), ctx) : e.status();
  }
  if (type == iv1::InitiativeStageChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<iv1::InitiativeStageChanged>(*env);
    return e.ok() ? app.ApplyInitiative(e->initiative(), ctx) : e.status();
  }
  if (type == iv1::ProgressReported::descriptor()->full_name()) {
    auto e = UnpackPayload<iv1::ProgressReported>(*env);
    return e.ok() ? app.ApplyInitiative(e->initiative(), ctx) : e.status();
  }
  if (type == iv1::PortfolioChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<iv1::PortfolioChanged>(*env);
    return e.ok() ? app.ApplyPortfolio(e->portfolio()) : e.status();
  }
  if (type == okr::v1::AlignmentChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<okr::v1::AlignmentChanged>(*env);
    return e.ok() ? app.ApplyAlignment(*e, ctx) : e.status();
  }
  if (type == okr::v1::ObjectiveChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<okr::v1::ObjectiveChanged>(*env);
    return e.ok() ? app.ApplyObjective(*e, ctx) : e.status();
  }
  if (type == benefits::v1::BenefitChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<benefits::v1::BenefitChanged>(*env);
    return e.ok() ? app.ApplyBenefit(*e) : e.status();
  }
  return absl::OkStatus();  // events scoring has no use for
}

}  // namespace pmo::scoring::adapters
