// The ReportingService gRPC handlers: decode, call the use case, encode. Nothing else.
#pragma once

#include "services/reporting/app/reporting_app.h"
#include "pmo/reporting/v1/reporting.grpc.pb.h"

namespace pmo::reporting::api {

class ReportingGrpcService final : public v1::ReportingService::Service {
 public:
  explicit ReportingGrpcService(app::ReportingApp& app) : app_(app) {}
  grpc::Status GetDashboard(grpc::ServerContext*, const v1::GetDashboardRequest*, v1::Dashboard*) override;
  grpc::Status GetKpis(grpc::ServerContext*, const v1::GetKpisRequest*, v1::GetKpisResponse*) override;
  grpc::Status OpenReview(grpc::ServerContext*, const v1::OpenReviewRequest*, v1::Review*) override;
  grpc::Status GetReview(grpc::ServerContext*, const v1::GetReviewRequest*, v1::Review*) override;
  grpc::Status ListReviews(grpc::ServerContext*, const v1::ListReviewsRequest*, v1::ListReviewsResponse*) override;
  grpc::Status RecordDecision(grpc::ServerContext*, const v1::RecordDecisionRequest*, v1::Review*) override;
  grpc::Status CloseReview(grpc::ServerContext*, const v1::CloseReviewRequest*, v1::Review*) override;
  grpc::Status GetInsights(grpc::ServerContext*, const v1::GetInsightsRequest*, v1::GetInsightsResponse*) override;

 private:
  app::ReportingApp& app_;
};

}  // namespace pmo::reporting::api
