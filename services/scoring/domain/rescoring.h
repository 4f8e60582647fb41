// The arithmetic of (re-)scoring: one initiative's score from its ratings, okr's links
// and the portfolio's objective priorities; a whole portfolio scored and ranked under one
// model; and the rank moves a re-rank announces. Pure: the service loads and stores.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/scoring/domain/alignment.h"
#include "services/scoring/domain/ranking.h"
#include "services/scoring/domain/scorer.h"

namespace pmo::scoring::domain {

// Strategic alignment from okr's links for the initiative; nullopt while okr has said
// nothing of it (the ALIGNMENT criterion then counts as missing). INVALID_ARGUMENT for
// links or priorities that cannot be scored (see ComputeAlignment).
absl::StatusOr<std::optional<double>> AlignmentValue(const std::optional<std::vector<KeyResultLink>>& links,
                                                     const std::vector<ObjectivePriority>& objectives);

// What an initiative's score and rank are computed from, beside the model and alignment.
struct ScoringInputs {
  std::string id;
  bool in_play = false;              // its stage is one that is ranked
  Ratings ratings;                   // typed in at intake
  int64_t submitted_at_unix_ms = 0;  // the ranking's first-come tie-break
};

// The score of one initiative: nullopt when it is not ranked (no model — `scorer` is
// null — or its stage is out of play). Errors are the scorer's (a non-finite rating).
absl::StatusOr<std::optional<ScoreExplanation>> ScoreInitiative(const Scorer* scorer, const ScoringInputs& inputs,
                                                                std::optional<double> alignment);

// The ranking input of a scored initiative.
RankInput RankInputOf(const ScoringInputs& inputs, const ScoreExplanation& explained);

// A version a re-written score carries: one above the stored one, so subscribers that
// apply scores by version take a re-score of the same intake snapshot as newer.
inline int64_t NextScoreVersion(int64_t stored_version) { return stored_version + 1; }

// The ranking a full re-score arrived at.
class RescoreRanking {
 public:
  explicit RescoreRanking(std::vector<RankedEntry> entries);
  const std::vector<RankedEntry>& entries() const { return entries_; }  // by rank, 1..n
  bool empty() const { return entries_.empty(); }
  // kNotRanked for an initiative that is not in the ranking.
  int RankOf(const std::string& id) const;

 private:
  std::vector<RankedEntry> entries_;
  std::unordered_map<std::string, int> rank_of_;
};

// Every initiative of a portfolio scored under one model and one set of objective
// priorities, then ranked together (the ranking a model or priority change leads to).
class PortfolioRescore {
 public:
  // `scorer` may be null (the portfolio has no model: nothing is ranked); it must
  // outlive this object.
  explicit PortfolioRescore(const Scorer* scorer) : scorer_(scorer) {}

  // Scores one initiative (ScoreInitiative) and keeps a ranked one for the ranking. An
  // error means it cannot be scored: the caller leaves it out and goes on with the rest.
  absl::StatusOr<std::optional<ScoreExplanation>> Add(const ScoringInputs& inputs, std::optional<double> alignment);

  // The inputs kept for the ranking, in the order they were added.
  const std::vector<RankInput>& ranked_inputs() const { return ranked_; }

  // Ranks everything kept (Rank's order and errors).
  absl::StatusOr<RescoreRanking> Rank() const;

 private:
  const Scorer* scorer_;
  std::vector<RankInput> ranked_;
};

// The moves a full re-rank announces: every ranked initiative with its new rank and the
// old one unset (kNotRanked: the old ranking is replaced, not read), by rank — the same
// as DiffRankings({}, ranking) — split into groups of at most `per_event` moves. Always
// at least one group, empty when nothing is ranked, so subscribers learn of that too.
std::vector<std::vector<RankMove>> FullRerankMoves(const std::vector<RankedEntry>& ranking, size_t per_event);

// The move an incremental score announces: nullopt when the initiative kept its rank.
std::optional<RankMove> IncrementalMove(std::string id, int old_rank, int new_rank);

}  // namespace pmo::scoring::domain
