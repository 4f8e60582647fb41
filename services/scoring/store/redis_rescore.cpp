// The full re-score's reads and writes: the lease, the pending marks, pipelined reads of
// every initiative, the ranking built aside, batched score writes and the atomic swap.
#include "services/scoring/domain/rank_key.h"
#include "services/scoring/store/keys.h"
#include "services/scoring/store/redis_store.h"
#include "pmo/common/clock.h"

namespace pmo::scoring::store {
namespace {

absl::StatusOr<std::vector<std::string>> Members(RedisPool& redis, const std::string& set) {
  auto r = redis.Command({"SMEMBERS", set});
  if (!r.ok()) return r.status();
  std::vector<std::string> out;
  out.reserve(r->size());
  for (size_t i = 0; i < r->size(); ++i) out.emplace_back(r->at(i).str());
  return out;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> RedisScoringStore::TakeRescoreLease(const std::string& portfolio_id) {
  std::string owner = NewUuid();
  auto got = redis_.Command({"SET", keys::RescoreLease(portfolio_id), owner, "NX", "PX", "300000"});
  if (!got.ok()) return got.status();
  if (got->is_nil()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(owner));
}

void RedisScoringStore::ReleaseRescoreLease(const std::string& portfolio_id, const std::string& owner) {
  const std::string lease = keys::RescoreLease(portfolio_id);
  // Only our own: a lease that expired meanwhile may be another re-score's now.
  if (auto held = redis_.Command({"GET", lease}); held.ok() && !held->is_nil() && held->str() == owner)
    redis_.Command({"DEL", lease}).IgnoreError();
}

absl::StatusOr<std::vector<std::string>> RedisScoringStore::PendingRescores() {
  return Members(redis_, keys::kRescorePending);
}

absl::StatusOr<std::string> RedisScoringStore::ScoreGeneration(const std::string& portfolio_id) {
  auto writes = redis_.Command({"HGET", keys::Writes(portfolio_id), "count"});
  if (!writes.ok()) return writes.status();
  return writes->is_nil() ? std::string() : std::string(writes->str());
}

absl::StatusOr<std::vector<std::string>> RedisScoringStore::InitiativeIds(const std::string& portfolio_id) {
  return Members(redis_, keys::Initiatives(portfolio_id));
}

absl::Status RedisScoringStore::VisitInitiatives(const std::string& portfolio_id, const std::vector<std::string>& ids,
                                                 const Visit& visit) {
  for (size_t from = 0; from < ids.size(); from += kRescoreBatch) {
    std::vector<RedisArgs> cmds;
    for (size_t i = from; i < std::min(ids.size(), from + kRescoreBatch); ++i) {
      cmds.push_back({"HGET", keys::Initiative(portfolio_id, ids[i]), "data"});
      cmds.push_back({"HGET", keys::Alignment(portfolio_id, ids[i]), "data"});
      cmds.push_back({"HGET", keys::Score(portfolio_id, ids[i]), "version"});
    }
    auto replies = redis_.Pipeline(cmds);
    if (!replies.ok()) return replies.status();
    for (size_t j = 0; j + 2 < replies->size(); j += 3) {
      const auto& data = (*replies)[j];
      if (data.is_nil()) continue;
      const auto& alignment = (*replies)[j + 1];
      StoredInitiative stored{
          .snapshot = ParseStored<intake::v1::Initiative>(data.str(), "initiative"),
          .alignment = std::optional<okr::v1::AlignmentChanged>(),
          .score_version = StoredInt((*replies)[j + 2].view()),
      };
      if (!alignment.is_nil()) {
        auto parsed = ParseStored<okr::v1::AlignmentChanged>(alignment.str(), "alignment");
        if (parsed.ok()) stored.alignment = std::optional<okr::v1::AlignmentChanged>(std::move(*parsed));
        else stored.alignment = parsed.status();
      }
      if (auto s = visit(stored); !s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<RankingRebuild> RedisScoringStore::BuildRankingAside(const std::string& portfolio_id,
                                                                    const std::vector<domain::RankInput>& ranked) {
  RankingRebuild rebuild{portfolio_id, NewUuid(), ranked.empty()};
  const std::string tmp_ranking = keys::RankingRebuild(portfolio_id, rebuild.run);
  const std::string tmp_keys = keys::RankKeysRebuild(portfolio_id, rebuild.run);
  if (auto r = redis_.Command({"DEL", tmp_ranking, tmp_keys}); !r.ok()) return r.status();
  for (size_t from = 0; from < ranked.size(); from += kRescoreBatch) {
    RedisArgs zadd = {"ZADD", tmp_ranking};
    RedisArgs hset = {"HSET", tmp_keys};
    for (size_t i = from; i < std::min(ranked.size(), from + kRescoreBatch); ++i) {
      std::string member = domain::RankKey(ranked[i]);
      zadd.push_back("0");
      zadd.push_back(member);
      hset.push_back(ranked[i].id);
      hset.push_back(std::move(member));
    }
    // Left behind only if this process dies before the swap: they expire.
    auto r = redis_.PipelineEach({zadd, hset, {"EXPIRE", tmp_ranking, "3600"}, {"EXPIRE", tmp_keys, "3600"}});
    if (!r.ok()) return r.status();
    for (auto& x : *r)
      if (!x.ok()) return x.status();
  }
  return rebuild;
}

absl::Status RedisScoringStore::CommitRescoredScores(const std::string& portfolio_id, const std::string& generation,
                                                     const std::vector<RescoredScore>& scores,
                                                     const ScoreEvent& event_of) {
  for (size_t from = 0; from < scores.size(); from += kRescoreBatch) {
    AtomicWrite w;
    w.ExpectField(keys::Writes(portfolio_id), "count", generation, absl::StatusCode::kAborted,
                  "scores of " + portfolio_id + " changed during the re-score");
    for (size_t i = from; i < std::min(scores.size(), from + kRescoreBatch); ++i) {
      const auto& [score, version] = scores[i];
      w.Command({"HSET", keys::Score(portfolio_id, score.initiative_id()), "version", std::to_string(version), "data",
                 score.SerializeAsString()});
      w.Publish(event_of(score, version));
    }
    if (auto r = outbox_.Commit(w); !r.ok()) return r.status();
  }
  return absl::OkStatus();
}

absl::Status RedisScoringStore::SwapRanking(const RankingRebuild& rebuild, const std::string& generation,
                                            std::optional<int64_t> model_version, std::vector<OutboxEvent> events) {
  const std::string& pid = rebuild.portfolio_id;
  const std::string tmp_ranking = keys::RankingRebuild(pid, rebuild.run);
  const std::string tmp_keys = keys::RankKeysRebuild(pid, rebuild.run);
  AtomicWrite swap;
  swap.ExpectField(keys::Writes(pid), "count", generation, absl::StatusCode::kAborted,
                   "scores of " + pid + " changed during the re-score")
      .ExpectField(keys::Model(pid), "version", model_version ? std::to_string(*model_version) : "",
                   absl::StatusCode::kAborted, "scoring model of " + pid + " changed during the re-score");
  if (rebuild.empty) {
    swap.Command({"DEL", keys::Ranking(pid)}).Command({"DEL", keys::RankKeys(pid)});
  } else {
    swap.Command({"RENAME", tmp_ranking, keys::Ranking(pid)})
        .Command({"RENAME", tmp_keys, keys::RankKeys(pid)})
        .Command({"PERSIST", keys::Ranking(pid)})  // RENAME keeps the rebuild's TTL
        .Command({"PERSIST", keys::RankKeys(pid)});
  }
  swap.Command({"SREM", keys::kRescorePending, pid});
  for (auto& e : events) swap.Publish(std::move(e));
  if (auto r = outbox_.Commit(swap); !r.ok()) {
    redis_.Command({"DEL", tmp_ranking, tmp_keys}).IgnoreError();
    return r.status();
  }
  return absl::OkStatus();
}

}  // namespace pmo::scoring::store
