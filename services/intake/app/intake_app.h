// Intake's use cases: each reads what it needs, lets the pure domain decide, and commits
// the new state with its event in one atomic outbox write. gRPC handlers and Kafka
// handlers both call these, so a progress report behaves the same from either door.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "services/intake/store/redis_store.h"
#include "pmo/common/clock.h"
#include "pmo/common/service_host.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::intake::app {

using ::pmo::CallContext;

class IntakeApp {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;
  static constexpr int kProcessedMarkerTtlSeconds = 7 * 24 * 3600;

  IntakeApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, const Clock& clock = SystemClock::Instance());

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
  struct Counters;
  absl::StatusOr<v1::Initiative> Transition(const v1::TransitionInitiativeRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Initiative> ApplyProgressOnce(const v1::ReportProgressRequest& req, const CallContext& ctx,
                                                   std::string_view source, const std::string& event_id);
  // A progress report decided: either the answer without a write (nothing changes) or
  // the snapshot to store with its atomic write.
  struct ProgressPlan {
    absl::StatusOr<v1::Initiative> answer = absl::UnknownError("not planned");
    v1::Initiative snapshot;
    std::shared_ptr<AtomicWrite> write;
  };
  static absl::Status CheckProgressRequest(const v1::ReportProgressRequest& req);
  absl::StatusOr<ProgressPlan> PlanProgress(const v1::ReportProgressRequest& req, const CallContext& ctx,
                                            std::string_view source, const std::string& event_id);
  absl::StatusOr<v1::Initiative> AfterProgressCommit(ProgressPlan& plan, const absl::StatusOr<WriteResult>& result,
                                                     std::string_view source);
  prometheus::Counter& ProgressCounter(std::string_view source);
  absl::Status ApplyDecisionOnce(const reporting::v1::DecisionRecorded& decision, const CallContext& ctx);
  absl::StatusOr<std::string> PortfolioCurrency(const std::string& portfolio_id);

  adapters::RedisStore store_;
  Outbox& outbox_;
  Metrics* metrics_;
  const Clock& clock_;
  std::shared_ptr<Counters> counters_;
  std::mutex counter_mu_;
  std::map<std::string, prometheus::Counter*, std::less<>> progress_by_source_;  // the series of each source
  std::mutex currency_mu_;
  std::map<std::string, std::string> currency_cache_;  // a portfolio's currency never changes

  // Recently written initiative snapshots, so a progress report needs one Redis round
  // trip instead of two. Safe because every write is guarded by the stored version: a
  // snapshot made stale by another replica makes the write answer ABORTED, the entry
  // is dropped and the call is retried from a fresh read.
  absl::StatusOr<std::shared_ptr<const v1::Initiative>> CachedInitiative(const std::string& id);
  void Remember(const v1::Initiative& snapshot);
  void Forget(const std::string& id);
  static constexpr size_t kSnapshotCacheSize = 50'000;
  std::mutex snapshot_mu_;
  std::unordered_map<std::string, std::shared_ptr<const v1::Initiative>> snapshots_;

  // Runs the re-plan of an asynchronous progress report that lost a race. It reads Redis,
  // so it must not run on the outbox's committer (which serves every writer). (The first
  // plan still runs on gRPC's callback thread and reads Redis there on a snapshot-cache
  // miss or for a report that changes nothing.) One thread: lost races are rare. Drains
  // what is queued before it stops. Declared last, so it stops first.
  class RetryQueue {
   public:
    RetryQueue();
    ~RetryQueue();
    void Post(std::function<void()> task);

   private:
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> tasks_;
    bool stop_ = false;
    std::thread thread_;
  };
  RetryQueue retries_;
};

}  // namespace pmo::intake::app
