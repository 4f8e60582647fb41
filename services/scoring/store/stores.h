// What scoring's use cases need from storage, one small interface per aggregate: the
// model, scores and the live ranking, the full re-score, scenarios, and the read models
// kept of other services' events. The Redis implementation is RedisScoringStore.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/scoring/domain/alignment.h"
#include "services/scoring/domain/ranking.h"
#include "pmo/common/outbox.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/scoring/v1/scoring.pb.h"

namespace pmo::scoring::store {

// Every write below is one atomic step with the events passed to it (the outbox): a
// write refused by its guard leaves neither state nor event. ABORTED means a concurrent
// write won; the caller starts again from a fresh read.

class ModelStore {
 public:
  virtual ~ModelStore() = default;
  // nullopt when the portfolio has no model yet.
  virtual absl::StatusOr<std::optional<v1::ScoringModel>> LoadModel(const std::string& portfolio_id) = 0;
  // Stores `model` while the stored one is still at `expected_version` (0: none) and
  // marks the portfolio for a re-score under it (the mark stays until one succeeded).
  virtual absl::Status SaveModel(const v1::ScoringModel& model, int64_t expected_version,
                                 std::vector<OutboxEvent> events) = 0;
};

// Scoring's read models of other services' snapshots, each applied only when newer
// than the version stored beside it (kSkipped for a redelivery).
class ReadModelStore {
 public:
  virtual ~ReadModelStore() = default;
  virtual absl::StatusOr<WriteResult> SavePortfolio(const intake::v1::Portfolio& portfolio) = 0;
  virtual absl::StatusOr<std::optional<intake::v1::Portfolio>> LoadPortfolio(const std::string& portfolio_id) = 0;
  virtual absl::StatusOr<WriteResult> SaveAlignment(const okr::v1::AlignmentChanged& alignment) = 0;
  // nullopt while okr has said nothing of the initiative.
  virtual absl::StatusOr<std::optional<okr::v1::AlignmentChanged>> LoadAlignment(
      const std::string& portfolio_id, const std::string& initiative_id) = 0;
  // Stores an objective's effective priority; in the same step it invalidates a full
  // re-score running on the old priorities and marks the portfolio for a new one.
  virtual absl::StatusOr<WriteResult> SaveObjectivePriority(const std::string& portfolio_id,
                                                            const std::string& objective_id, int64_t version,
                                                            double effective_priority) = 0;
  // Every objective of the portfolio with its effective priority.
  virtual absl::StatusOr<std::vector<domain::ObjectivePriority>> LoadObjectives(const std::string& portfolio_id) = 0;
  // A benefit's expected value (major units) under its initiative; nullopt removes it.
  virtual absl::StatusOr<WriteResult> SaveBenefitValue(const std::string& portfolio_id, const std::string& benefit_id,
                                                       const std::string& initiative_id, int64_t version,
                                                       std::optional<double> expected_value) = 0;
};

// What an incremental score of one initiative starts from (one round trip).
struct ScoreState {
  std::string rank_key;       // its key in the ranking; "" when it is not ranked
  int64_t score_version = 0;  // 0: never scored
  // The intake snapshot stored now; nullopt when none (or it does not decode).
  std::optional<intake::v1::Initiative> snapshot;
};

// One initiative's new score, written only while what it was computed from still holds.
struct ScoreWrite {
  const intake::v1::Initiative* snapshot = nullptr;
  // false: `snapshot` is new and stored with the score (newer only, else kSkipped);
  // true: a re-score of the stored snapshot, which must still be the stored one.
  bool rescore_of_stored = false;
  ScoreState before;                    // rank key and score version read before
  std::optional<int64_t> model_version;  // the model it was scored under (nullopt: none)
  std::string new_rank_key;             // "" when it is not ranked now
  const v1::InitiativeScore* score = nullptr;
  int64_t new_score_version = 0;  // the version the score is written with
  std::vector<OutboxEvent> events;
};

class ScoreStore {
 public:
  virtual ~ScoreStore() = default;
  virtual absl::StatusOr<ScoreState> LoadScoreState(const std::string& portfolio_id,
                                                    const std::string& initiative_id) = 0;
  // How many ranking keys sort below `rank_key`.
  virtual absl::StatusOr<int64_t> CountRankedBefore(const std::string& portfolio_id, const std::string& rank_key) = 0;
  // Stores a newer snapshot whose scoring inputs did not change; score and rank stand.
  virtual absl::StatusOr<WriteResult> SaveSnapshot(const intake::v1::Initiative& snapshot) = 0;
  virtual absl::StatusOr<WriteResult> CommitScore(const ScoreWrite& write) = 0;

  virtual absl::StatusOr<std::optional<intake::v1::Initiative>> LoadInitiative(const std::string& portfolio_id,
                                                                              const std::string& initiative_id) = 0;
  // The portfolio an initiative belongs to, as far as scoring knows it.
  virtual absl::StatusOr<std::optional<std::string>> PortfolioOf(const std::string& initiative_id) = 0;
  virtual absl::StatusOr<std::optional<v1::InitiativeScore>> LoadScore(const std::string& portfolio_id,
                                                                       const std::string& initiative_id) = 0;
  virtual absl::StatusOr<std::optional<std::string>> RankKeyOf(const std::string& portfolio_id,
                                                               const std::string& initiative_id) = 0;
  virtual absl::StatusOr<int64_t> RankingSize(const std::string& portfolio_id) = 0;
  // The stored scores of ranking positions offset+1 .. offset+count, in order (nullopt
  // for a ranked initiative without a stored score); fewer at the end.
  virtual absl::StatusOr<std::vector<std::optional<v1::InitiativeScore>>> RankingPage(
      const std::string& portfolio_id, int64_t offset, int count) = 0;
};

// One initiative as a full re-score reads it; each part is checked where it is used.
struct StoredInitiative {
  absl::StatusOr<intake::v1::Initiative> snapshot;
  absl::StatusOr<std::optional<okr::v1::AlignmentChanged>> alignment;  // nullopt: none stored
  absl::StatusOr<int64_t> score_version;                              // 0: never scored
};

// A new ranking built beside the live one until it is swapped in.
struct RankingRebuild {
  std::string portfolio_id;
  std::string run;     // unique per re-score, so concurrent ones never share keys
  bool empty = true;   // nothing ranked: the swap clears the ranking
};

// A re-score's new score of one initiative and the version it is written with.
struct RescoredScore {
  v1::InitiativeScore score;
  int64_t version = 0;
};

class RescoreStore {
 public:
  virtual ~RescoreStore() = default;
  // The lease on the portfolio's one running re-score: an owner token, or nullopt
  // when another holds it. It expires if its holder dies.
  virtual absl::StatusOr<std::optional<std::string>> TakeRescoreLease(const std::string& portfolio_id) = 0;
  virtual void ReleaseRescoreLease(const std::string& portfolio_id, const std::string& owner) = 0;
  // Portfolios marked for a re-score.
  virtual absl::StatusOr<std::vector<std::string>> PendingRescores() = 0;
  // A token that changes with every score write of the portfolio (and priority change).
  virtual absl::StatusOr<std::string> ScoreGeneration(const std::string& portfolio_id) = 0;
  virtual absl::StatusOr<std::vector<std::string>> InitiativeIds(const std::string& portfolio_id) = 0;
  // Reads the initiatives `ids` in pipelined batches and calls `visit` for each whose
  // snapshot is stored, in order; stops at the first error `visit` returns.
  using Visit = std::function<absl::Status(StoredInitiative& initiative)>;
  virtual absl::Status VisitInitiatives(const std::string& portfolio_id, const std::vector<std::string>& ids,
                                        const Visit& visit) = 0;
  virtual absl::StatusOr<RankingRebuild> BuildRankingAside(const std::string& portfolio_id,
                                                           const std::vector<domain::RankInput>& ranked) = 0;
  // Writes the scores in batches, each atomic with `event_of` every score, while the
  // portfolio's ScoreGeneration is still `generation`.
  using ScoreEvent = std::function<OutboxEvent(const v1::InitiativeScore& score, int64_t version)>;
  virtual absl::Status CommitRescoredScores(const std::string& portfolio_id, const std::string& generation,
                                            const std::vector<RescoredScore>& scores, const ScoreEvent& event_of) = 0;
  // Swaps the rebuilt ranking in and clears the portfolio's re-score mark, while the
  // generation and the model version (nullopt: none) still hold; the rebuild is
  // discarded when the swap is refused.
  virtual absl::Status SwapRanking(const RankingRebuild& rebuild, const std::string& generation,
                                   std::optional<int64_t> model_version, std::vector<OutboxEvent> events) = 0;
};

// One candidate row of a scenario: the snapshot, its score and registered benefits.
struct ScenarioRow {
  intake::v1::Initiative snapshot;
  std::optional<double> score;  // nullopt: not scored (or the score does not decode)
  // Sum of the benefits register's expected values; nullopt when it has none for it.
  std::optional<double> registered_benefit;
};

class ScenarioStore {
 public:
  virtual ~ScenarioStore() = default;
  // Every initiative of the portfolio the read model holds (DATA_LOSS for a snapshot
  // that does not decode).
  virtual absl::StatusOr<std::vector<ScenarioRow>> LoadScenarioRows(const std::string& portfolio_id) = 0;
  virtual absl::Status SaveScenario(const v1::Scenario& scenario, int64_t created_at_unix_ms,
                                    std::vector<OutboxEvent> events) = 0;
  virtual absl::StatusOr<std::optional<v1::Scenario>> LoadScenario(const std::string& scenario_id) = 0;
  // The portfolio's scenarios, oldest first.
  virtual absl::StatusOr<std::vector<std::string>> ScenarioIds(const std::string& portfolio_id) = 0;
};

// Everything scoring stores, as one object the service wires once.
class ScoringStore : public ModelStore,
                     public ReadModelStore,
                     public ScoreStore,
                     public RescoreStore,
                     public ScenarioStore {};

}  // namespace pmo::scoring::store
