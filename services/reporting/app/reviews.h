// Evidence reviews, reporting's own state: a review freezes each initiative's evidence
// for a portfolio and quarter with a recommendation (continue / pivot / stop) and its
// reasons; a person records the decision, which is published for intake and scoring.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/reporting/domain/recommendation.h"
#include "services/reporting/store/review_store.h"
#include "pmo/common/clock.h"
#include "pmo/common/service_host.h"
#include "pmo/reporting/v1/reporting.pb.h"

namespace pmo::reporting::app {

class DashboardQueries;
class ReportingMetrics;

class Reviews {
 public:
  static constexpr int kDefaultPageSize = 20;
  static constexpr int kMaxPageSize = 200;

  Reviews(store::ReviewStore& store, DashboardQueries& dashboards, ReportingMetrics& metrics, const Clock& clock)
      : store_(store), dashboards_(dashboards), metrics_(metrics), clock_(clock) {}

  absl::StatusOr<v1::Review> OpenReview(const v1::OpenReviewRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Review> GetReview(const v1::GetReviewRequest& req);
  absl::StatusOr<v1::ListReviewsResponse> ListReviews(const v1::ListReviewsRequest& req);
  absl::StatusOr<v1::Review> RecordDecision(const v1::RecordDecisionRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Review> CloseReview(const v1::CloseReviewRequest& req, const CallContext& ctx);

  // Thresholds: the documented defaults with `overrides` applied.
  static domain::ReviewRules RulesFrom(const v1::ReviewRules& overrides);
  static v1::ReviewRules ToProto(const domain::ReviewRules& rules);

 private:
  // One attempt at recording the decision against the review as stored now.
  absl::StatusOr<v1::Review> RecordDecisionOnce(const v1::RecordDecisionRequest& req, const CallContext& ctx);

  store::ReviewStore& store_;
  DashboardQueries& dashboards_;
  ReportingMetrics& metrics_;
  const Clock& clock_;
};

}  // namespace pmo::reporting::app
