// Scoring's use cases: the portfolio's model, scoring and ranking initiatives as intake's
// snapshots arrive, explanations, AHP weights and scenarios. State and events commit
// together through the outbox; the ranking is a sorted set whose order is the domain's
// deterministic tie-break, so one initiative's change re-ranks without touching others.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/scoring/domain/alignment.h"
#include "services/scoring/domain/ranking.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/common/clock.h"
#include "pmo/common/service_host.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/scoring/v1/events.pb.h"
#include "pmo/scoring/v1/scoring.pb.h"

namespace pmo::scoring::app {

using ::pmo::CallContext;

// The ranking's sort key: ascending byte order equals the domain's ranking order
// (score desc, VALUE subtotal desc, submitted earlier, id). Exposed for tests.
std::string RankKey(const domain::RankInput& input);

class ScoringApp {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;

  ScoringApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, const Clock& clock = SystemClock::Instance());

  absl::StatusOr<v1::ScoringModel> SetScoringModel(const v1::SetScoringModelRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::ScoringModel> GetScoringModel(const v1::GetScoringModelRequest& req);
  absl::StatusOr<v1::DeriveWeightsResponse> DeriveWeights(const v1::DeriveWeightsRequest& req);
  absl::StatusOr<v1::GetRankingResponse> GetRanking(const v1::GetRankingRequest& req);
  absl::StatusOr<v1::InitiativeScore> ExplainScore(const v1::ExplainScoreRequest& req);
  absl::StatusOr<v1::Scenario> RunScenario(const v1::RunScenarioRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Scenario> GetScenario(const v1::GetScenarioRequest& req);
  absl::StatusOr<v1::ListScenariosResponse> ListScenarios(const v1::ListScenariosRequest& req);
  absl::StatusOr<v1::CompareScenariosResponse> CompareScenarios(const v1::CompareScenariosRequest& req);
  absl::StatusOr<v1::EfficientFrontierResponse> EfficientFrontier(const v1::EfficientFrontierRequest& req);

  // From intake's events (idempotent by snapshot version).
  absl::Status ApplyInitiative(const intake::v1::Initiative& snapshot, const CallContext& ctx);
  absl::Status ApplyPortfolio(const intake::v1::Portfolio& portfolio);
  // From okr's events: links and objective priorities make strategic alignment.
  absl::Status ApplyAlignment(const okr::v1::AlignmentChanged& alignment, const CallContext& ctx);
  absl::Status ApplyObjective(const okr::v1::ObjectiveChanged& objective, const CallContext& ctx);
  // From the benefits register: the money an initiative's benefits are expected to bring.
  absl::Status ApplyBenefit(const benefits::v1::BenefitChanged& benefit);

  // Re-scores every initiative of a portfolio (after a model change); returns how many.
  // ABORTED when scores or the model moved meanwhile (nothing swapped in).
  absl::StatusOr<int> RescorePortfolio(const std::string& portfolio_id, const CallContext& ctx);
  // Re-scores a portfolio marked for it and clears the mark once done.
  absl::Status RescoreIfPending(const std::string& portfolio_id, const CallContext& ctx);
  // Re-scores every marked portfolio (the worker calls this periodically).
  absl::Status DrainPendingRescores();

 private:
  struct Counters;
  absl::Status Score(const intake::v1::Initiative& snapshot, const v1::ScoringModel* model, bool force,
                     const CallContext& ctx, v1::RankMove* move);
  absl::StatusOr<std::optional<v1::ScoringModel>> LoadModel(const std::string& portfolio_id);
  // Strategic alignment of one initiative (nullopt while okr has said nothing of it).
  absl::StatusOr<std::optional<double>> AlignmentOf(const std::string& portfolio_id, const std::string& initiative_id,
                                                    const std::vector<domain::ObjectivePriority>& objectives);
  absl::StatusOr<std::vector<domain::ObjectivePriority>> Objectives(const std::string& portfolio_id);

  RedisPool& redis_;
  Outbox& outbox_;
  Metrics* metrics_;
  const Clock& clock_;
  std::shared_ptr<Counters> counters_;
};

}  // namespace pmo::scoring::app
