// The benefits service's use cases: each reads what it needs, lets the pure domain
// decide, and commits the new state with its events in one atomic outbox write guarded
// by the versions it read. gRPC handlers, the ingest consumer, intake's events and the
// STALE sweep all call these, so a measurement behaves the same from either door.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/benefits/store/redis_store.h"
#include "services/benefits/domain/assessment.h"
#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/common/clock.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/common/service_host.h"
#include "pmo/intake/v1/intake.pb.h"

namespace pmo::benefits::app {

using ::pmo::CallContext;

struct BenefitsOptions {
  // A delivered benefit with no measurement for more than this many days is STALE.
  int32_t stale_after_days = domain::kDefaultStaleAfterDays;
  // Benefits the STALE sweep re-evaluates per portfolio per run, at most.
  int sweep_batch = 1000;
};

class BenefitsApp {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;
  static constexpr int kMaxBatch = 1000;  // measurements per RecordMeasurements call

  BenefitsApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, BenefitsOptions options = {},
              const Clock& clock = SystemClock::Instance());

  absl::StatusOr<v1::Benefit> CreateBenefit(const v1::CreateBenefitRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Benefit> UpdateBenefit(const v1::UpdateBenefitRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Benefit> GetBenefit(const v1::GetBenefitRequest& req);
  absl::StatusOr<v1::ListBenefitsResponse> ListBenefits(const v1::ListBenefitsRequest& req);
  // `source` is "grpc" or the ingest topic.
  absl::StatusOr<v1::RecordMeasurementResponse> RecordMeasurement(const v1::RecordMeasurementRequest& req,
                                                                  const CallContext& ctx, std::string_view source);
  absl::StatusOr<v1::RecordMeasurementsResponse> RecordMeasurements(const v1::RecordMeasurementsRequest& req,
                                                                    const CallContext& ctx, std::string_view source);
  absl::StatusOr<v1::GetRealisationResponse> GetRealisation(const v1::GetRealisationRequest& req);
  absl::StatusOr<v1::ValueSummary> GetInitiativeValue(const v1::GetInitiativeValueRequest& req);
  absl::StatusOr<v1::PortfolioValue> GetPortfolioValue(const v1::GetPortfolioValueRequest& req);

  // From intake's events; idempotent by intake's version. An initiative snapshot
  // registers (or updates, or withdraws) the benefits its submission promises, keeps
  // its cost and stage, and the first delivered stage opens the tracking windows of
  // its benefits on `occurred_on`.
  absl::Status ApplyInitiative(const intake::v1::Initiative& initiative, int64_t version,
                               const domain::Date& occurred_on, const CallContext& ctx);
  absl::Status ApplyPortfolio(const intake::v1::Portfolio& portfolio, int64_t version);

  // The STALE sweep: re-evaluates every benefit whose review day has come, publishing
  // BenefitStatusChanged where the status changed. Answers how many changed.
  absl::StatusOr<int> ReviewDue();

  domain::Date Today() const;

 private:
  struct Counters;
  struct Change;
  struct Outcome {
    v1::Benefit snapshot;
    int applied = 0;
    int duplicates = 0;
  };
  absl::StatusOr<Outcome> ApplyMeasurements(const std::string& benefit_id,
                                            const std::vector<domain::Measurement>& measurements, bool batch,
                                            const CallContext& ctx, std::string_view source);
  absl::StatusOr<Outcome> ApplyMeasurementsOnce(const std::string& benefit_id,
                                                const std::vector<domain::Measurement>& measurements, bool batch,
                                                const CallContext& ctx, std::string_view source);
  absl::StatusOr<v1::Benefit> Stage(AtomicWrite& w, const Change& change, const CallContext& ctx);
  absl::Status ApplyInitiativeOnce(const intake::v1::Initiative& initiative, int64_t version,
                                   const domain::Date& occurred_on, const CallContext& ctx);
  absl::StatusOr<bool> ReviewOne(const std::string& portfolio_id, const std::string& benefit_id,
                                 const domain::Date& today);
  absl::StatusOr<std::string> PortfolioOfBenefit(const std::string& benefit_id);
  domain::StatusContext ContextFor(const v1::Benefit& snapshot) const;
  void CountStatusChange(const v1::Benefit& before, const v1::Benefit& after, std::string_view cause);

  adapters::RedisStore store_;
  Outbox& outbox_;
  Metrics* metrics_;
  BenefitsOptions options_;
  const Clock& clock_;
  std::shared_ptr<Counters> counters_;

  // A benefit's portfolio never changes: looked up once.
  std::mutex portfolio_mu_;
  std::unordered_map<std::string, std::string> portfolio_of_;

  // Recently written benefits with their series, so a measurement needs one Redis round
  // trip instead of two. Safe because every write is guarded by the stored version: a
  // snapshot made stale by another replica makes the write answer ABORTED, the entry
  // is dropped and the call is retried from a fresh read.
  std::shared_ptr<const adapters::StoredBenefit> Cached(const std::string& id);
  void Remember(adapters::StoredBenefit stored);
  void Forget(const std::string& id);
  static constexpr size_t kCacheSize = 50'000;
  std::mutex cache_mu_;
  std::unordered_map<std::string, std::shared_ptr<const adapters::StoredBenefit>> cache_;
};

}  // namespace pmo::benefits::app
