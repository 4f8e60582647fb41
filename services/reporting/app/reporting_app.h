// Reporting's use cases: the projection of every service's events into read models, the
// dashboard, KPIs and insights read from them, and evidence reviews (reporting's own
// state) whose decisions are published for intake and scoring to act on.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "services/reporting/app/change_feed.h"
#include "services/reporting/app/read_model.h"
#include "services/reporting/domain/recommendation.h"
#include "pmo/common/clock.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/common/service_host.h"
#include "pmo/reporting/v1/reporting.pb.h"

namespace pmo::reporting::app {

using ::pmo::CallContext;

class ReportingApp {
 public:
  static constexpr int kDefaultPageSize = 20;
  static constexpr int kMaxPageSize = 200;

  ReportingApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, const Clock& clock = SystemClock::Instance());

  // The projection: applies one consumed event to the read models (idempotent) and
  // tells the change feed.
  absl::Status Apply(const events::v1::Envelope& envelope);

  absl::StatusOr<v1::Dashboard> GetDashboard(const v1::GetDashboardRequest& req);
  absl::StatusOr<v1::GetKpisResponse> GetKpis(const v1::GetKpisRequest& req);
  absl::StatusOr<v1::GetInsightsResponse> GetInsights(const v1::GetInsightsRequest& req);

  absl::StatusOr<v1::Review> OpenReview(const v1::OpenReviewRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Review> GetReview(const v1::GetReviewRequest& req);
  absl::StatusOr<v1::ListReviewsResponse> ListReviews(const v1::ListReviewsRequest& req);
  absl::StatusOr<v1::Review> RecordDecision(const v1::RecordDecisionRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Review> CloseReview(const v1::CloseReviewRequest& req, const CallContext& ctx);

  ChangeFeed& feed() { return feed_; }

  // Thresholds: the documented defaults with `overrides` applied.
  static domain::ReviewRules RulesFrom(const v1::ReviewRules& overrides);
  static v1::ReviewRules ToProto(const domain::ReviewRules& rules);

 private:
  struct Counters;
  absl::StatusOr<std::pair<v1::Review, int64_t>> LoadReview(const std::string& review_id);
  absl::StatusOr<v1::Dashboard> Dashboard(const std::string& portfolio_id, PortfolioReadModel* model = nullptr);
  // Freezes the state KPIs of the quarter that ends when an event of a later quarter
  // (by the event's own time) arrives for the portfolio.
  absl::Status MaybeFreezeQuarter(const std::string& portfolio_id, int64_t occurred_at_ms);

  RedisPool& redis_;
  ReadModelStore store_;
  Outbox& outbox_;
  Metrics* metrics_;
  const Clock& clock_;
  std::shared_ptr<Counters> counters_;
  ChangeFeed feed_;
  std::mutex quarter_mu_;
  std::map<std::string, std::string> event_quarter_;  // portfolio → latest event quarter seen
};

}  // namespace pmo::reporting::app
