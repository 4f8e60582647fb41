#include "services/scoring/app/rescoring.h"

#include <optional>
#include <vector>

#include "services/scoring/app/convert.h"
#include "services/scoring/domain/rescoring.h"
#include "pmo/common/log.h"
#include "pmo/common/use_cases.h"
#include "pmo/scoring/v1/events.pb.h"

namespace pmo::scoring::app {
namespace {

// RankingChanged moves per event after a full re-score, so no event is huge.
constexpr size_t kMovesPerEvent = 5000;

// Scores what the store read of one initiative; one that cannot be scored (undecodable,
// invalid links) is logged and left out, it does not hold the whole portfolio back.
absl::Status ScoreStored(store::StoredInitiative& stored, const std::string& portfolio_id,
                         const std::vector<domain::ObjectivePriority>& objectives, const v1::ScoringModel* model,
                         domain::PortfolioRescore& rescore, std::vector<store::RescoredScore>& scores) {
  auto skip = [&](const absl::Status& why) {
    log::Error("initiative left out of the re-score", {{"portfolio", portfolio_id}, {"reason", why.ToString()}});
    return absl::OkStatus();
  };
  if (!stored.alignment.ok()) return skip(stored.alignment.status());
  std::optional<std::vector<domain::KeyResultLink>> links;
  if (*stored.alignment) links = LinksOf(**stored.alignment);
  auto alignment = domain::AlignmentValue(links, objectives);
  if (!alignment.ok()) return skip(alignment.status());
  if (!stored.score_version.ok()) return stored.score_version.status();
  if (!stored.snapshot.ok()) return skip(stored.snapshot.status());
  const auto& snapshot = *stored.snapshot;
  auto explained = rescore.Add(ScoringInputsOf(snapshot), *alignment);
  if (!explained.ok()) return skip(explained.status());
  store::RescoredScore rescored{UnscoredScore(snapshot), domain::NextScoreVersion(*stored.score_version)};
  rescored.score.set_portfolio_id(portfolio_id);
  if (*explained) FillScore(**explained, model->version(), rescored.score);
  scores.push_back(std::move(rescored));
  return absl::OkStatus();
}

}  // namespace

absl::Status Rescoring::RescoreIfPending(const std::string& portfolio_id, const CallContext& ctx) {
  // One full re-score per portfolio at a time: another caller (the model change, an
  // objective change, the worker, another replica) leaves it to the running one, which
  // starts again from whatever changed meanwhile.
  auto owner = rescores_.TakeRescoreLease(portfolio_id);
  if (!owner.ok()) return owner.status();
  if (!*owner) return absl::OkStatus();
  // ABORTED: scores, priorities or the model moved under it; start again from them. The
  // pending mark is cleared by the swap itself, so a change after the read keeps it set.
  auto result = RetryOnRace([&] { return RescorePortfolio(portfolio_id, ctx); }, 6).status();
  rescores_.ReleaseRescoreLease(portfolio_id, **owner);
  return result;
}

absl::Status Rescoring::DrainPendingRescores() {
  auto pending = rescores_.PendingRescores();
  if (!pending.ok()) return pending.status();
  absl::Status first;
  for (const auto& portfolio_id : *pending) {
    auto s = RescoreIfPending(portfolio_id, {NewUuid(), ""});
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

absl::StatusOr<int> Rescoring::RescorePortfolio(const std::string& portfolio_id, const CallContext& ctx) {
  // Everything at once: load every snapshot in pipelines, score and rank in memory,
  // build the new ranking aside and swap it in with one atomic step, so readers see the
  // old ranking or the new one, never a mix.
  auto model = models_.LoadModel(portfolio_id);
  if (!model.ok()) return model.status();
  const v1::ScoringModel* current = *model ? &**model : nullptr;
  const std::optional<int64_t> model_version = current ? std::optional<int64_t>(current->version()) : std::nullopt;
  // Incremental score writes change the generation; the re-score's writes only land if
  // none did while it was computed, so nothing newer is overwritten.
  auto generation = rescores_.ScoreGeneration(portfolio_id);
  if (!generation.ok()) return generation.status();
  auto ids = rescores_.InitiativeIds(portfolio_id);
  if (!ids.ok()) return ids.status();
  std::optional<domain::Scorer> scorer;
  if (current) {
    auto created = domain::Scorer::Create(ToDomain(*current));
    if (!created.ok()) return created.status();
    scorer.emplace(std::move(*created));
  }
  auto objectives = read_models_.LoadObjectives(portfolio_id);
  if (!objectives.ok()) return objectives.status();

  domain::PortfolioRescore rescore(scorer ? &*scorer : nullptr);
  std::vector<store::RescoredScore> scores;
  scores.reserve(ids->size());
  auto loaded = rescores_.VisitInitiatives(portfolio_id, *ids, [&](store::StoredInitiative& stored) {
    return ScoreStored(stored, portfolio_id, *objectives, current, rescore, scores);
  });
  if (!loaded.ok()) return loaded;
  auto ranking = rescore.Rank();
  if (!ranking.ok()) return ranking.status();
  for (auto& rescored : scores) rescored.score.set_rank(ranking->RankOf(rescored.score.initiative_id()));

  auto rebuild = rescores_.BuildRankingAside(portfolio_id, rescore.ranked_inputs());
  if (!rebuild.ok()) return rebuild.status();
  // Scores and their InitiativeScored events first. Until the swap below, readers see
  // new scores beside the old ranking; the ranking is the old one or the new one.
  auto written = rescores_.CommitRescoredScores(
      portfolio_id, *generation, scores, [&](const v1::InitiativeScore& score, int64_t version) {
        v1::InitiativeScored scored;
        *scored.mutable_score() = score;
        // The score's own version: re-scores are newer than the last score even though
        // the intake snapshot is the same.
        return ScoringEvent(scored, score.initiative_id(), portfolio_id, version, ctx, clock_);
      });
  if (!written.ok()) return written;
  // Swap the ranking in and announce the new positions.
  std::vector<OutboxEvent> announced;
  for (const auto& moves : domain::FullRerankMoves(ranking->entries(), kMovesPerEvent)) {
    v1::RankingChanged changed;
    changed.set_portfolio_id(portfolio_id);
    changed.set_model_version(model_version.value_or(0));
    for (const auto& move : moves) *changed.add_moves() = ToProto(move);
    announced.push_back(ScoringEvent(changed, portfolio_id, portfolio_id, changed.model_version(), ctx, clock_));
  }
  auto swapped = rescores_.SwapRanking(*rebuild, *generation, model_version, std::move(announced));
  if (!swapped.ok()) return swapped;
  metrics_.Scored(static_cast<double>(scores.size()));
  return static_cast<int>(scores.size());
}

}  // namespace pmo::scoring::app
