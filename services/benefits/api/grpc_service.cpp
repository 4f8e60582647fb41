#include "services/benefits/api/grpc_service.h"

#include "pmo/common/grpc_status.h"
#include "pmo/common/service_host.h"

namespace pmo::benefits::api {

grpc::Status BenefitsGrpcService::CreateBenefit(grpc::ServerContext* c, const v1::CreateBenefitRequest* r,
                                                v1::Benefit* out) {
  return Reply(app_.CreateBenefit(*r, ContextOf(*c)), out);
}
grpc::Status BenefitsGrpcService::UpdateBenefit(grpc::ServerContext* c, const v1::UpdateBenefitRequest* r,
                                                v1::Benefit* out) {
  return Reply(app_.UpdateBenefit(*r, ContextOf(*c)), out);
}
grpc::Status BenefitsGrpcService::GetBenefit(grpc::ServerContext*, const v1::GetBenefitRequest* r, v1::Benefit* out) {
  return Reply(app_.GetBenefit(*r), out);
}
grpc::Status BenefitsGrpcService::ListBenefits(grpc::ServerContext*, const v1::ListBenefitsRequest* r,
                                               v1::ListBenefitsResponse* out) {
  return Reply(app_.ListBenefits(*r), out);
}
grpc::Status BenefitsGrpcService::RecordMeasurement(grpc::ServerContext* c, const v1::RecordMeasurementRequest* r,
                                                    v1::RecordMeasurementResponse* out) {
  return Reply(app_.RecordMeasurement(*r, ContextOf(*c), "grpc"), out);
}
grpc::Status BenefitsGrpcService::RecordMeasurements(grpc::ServerContext* c, const v1::RecordMeasurementsRequest* r,
                                                     v1::RecordMeasurementsResponse* out) {
  return Reply(app_.RecordMeasurements(*r, ContextOf(*c), "grpc"), out);
}
grpc::Status BenefitsGrpcService::GetRealisation(grpc::ServerContext*, const v1::GetRealisationRequest* r,
                                                 v1::GetRealisationResponse* out) {
  return Reply(app_.GetRealisation(*r), out);
}
grpc::Status BenefitsGrpcService::GetInitiativeValue(grpc::ServerContext*, const v1::GetInitiativeValueRequest* r,
                                                     v1::ValueSummary* out) {
  return Reply(app_.GetInitiativeValue(*r), out);
}
grpc::Status BenefitsGrpcService::GetPortfolioValue(grpc::ServerContext*, const v1::GetPortfolioValueRequest* r,
                                                    v1::PortfolioValue* out) {
  return Reply(app_.GetPortfolioValue(*r), out);
}

}  // namespace pmo::benefits::api
