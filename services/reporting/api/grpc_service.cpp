#include "services/reporting/api/grpc_service.h"

#include "pmo/common/grpc_status.h"
#include "pmo/common/service_host.h"

namespace pmo::reporting::api {

grpc::Status ReportingGrpcService::GetDashboard(grpc::ServerContext*, const v1::GetDashboardRequest* r,
                                                v1::Dashboard* out) {
  return Reply(app_.GetDashboard(*r), out);
}
grpc::Status ReportingGrpcService::GetKpis(grpc::ServerContext*, const v1::GetKpisRequest* r,
                                           v1::GetKpisResponse* out) {
  return Reply(app_.GetKpis(*r), out);
}
grpc::Status ReportingGrpcService::OpenReview(grpc::ServerContext* c, const v1::OpenReviewRequest* r, v1::Review* out) {
  return Reply(app_.OpenReview(*r, ContextOf(*c)), out);
}
grpc::Status ReportingGrpcService::GetReview(grpc::ServerContext*, const v1::GetReviewRequest* r, v1::Review* out) {
  return Reply(app_.GetReview(*r), out);
}
grpc::Status ReportingGrpcService::ListReviews(grpc::ServerContext*, const v1::ListReviewsRequest* r,
                                               v1::ListReviewsResponse* out) {
  return Reply(app_.ListReviews(*r), out);
}
grpc::Status ReportingGrpcService::RecordDecision(grpc::ServerContext* c, const v1::RecordDecisionRequest* r,
                                                  v1::Review* out) {
  return Reply(app_.RecordDecision(*r, ContextOf(*c)), out);
}
grpc::Status ReportingGrpcService::CloseReview(grpc::ServerContext* c, const v1::CloseReviewRequest* r,
                                               v1::Review* out) {
  return Reply(app_.CloseReview(*r, ContextOf(*c)), out);
}
grpc::Status ReportingGrpcService::GetInsights(grpc::ServerContext*, const v1::GetInsightsRequest* r,
                                               v1::GetInsightsResponse* out) {
  return Reply(app_.GetInsights(*r), out);
}

}  // namespace pmo::reporting::api
