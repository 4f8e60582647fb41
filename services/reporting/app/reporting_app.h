// Reporting's application component: builds the use cases over their stores and owns
// what they share — the stores, the business counters, the live change feed and the
// quarter cache. The use cases themselves only decide: the projection of every service's
// events into read models (projection.h), the dashboard, KPIs and insights read from
// them (dashboard.h), and evidence reviews whose decisions are published (reviews.h).
#pragma once

#include "absl/status/statusor.h"
#include "services/reporting/app/change_feed.h"
#include "services/reporting/app/dashboard.h"
#include "services/reporting/app/projection.h"
#include "services/reporting/app/quarter_freezer.h"
#include "services/reporting/app/reporting_metrics.h"
#include "services/reporting/app/reviews.h"
#include "services/reporting/store/read_model_store.h"
#include "services/reporting/store/review_store.h"
#include "pmo/common/clock.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/common/service_host.h"
#include "pmo/reporting/v1/reporting.pb.h"

namespace pmo::reporting::app {

using ::pmo::CallContext;

class ReportingApp {
 public:
  ReportingApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, const Clock& clock = SystemClock::Instance());

  Projection& projection() { return projection_; }
  DashboardQueries& dashboards() { return dashboards_; }
  Reviews& reviews() { return reviews_; }
  ChangeFeed& feed() { return feed_; }

  // The calls the gRPC and HTTP handlers make, each answered by its use case.
  absl::StatusOr<v1::Dashboard> GetDashboard(const v1::GetDashboardRequest& req) {
    return dashboards_.GetDashboard(req);
  }
  absl::StatusOr<v1::GetKpisResponse> GetKpis(const v1::GetKpisRequest& req) { return dashboards_.GetKpis(req); }
  absl::StatusOr<v1::GetInsightsResponse> GetInsights(const v1::GetInsightsRequest& req) {
    return dashboards_.GetInsights(req);
  }
  absl::StatusOr<v1::Review> OpenReview(const v1::OpenReviewRequest& req, const CallContext& ctx) {
    return reviews_.OpenReview(req, ctx);
  }
  absl::StatusOr<v1::Review> GetReview(const v1::GetReviewRequest& req) { return reviews_.GetReview(req); }
  absl::StatusOr<v1::ListReviewsResponse> ListReviews(const v1::ListReviewsRequest& req) {
    return reviews_.ListReviews(req);
  }
  absl::StatusOr<v1::Review> RecordDecision(const v1::RecordDecisionRequest& req, const CallContext& ctx) {
    return reviews_.RecordDecision(req, ctx);
  }
  absl::StatusOr<v1::Review> CloseReview(const v1::CloseReviewRequest& req, const CallContext& ctx) {
    return reviews_.CloseReview(req, ctx);
  }

 private:
  store::RedisReadModelStore read_models_;
  store::RedisReviewStore review_store_;
  ReportingMetrics metrics_;
  ChangeFeed feed_;
  DashboardQueries dashboards_;
  QuarterFreezer quarters_;
  Projection projection_;
  Reviews reviews_;
};

}  // namespace pmo::reporting::app
