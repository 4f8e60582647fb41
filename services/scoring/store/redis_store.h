// Scoring's state in Redis: every key (store/keys.h), read and write behind the store
// interfaces, each write one atomic outbox step with the events it is given.
#pragma once

#include "services/scoring/store/stores.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"

namespace pmo::scoring::store {

class RedisScoringStore final : public ScoringStore {
 public:
  // Commands of one pipelined round trip in a full re-score (per batch of initiatives)
  // and score writes per atomic step.
  static constexpr size_t kRescoreBatch = 500;

  RedisScoringStore(RedisPool& redis, Outbox& outbox) : redis_(redis), outbox_(outbox) {}

  // ModelStore
  absl::StatusOr<std::optional<v1::ScoringModel>> LoadModel(const std::string& portfolio_id) override;
  absl::Status SaveModel(const v1::ScoringModel& model, int64_t expected_version,
                         std::vector<OutboxEvent> events) override;

  // ReadModelStore
  absl::StatusOr<WriteResult> SavePortfolio(const intake::v1::Portfolio& portfolio) override;
  absl::StatusOr<std::optional<intake::v1::Portfolio>> LoadPortfolio(const std::string& portfolio_id) override;
  absl::StatusOr<WriteResult> SaveAlignment(const okr::v1::AlignmentChanged& alignment) override;
  absl::StatusOr<std::optional<okr::v1::AlignmentChanged>> LoadAlignment(const std::string& portfolio_id,
                                                                         const std::string& initiative_id) override;
  absl::StatusOr<WriteResult> SaveObjectivePriority(const std::string& portfolio_id, const std::string& objective_id,
                                                    int64_t version, double effective_priority) override;
  absl::StatusOr<std::vector<domain::ObjectivePriority>> LoadObjectives(const std::string& portfolio_id) override;
  absl::StatusOr<WriteResult> SaveBenefitValue(const std::string& portfolio_id, const std::string& benefit_id,
                                               const std::string& initiative_id, int64_t version,
                                               std::optional<double> expected_value) override;

  // ScoreStore
  absl::StatusOr<ScoreState> LoadScoreState(const std::string& portfolio_id, const std::string& initiative_id) override;
  absl::StatusOr<int64_t> CountRankedBefore(const std::string& portfolio_id, const std::string& rank_key) override;
  absl::StatusOr<WriteResult> SaveSnapshot(const intake::v1::Initiative& snapshot) override;
  absl::StatusOr<WriteResult> CommitScore(const ScoreWrite& write) override;
  absl::StatusOr<std::optional<intake::v1::Initiative>> LoadInitiative(const std::string& portfolio_id,
                                                                      const std::string& initiative_id) override;
  absl::StatusOr<std::optional<std::string>> PortfolioOf(const std::string& initiative_id) override;
  absl::StatusOr<std::optional<v1::InitiativeScore>> LoadScore(const std::string& portfolio_id,
                                                               const std::string& initiative_id) override;
  absl::StatusOr<std::optional<std::string>> RankKeyOf(const std::string& portfolio_id,
                                                       const std::string& initiative_id) override;
  absl::StatusOr<int64_t> RankingSize(const std::string& portfolio_id) override;
  absl::StatusOr<std::vector<std::optional<v1::InitiativeScore>>> RankingPage(const std::string& portfolio_id,
                                                                               int64_t offset, int count) override;

  // RescoreStore
  absl::StatusOr<std::optional<std::string>> TakeRescoreLease(const std::string& portfolio_id) override;
  void ReleaseRescoreLease(const std::string& portfolio_id, const std::string& owner) override;
  absl::StatusOr<std::vector<std::string>> PendingRescores() override;
  absl::StatusOr<std::string> ScoreGeneration(const std::string& portfolio_id) override;
  absl::StatusOr<std::vector<std::string>> InitiativeIds(const std::string& portfolio_id) override;
  absl::Status VisitInitiatives(const std::string& portfolio_id, const std::vector<std::string>& ids,
                                const Visit& visit) override;
  absl::StatusOr<RankingRebuild> BuildRankingAside(const std::string& portfolio_id,
                                                   const std::vector<domain::RankInput>& ranked) override;
  absl::Status CommitRescoredScores(const std::string& portfolio_id, const std::string& generation,
                                    const std::vector<RescoredScore>& scores, const ScoreEvent& event_of) override;
  absl::Status SwapRanking(const RankingRebuild& rebuild, const std::string& generation,
                           std::optional<int64_t> model_version, std::vector<OutboxEvent> events) override;

  // ScenarioStore
  absl::StatusOr<std::vector<ScenarioRow>> LoadScenarioRows(const std::string& portfolio_id) override;
  absl::Status SaveScenario(const v1::Scenario& scenario, int64_t created_at_unix_ms,
                            std::vector<OutboxEvent> events) override;
  absl::StatusOr<std::optional<v1::Scenario>> LoadScenario(const std::string& scenario_id) override;
  absl::StatusOr<std::vector<std::string>> ScenarioIds(const std::string& portfolio_id) override;

 private:
  RedisPool& redis_;
  Outbox& outbox_;
};

}  // namespace pmo::scoring::store
