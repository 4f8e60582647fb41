#include "services/scoring/domain/rescoring.h"

#include <algorithm>
#include <utility>

namespace pmo::scoring::domain {

absl::StatusOr<std::optional<double>> AlignmentValue(const std::optional<std::vector<KeyResultLink>>& links,
                                                     const std::vector<ObjectivePriority>& objectives) {
  if (!links) return std::optional<double>();
  auto computed = ComputeAlignment(*links, objectives);
  if (!computed.ok()) return computed.status();
  return std::optional<double>(computed->value);
}

absl::StatusOr<std::optional<ScoreExplanation>> ScoreInitiative(const Scorer* scorer, const ScoringInputs& inputs,
                                                                std::optional<double> alignment) {
  if (scorer == nullptr || !inputs.in_play) return std::optional<ScoreExplanation>();
  auto explained = scorer->Score(inputs.ratings, alignment);
  if (!explained.ok()) return explained.status();
  return std::optional<ScoreExplanation>(std::move(*explained));
}

RankInput RankInputOf(const ScoringInputs& inputs, const ScoreExplanation& explained) {
  return {inputs.id, explained.score, explained.Subtotal(Category::kValue), inputs.submitted_at_unix_ms};
}

RescoreRanking::RescoreRanking(std::vector<RankedEntry> entries) : entries_(std::move(entries)) {
  rank_of_.reserve(entries_.size());
  for (const auto& e : entries_) rank_of_[e.id] = e.rank;
}

int RescoreRanking::RankOf(const std::string& id) const {
  auto it = rank_of_.find(id);
  return it == rank_of_.end() ? kNotRanked : it->second;
}

absl::StatusOr<std::optional<ScoreExplanation>> PortfolioRescore::Add(const ScoringInputs& inputs,
                                                                      std::optional<double> alignment) {
  auto explained = ScoreInitiative(scorer_, inputs, alignment);
  if (explained.ok() && *explained) ranked_.push_back(RankInputOf(inputs, **explained));
  return explained;
}

absl::StatusOr<RescoreRanking> PortfolioRescore::Rank() const {
  auto ranking = domain::Rank(ranked_);
  if (!ranking.ok()) return ranking.status();
  return RescoreRanking(std::move(*ranking));
}

std::vector<std::vector<RankMove>> FullRerankMoves(const std::vector<RankedEntry>& ranking, size_t per_event) {
  per_event = std::max<size_t>(1, per_event);
  std::vector<std::vector<RankMove>> groups;
  for (size_t from = 0; from < ranking.size() || from == 0; from += per_event) {
    auto& group = groups.emplace_back();
    const size_t to = std::min(ranking.size(), from + per_event);
    group.reserve(to > from ? to - from : 0);
    for (size_t i = from; i < to; ++i) group.push_back({ranking[i].id, kNotRanked, ranking[i].rank});
    if (ranking.empty()) break;
  }
  return groups;
}

std::optional<RankMove> IncrementalMove(std::string id, int old_rank, int new_rank) {
  if (old_rank == new_rank) return std::nullopt;
  return RankMove{std::move(id), old_rank, new_rank};
}

}  // namespace pmo::scoring::domain
