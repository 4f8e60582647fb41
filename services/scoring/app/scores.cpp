#include "services/scoring/app/scores.h"

#include <optional>
#include <set>
#include <vector>

#include "absl/strings/numbers.h"
#include "services/scoring/app/convert.h"
#include "services/scoring/domain/rank_key.h"
#include "services/scoring/domain/rescoring.h"
#include "pmo/base/errors.h"
#include "pmo/common/use_cases.h"
#include "pmo/scoring/v1/events.pb.h"

namespace pmo::scoring::app {
namespace iv1 = ::pmo::intake::v1;

absl::Status Scores::Score(const iv1::Initiative& snapshot, const v1::ScoringModel* model, bool rescore_of_stored,
                           const CallContext& ctx) {
  const std::string& pid = snapshot.portfolio_id();
  const std::string& id = snapshot.id();
  auto state = scores_.LoadScoreState(pid, id);
  if (!state.ok()) return state.status();
  if (!rescore_of_stored && state->score_version > 0 && state->snapshot &&
      SameScoringInputs(*state->snapshot, snapshot)) {
    // A new snapshot whose scoring inputs did not change (a progress report, a new
    // description): stored, but its score, rank and events stand as they are.
    return scores_.SaveSnapshot(snapshot).status();
  }
  int old_rank = domain::kNotRanked;
  if (!state->rank_key.empty()) {
    auto before = scores_.CountRankedBefore(pid, state->rank_key);
    if (!before.ok()) return before.status();
    old_rank = domain::RankAt(*before);
  }

  store::ScoreWrite write;
  write.snapshot = &snapshot;
  write.rescore_of_stored = rescore_of_stored;
  write.model_version = model ? std::optional<int64_t>(model->version()) : std::nullopt;
  write.new_score_version = domain::NextScoreVersion(state->score_version);
  v1::InitiativeScore score = UnscoredScore(snapshot);
  int new_rank = domain::kNotRanked;
  if (model && InPlay(snapshot.stage())) {
    auto scorer = domain::Scorer::Create(ToDomain(*model));
    if (!scorer.ok()) return scorer.status();
    // Strategic alignment is computed from okr's links and objective priorities, never
    // typed in; while okr has said nothing of the initiative it counts as missing.
    auto objectives = read_models_.LoadObjectives(pid);
    if (!objectives.ok()) return objectives.status();
    auto stored_alignment = read_models_.LoadAlignment(pid, id);
    if (!stored_alignment.ok()) return stored_alignment.status();
    std::optional<std::vector<domain::KeyResultLink>> links;
    if (*stored_alignment) links = LinksOf(**stored_alignment);
    auto alignment = domain::AlignmentValue(links, *objectives);
    if (!alignment.ok()) return alignment.status();
    const domain::ScoringInputs inputs = ScoringInputsOf(snapshot);
    auto explained = domain::ScoreInitiative(&*scorer, inputs, *alignment);
    if (!explained.ok()) return explained.status();
    FillScore(**explained, model->version(), score);
    write.new_rank_key = domain::RankKey(domain::RankInputOf(inputs, **explained));
    auto before_new = scores_.CountRankedBefore(pid, write.new_rank_key);
    if (!before_new.ok()) return before_new.status();
    new_rank = domain::RankAfterMove(*before_new, state->rank_key, write.new_rank_key);
    score.set_rank(new_rank);
  }
  write.before = std::move(*state);
  write.score = &score;

  v1::InitiativeScored scored;
  *scored.mutable_score() = score;
  // The score's own version: re-scores after a model or alignment change are newer
  // than the last score even though the intake snapshot is the same.
  write.events.push_back(ScoringEvent(scored, id, pid, write.new_score_version, ctx, clock_));
  if (auto move = domain::IncrementalMove(id, old_rank, new_rank)) {
    v1::RankingChanged changed;
    changed.set_portfolio_id(pid);
    changed.set_model_version(model ? model->version() : 0);
    *changed.add_moves() = ToProto(*move);
    write.events.push_back(ScoringEvent(changed, pid, pid, 0, ctx, clock_));
  }
  // A concurrent re-score or model change makes this ABORTED, and the consumer retries.
  auto r = scores_.CommitScore(write);
  if (!r.ok()) return r.status();
  if (*r == WriteResult::kApplied) metrics_.Scored();
  return absl::OkStatus();
}

absl::StatusOr<v1::GetRankingResponse> Scores::GetRanking(const v1::GetRankingRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto size = PageSize(req.page(), kDefaultPageSize, kMaxPageSize);
  if (!size.ok()) return size.status();
  int64_t offset = 0;
  if (!req.page().page_token().empty() && (!absl::SimpleAtoi(req.page().page_token(), &offset) || offset < 0))
    return InvalidArgument("invalid page", {{"page.page_token", "is not a token this service issued"}});
  std::set<std::string> stages(req.stages().begin(), req.stages().end());
  v1::GetRankingResponse out;
  const auto& pid = req.portfolio_id();
  auto total = scores_.RankingSize(pid);
  if (!total.ok()) return total.status();
  out.mutable_page()->set_total_size(*total);
  while (out.entries_size() < *size) {
    auto page = scores_.RankingPage(pid, offset, *size);
    if (!page.ok()) return page.status();
    if (page->empty()) return out;
    for (auto& s : *page) {
      ++offset;
      if (!s) continue;
      s->set_rank(static_cast<int>(offset));  // the position now, whatever it was when scored
      if (!stages.empty() && !stages.contains(s->stage())) continue;
      *out.add_entries() = std::move(*s);
      if (out.entries_size() == *size) break;
    }
    if (offset < *total && out.entries_size() == *size) {
      out.mutable_page()->set_next_page_token(std::to_string(offset));
      return out;
    }
    if (offset >= *total) return out;
  }
  return out;
}

absl::StatusOr<v1::InitiativeScore> Scores::ExplainScore(const v1::ExplainScoreRequest& req) {
  if (req.initiative_id().empty()) return InvalidArgument("invalid request", {{"initiative_id", "is required"}});
  auto pid = scores_.PortfolioOf(req.initiative_id());
  if (!pid.ok()) return pid.status();
  if (!*pid) return absl::NotFoundError("initiative " + req.initiative_id() + " is not known to scoring");
  const std::string& p = **pid;
  auto s = scores_.LoadScore(p, req.initiative_id());
  if (!s.ok()) return s.status();
  if (!*s) return absl::NotFoundError("initiative " + req.initiative_id() + " has no score yet");
  if ((*s)->model_version() == 0) {  // scored before any model existed
    auto model = models_.LoadModel(p);
    if (!model.ok()) return model.status();
    if (!*model) return absl::FailedPreconditionError("portfolio " + p + " has no scoring model yet");
  }
  auto key = scores_.RankKeyOf(p, req.initiative_id());
  if (key.ok() && *key) {
    auto before = scores_.CountRankedBefore(p, **key);
    if (before.ok()) (*s)->set_rank(domain::RankAt(*before));
  } else {
    (*s)->set_rank(0);
  }
  return **s;
}

}  // namespace pmo::scoring::app
