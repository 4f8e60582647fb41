// The BenefitsService gRPC adapter: decode, call the use case, encode. Nothing else.
#pragma once

#include "services/benefits/app/benefits_app.h"
#include "pmo/benefits/v1/benefits.grpc.pb.h"

namespace pmo::benefits::api {

class BenefitsGrpcService final : public v1::BenefitsService::Service {
 public:
  explicit BenefitsGrpcService(app::BenefitsApp& app) : app_(app) {}

  grpc::Status CreateBenefit(grpc::ServerContext*, const v1::CreateBenefitRequest*, v1::Benefit*) override;
  grpc::Status UpdateBenefit(grpc::ServerContext*, const v1::UpdateBenefitRequest*, v1::Benefit*) override;
  grpc::Status GetBenefit(grpc::ServerContext*, const v1::GetBenefitRequest*, v1::Benefit*) override;
  grpc::Status ListBenefits(grpc::ServerContext*, const v1::ListBenefitsRequest*, v1::ListBenefitsResponse*) override;
  grpc::Status RecordMeasurement(grpc::ServerContext*, const v1::RecordMeasurementRequest*,
                                 v1::RecordMeasurementResponse*) override;
  grpc::Status RecordMeasurements(grpc::ServerContext*, const v1::RecordMeasurementsRequest*,
                                  v1::RecordMeasurementsResponse*) override;
  grpc::Status GetRealisation(grpc::ServerContext*, const v1::GetRealisationRequest*,
                              v1::GetRealisationResponse*) override;
  grpc::Status GetInitiativeValue(grpc::ServerContext*, const v1::GetInitiativeValueRequest*,
                                  v1::ValueSummary*) override;
  grpc::Status GetPortfolioValue(grpc::ServerContext*, const v1::GetPortfolioValueRequest*,
                                 v1::PortfolioValue*) override;

 private:
  app::BenefitsApp& app_;
};

}  // namespace pmo::benefits::api
