// Scoring and ranking one initiative as its snapshot or alignment changes, the ranking
// as pages, and a score explained criterion by criterion. The ranking is a sorted set
// whose order is the domain's deterministic tie-break (domain/rank_key.h), so one
// initiative's change re-ranks it without touching the others.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/scoring/app/scoring_metrics.h"
#include "services/scoring/store/stores.h"
#include "pmo/common/clock.h"
#include "pmo/common/service_host.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/scoring/v1/scoring.pb.h"

namespace pmo::scoring::app {

class Scores {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 1000;

  Scores(store::ModelStore& models, store::ReadModelStore& read_models, store::ScoreStore& scores,
         ScoringMetrics& metrics, const Clock& clock)
      : models_(models), read_models_(read_models), scores_(scores), metrics_(metrics), clock_(clock) {}

  // Scores a snapshot under `model` (null: the portfolio has none yet) and moves it in
  // the ranking. A new snapshot from intake is stored with it if newer; with
  // `rescore_of_stored` the stored snapshot is scored again (its alignment changed).
  // ABORTED when a concurrent score, re-score or model change won.
  absl::Status Score(const intake::v1::Initiative& snapshot, const v1::ScoringModel* model, bool rescore_of_stored,
                     const CallContext& ctx);

  absl::StatusOr<v1::GetRankingResponse> GetRanking(const v1::GetRankingRequest& req);
  absl::StatusOr<v1::InitiativeScore> ExplainScore(const v1::ExplainScoreRequest& req);

 private:
  store::ModelStore& models_;
  store::ReadModelStore& read_models_;
  store::ScoreStore& scores_;
  ScoringMetrics& metrics_;
  const Clock& clock_;
};

}  // namespace pmo::scoring::app
