// Intake's use cases: each reads what it needs through the store, lets the pure domain
// decide, and hands the new state with its event to the store, which commits both in
// one atomic step. gRPC handlers and Kafka handlers both call these, so a progress
// report behaves the same from either door.
//
// One file per aggregate or workflow: portfolios.cpp, initiatives.cpp, transitions.cpp,
// progress.cpp and read_models.cpp (other services' events and the gauges).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/clock.h"
#include "pmo/common/metrics.h"
#include "pmo/common/service_host.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "services/intake/app/intake_metrics.h"
#include "services/intake/app/retry_queue.h"
#include "services/intake/app/snapshot_cache.h"
#include "services/intake/domain/gates.h"
#include "services/intake/store/intake_store.h"

namespace pmo::intake::app {

using ::pmo::CallContext;

class IntakeApp {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;

  // `store` must outlive the app; `metrics` may be null (no business metrics).
  IntakeApp(store::IntakeStore& store, Metrics* metrics, const Clock& clock = SystemClock::Instance());

  absl::StatusOr<v1::Portfolio> CreatePortfolio(const v1::CreatePortfolioRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Portfolio> GetPortfolio(const v1::GetPortfolioRequest& req);
  absl::StatusOr<v1::ListPortfoliosResponse> ListPortfolios(const v1::ListPortfoliosRequest& req);
  absl::StatusOr<v1::Portfolio> UpdatePortfolio(const v1::UpdatePortfolioRequest& req, const CallContext& ctx);

  absl::StatusOr<v1::Initiative> SubmitInitiative(const v1::SubmitInitiativeRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Initiative> GetInitiative(const v1::GetInitiativeRequest& req);
  absl::StatusOr<v1::ListInitiativesResponse> ListInitiatives(const v1::ListInitiativesRequest& req);
  absl::StatusOr<v1::Initiative> UpdateInitiative(const v1::UpdateInitiativeRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Initiative> TransitionInitiative(const v1::TransitionInitiativeRequest& req,
                                                      const CallContext& ctx);
  // `source` is "grpc" or the ingest topic; `event_id` (ingest) makes the apply once-only.
  absl::StatusOr<v1::Initiative> ReportProgress(const v1::ReportProgressRequest& req, const CallContext& ctx,
                                                std::string_view source, const std::string& event_id = "");
  // The same as ReportProgress (without an event id), answered through `done` once the
  // write committed instead of blocking the calling thread for it. `req` must stay
  // valid until `done` ran; `done` may run on the outbox's committer thread.
  using ProgressDone = std::function<void(absl::StatusOr<v1::Initiative>)>;
  void ReportProgressAsync(const v1::ReportProgressRequest& req, CallContext ctx, std::string source,
                           ProgressDone done);

  // From other services' events; idempotent.
  absl::Status ApplyDecision(const reporting::v1::DecisionRecorded& decision, const CallContext& ctx);
  absl::Status ApplyAlignment(const okr::v1::AlignmentChanged& alignment, int64_t version);
  absl::Status ApplyKeyResult(const okr::v1::KeyResultChanged& key_result, int64_t version);
  absl::Status ApplyBenefit(const benefits::v1::BenefitChanged& benefit, int64_t version);

  // Refreshes the initiatives-by-stage gauges from the stored counts.
  absl::Status RefreshGauges();

 private:
  struct ProgressAttempt;
  // A progress report decided: either the answer without a write (nothing changes) or
  // the snapshot to store (`write` set), made from `held`.
  struct ProgressPlan {
    absl::StatusOr<v1::Initiative> answer = absl::UnknownError("not planned");
    std::shared_ptr<const v1::Initiative> held;
    v1::Initiative snapshot;
    bool write = false;
  };

  absl::StatusOr<v1::Initiative> Transition(const v1::TransitionInitiativeRequest& req, const CallContext& ctx);
  // The evidence approval is judged on: the portfolio, its other initiatives, the
  // commitments version they were read at and okr's and benefits' read models.
  struct ApprovalInputs {
    domain::Portfolio portfolio;
    std::vector<domain::Initiative> others;
    int64_t commitments = 0;
    domain::ApprovalContext context;
  };
  absl::Status LoadApprovalInputs(const domain::Initiative& initiative, ApprovalInputs& out);

  static absl::Status CheckProgressRequest(const v1::ReportProgressRequest& req);
  absl::StatusOr<v1::Initiative> ApplyProgressOnce(const v1::ReportProgressRequest& req, const CallContext& ctx,
                                                   std::string_view source, const std::string& event_id);
  absl::StatusOr<ProgressPlan> PlanProgress(const v1::ReportProgressRequest& req);
  absl::StatusOr<v1::Initiative> AfterProgressCommit(ProgressPlan& plan, const absl::StatusOr<WriteResult>& result,
                                                     std::string_view source);

  absl::Status ApplyDecisionOnce(const reporting::v1::DecisionRecorded& decision, const CallContext& ctx);

  store::IntakeStore& store_;
  const Clock& clock_;
  IntakeMetrics metrics_;
  SnapshotCache cache_;
  // Runs the re-plan of an asynchronous progress report that lost a race. It reads Redis,
  // so it must not run on the outbox's committer (which serves every writer). (The first
  // plan still runs on gRPC's callback thread and reads Redis there on a snapshot-cache
  // miss or for a report that changes nothing.) One thread: lost races are rare. Drains
  // what is queued before it stops. Declared last, so it stops first.
  RetryQueue retries_;
};

}  // namespace pmo::intake::app
