// The model, the read models, incremental scores and the ranking, and scenarios in
// Redis. The full re-score's reads and writes are in redis_rescore.cpp.
#include "services/scoring/store/redis_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/scoring/domain/rank_key.h"
#include "services/scoring/store/keys.h"
#include "pmo/base/errors.h"

namespace pmo::scoring::store {
namespace {
namespace iv1 = ::pmo::intake::v1;

// A protobuf message stored in a hash field; nullopt when absent.
template <typename T>
absl::StatusOr<std::optional<T>> HGetMessage(RedisPool& redis, const std::string& key, const std::string& field,
                                             const std::string& what) {
  auto r = redis.Command({"HGET", key, field});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<T>();
  auto parsed = ParseStored<T>(r->str(), what);
  if (!parsed.ok()) return parsed.status();
  return std::optional<T>(std::move(*parsed));
}

absl::StatusOr<std::optional<std::string>> HGetText(RedisPool& redis, const std::string& key, const std::string& field) {
  auto r = redis.Command({"HGET", key, field});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<std::string>();
  return std::optional<std::string>(std::string(r->str()));
}

absl::StatusOr<std::vector<std::string>> Strings(RedisPool& redis, const RedisArgs& command) {
  auto r = redis.Command(command);
  if (!r.ok()) return r.status();
  std::vector<std::string> out;
  out.reserve(r->size());
  for (size_t i = 0; i < r->size(); ++i) out.emplace_back(r->at(i).str());
  return out;
}

// A version guard's expected text: "" stands for "absent" (version 0).
std::string VersionText(int64_t version) { return version == 0 ? "" : std::to_string(version); }

void PublishAll(AtomicWrite& w, std::vector<OutboxEvent>& events) {
  for (auto& e : events) w.Publish(std::move(e));
}

// Stores a new intake snapshot if it is newer than the stored one (skips the whole write
// otherwise), and indexes the initiative under its portfolio.
void StoreSnapshotIfNewer(AtomicWrite& w, const iv1::Initiative& snapshot) {
  const auto key = keys::Initiative(snapshot.portfolio_id(), snapshot.id());
  w.SkipUnlessNewer(key, "version", snapshot.version())
      .Command({"HSET", key, "version", std::to_string(snapshot.version()), "data", snapshot.SerializeAsString()})
      .Command({"SADD", keys::Initiatives(snapshot.portfolio_id()), snapshot.id()})
      .Command({"HSET", keys::kInitiativePortfolio, snapshot.id(), snapshot.portfolio_id()});
}

}  // namespace

// ---- model -------------------------------------------------------------------------

absl::StatusOr<std::optional<v1::ScoringModel>> RedisScoringStore::LoadModel(const std::string& portfolio_id) {
  return HGetMessage<v1::ScoringModel>(redis_, keys::Model(portfolio_id), "data", "scoring model");
}

absl::Status RedisScoringStore::SaveModel(const v1::ScoringModel& model, int64_t expected_version,
                                          std::vector<OutboxEvent> events) {
  const std::string& pid = model.portfolio_id();
  AtomicWrite w;
  w.ExpectField(keys::Model(pid), "version", VersionText(expected_version), absl::StatusCode::kAborted,
                "scoring model of " + pid + " changed concurrently")
      .Command({"HSET", keys::Model(pid), "version", std::to_string(model.version()), "data", model.SerializeAsString()})
      // Committed with the model: the portfolio must be re-scored under it, and stays
      // marked until that has happened (the re-score worker retries a failed one).
      .Command({"SADD", keys::kRescorePending, pid});
  PublishAll(w, events);
  return outbox_.Commit(w).status();
}

// ---- read models ---------------------------------------------------------------------

absl::StatusOr<WriteResult> RedisScoringStore::SavePortfolio(const iv1::Portfolio& portfolio) {
  AtomicWrite w;
  w.SkipUnlessNewer(keys::Portfolio(portfolio.id()), "version", portfolio.version())
      .Command({"HSET", keys::Portfolio(portfolio.id()), "version", std::to_string(portfolio.version()), "data",
                portfolio.SerializeAsString()});
  return outbox_.Commit(w);
}

absl::StatusOr<std::optional<iv1::Portfolio>> RedisScoringStore::LoadPortfolio(const std::string& portfolio_id) {
  auto r = redis_.Command({"HGET", keys::Portfolio(portfolio_id), "data"});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<iv1::Portfolio>();
  // Read leniently, as scenarios always have: what decodes of it is used.
  iv1::Portfolio portfolio;
  portfolio.ParseFromString(std::string(r->str()));
  return std::optional<iv1::Portfolio>(std::move(portfolio));
}

absl::StatusOr<WriteResult> RedisScoringStore::SaveAlignment(const okr::v1::AlignmentChanged& alignment) {
  const auto key = keys::Alignment(alignment.portfolio_id(), alignment.initiative_id());
  AtomicWrite w;
  w.SkipUnlessNewer(key, "version", alignment.version())
      .Command({"HSET", key, "version", std::to_string(alignment.version()), "data", alignment.SerializeAsString()});
  return outbox_.Commit(w);
}

absl::StatusOr<std::optional<okr::v1::AlignmentChanged>> RedisScoringStore::LoadAlignment(
    const std::string& portfolio_id, const std::string& initiative_id) {
  return HGetMessage<okr::v1::AlignmentChanged>(redis_, keys::Alignment(portfolio_id, initiative_id), "data",
                                                "alignment");
}

absl::StatusOr<WriteResult> RedisScoringStore::SaveObjectivePriority(const std::string& portfolio_id,
                                                                     const std::string& objective_id, int64_t version,
                                                                     double effective_priority) {
  AtomicWrite w;
  const auto key = keys::Objective(portfolio_id, objective_id);
  w.SkipUnlessNewer(key, "version", version)
      .Command({"HSET", key, "version", std::to_string(version)})
      .Command({"HSET", keys::Objectives(portfolio_id), objective_id, absl::StrCat(effective_priority)})
      // A re-score running now read the old priorities: this makes its swap abort.
      .Command({"HINCRBY", keys::Writes(portfolio_id), "count", "1"})
      .Command({"SADD", keys::kRescorePending, portfolio_id});
  return outbox_.Commit(w);
}

absl::StatusOr<std::vector<domain::ObjectivePriority>> RedisScoringStore::LoadObjectives(
    const std::string& portfolio_id) {
  auto r = redis_.Command({"HGETALL", keys::Objectives(portfolio_id)});
  if (!r.ok()) return r.status();
  std::vector<domain::ObjectivePriority> out;
  for (size_t i = 0; i + 1 < r->size(); i += 2) {
    double priority = 0;
    if (!absl::SimpleAtod(AbslView(r->at(i + 1).str()), &priority)) continue;
    out.push_back({std::string(r->at(i).str()), priority});
  }
  return out;
}

absl::StatusOr<WriteResult> RedisScoringStore::SaveBenefitValue(const std::string& portfolio_id,
                                                                const std::string& benefit_id,
                                                                const std::string& initiative_id, int64_t version,
                                                                std::optional<double> expected_value) {
  AtomicWrite w;
  const auto key = keys::Benefit(portfolio_id, benefit_id);
  w.SkipUnlessNewer(key, "version", version).Command({"HSET", key, "version", std::to_string(version)});
  const auto per_initiative = keys::InitiativeBenefits(portfolio_id, initiative_id);
  if (!expected_value) w.Command({"HDEL", per_initiative, benefit_id});
  else w.Command({"HSET", per_initiative, benefit_id, absl::StrCat(*expected_value)});
  return outbox_.Commit(w);
}

// ---- scores and the ranking ----------------------------------------------------------

absl::StatusOr<ScoreState> RedisScoringStore::LoadScoreState(const std::string& portfolio_id,
                                                             const std::string& initiative_id) {
  auto reads = redis_.Pipeline({{"HGET", keys::RankKeys(portfolio_id), initiative_id},
                                {"HGET", keys::Score(portfolio_id, initiative_id), "version"},
                                {"HGET", keys::Initiative(portfolio_id, initiative_id), "data"}});
  if (!reads.ok()) return reads.status();
  ScoreState state;
  if (!(*reads)[0].is_nil()) state.rank_key = std::string((*reads)[0].str());
  auto version = StoredInt((*reads)[1].view());
  if (!version.ok()) return version.status();
  state.score_version = *version;
  if (!(*reads)[2].is_nil()) {
    auto before = ParseStored<iv1::Initiative>((*reads)[2].str(), "initiative");
    if (before.ok()) state.snapshot = std::move(*before);
  }
  return state;
}

absl::StatusOr<int64_t> RedisScoringStore::CountRankedBefore(const std::string& portfolio_id,
                                                             const std::string& rank_key) {
  auto r = redis_.Command({"ZLEXCOUNT", keys::Ranking(portfolio_id), "-", "(" + rank_key});
  if (!r.ok()) return r.status();
  return static_cast<int64_t>(r->integer());
}

absl::StatusOr<WriteResult> RedisScoringStore::SaveSnapshot(const iv1::Initiative& snapshot) {
  AtomicWrite w;
  StoreSnapshotIfNewer(w, snapshot);
  return outbox_.Commit(w);
}

absl::StatusOr<WriteResult> RedisScoringStore::CommitScore(const ScoreWrite& write) {
  const iv1::Initiative& snapshot = *write.snapshot;
  const std::string& pid = snapshot.portfolio_id();
  const std::string& id = snapshot.id();
  AtomicWrite w;
  if (write.rescore_of_stored) {
    w.ExpectField(keys::Initiative(pid, id), "version", std::to_string(snapshot.version()), absl::StatusCode::kAborted,
                  "initiative " + id + " changed while it was re-scored");
  } else {
    StoreSnapshotIfNewer(w, snapshot);
  }
  // What this write was computed from must still hold when it commits: the ranking
  // member it replaces, the score version it follows and the model it used.
  w.ExpectField(keys::RankKeys(pid), id, write.before.rank_key, absl::StatusCode::kAborted,
                "ranking of " + id + " changed concurrently")
      .ExpectField(keys::Score(pid, id), "version", VersionText(write.before.score_version), absl::StatusCode::kAborted,
                   "score of " + id + " changed concurrently")
      .ExpectField(keys::Model(pid), "version", write.model_version ? std::to_string(*write.model_version) : "",
                   absl::StatusCode::kAborted, "scoring model of " + pid + " changed concurrently")
      .Command({"HINCRBY", keys::Writes(pid), "count", "1"});
  if (!write.before.rank_key.empty())
    w.Command({"ZREM", keys::Ranking(pid), write.before.rank_key}).Command({"HDEL", keys::RankKeys(pid), id});
  if (!write.new_rank_key.empty())
    w.Command({"ZADD", keys::Ranking(pid), "0", write.new_rank_key})
        .Command({"HSET", keys::RankKeys(pid), id, write.new_rank_key});
  w.Command({"HSET", keys::Score(pid, id), "version", std::to_string(write.new_score_version), "data",
             write.score->SerializeAsString()});
  for (const auto& e : write.events) w.Publish(e);
  return outbox_.Commit(w);
}

absl::StatusOr<std::optional<iv1::Initiative>> RedisScoringStore::LoadInitiative(const std::string& portfolio_id,
                                                                                const std::string& initiative_id) {
  return HGetMessage<iv1::Initiative>(redis_, keys::Initiative(portfolio_id, initiative_id), "data", "initiative");
}

absl::StatusOr<std::optional<std::string>> RedisScoringStore::PortfolioOf(const std::string& initiative_id) {
  return HGetText(redis_, keys::kInitiativePortfolio, initiative_id);
}

absl::StatusOr<std::optional<v1::InitiativeScore>> RedisScoringStore::LoadScore(const std::string& portfolio_id,
                                                                                const std::string& initiative_id) {
  return HGetMessage<v1::InitiativeScore>(redis_, keys::Score(portfolio_id, initiative_id), "data", "score");
}

absl::StatusOr<std::optional<std::string>> RedisScoringStore::RankKeyOf(const std::string& portfolio_id,
                                                                        const std::string& initiative_id) {
  return HGetText(redis_, keys::RankKeys(portfolio_id), initiative_id);
}

absl::StatusOr<int64_t> RedisScoringStore::RankingSize(const std::string& portfolio_id) {
  auto r = redis_.Command({"ZCARD", keys::Ranking(portfolio_id)});
  if (!r.ok()) return r.status();
  return static_cast<int64_t>(r->integer());
}

absl::StatusOr<std::vector<std::optional<v1::InitiativeScore>>> RedisScoringStore::RankingPage(
    const std::string& portfolio_id, int64_t offset, int count) {
  auto members = redis_.Command(
      {"ZRANGE", keys::Ranking(portfolio_id), std::to_string(offset), std::to_string(offset + count - 1)});
  if (!members.ok()) return members.status();
  std::vector<std::optional<v1::InitiativeScore>> out;
  if (members->size() == 0) return out;
  std::vector<RedisArgs> cmds;
  cmds.reserve(members->size());
  for (size_t i = 0; i < members->size(); ++i)
    cmds.push_back({"HGET", keys::Score(portfolio_id, std::string(domain::IdOfRankKey(members->at(i).str()))), "data"});
  auto scores = redis_.Pipeline(cmds);
  if (!scores.ok()) return scores.status();
  out.reserve(scores->size());
  for (auto& reply : *scores) {
    if (reply.is_nil()) {
      out.emplace_back();
      continue;
    }
    auto s = ParseStored<v1::InitiativeScore>(reply.str(), "score");
    if (!s.ok()) return s.status();
    out.emplace_back(std::move(*s));
  }
  return out;
}

// ---- scenarios -----------------------------------------------------------------------

absl::StatusOr<std::vector<ScenarioRow>> RedisScoringStore::LoadScenarioRows(const std::string& portfolio_id) {
  auto ids = Strings(redis_, {"SMEMBERS", keys::Initiatives(portfolio_id)});
  if (!ids.ok()) return ids.status();
  std::vector<ScenarioRow> rows;
  if (ids->empty()) return rows;
  std::vector<RedisArgs> cmds;
  for (const auto& id : *ids) {
    cmds.push_back({"HGET", keys::Initiative(portfolio_id, id), "data"});
    cmds.push_back({"HGET", keys::Score(portfolio_id, id), "data"});
    cmds.push_back({"HVALS", keys::InitiativeBenefits(portfolio_id, id)});
  }
  auto replies = redis_.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < ids->size(); ++i) {
    const auto& data = (*replies)[3 * i];
    const auto& score = (*replies)[3 * i + 1];
    const auto& registered = (*replies)[3 * i + 2];
    if (data.is_nil()) continue;
    ScenarioRow row;
    if (!row.snapshot.ParseFromString(std::string(data.str())))
      return absl::DataLossError("stored initiative does not decode");
    if (!score.is_nil()) {
      v1::InitiativeScore s;
      if (s.ParseFromString(std::string(score.str()))) row.score = s.score();
    }
    if (registered.size() > 0) {
      double sum = 0;
      for (size_t k = 0; k < registered.size(); ++k) {
        double value = 0;
        if (absl::SimpleAtod(AbslView(registered.at(k).str()), &value)) sum += value;
      }
      row.registered_benefit = sum;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::Status RedisScoringStore::SaveScenario(const v1::Scenario& scenario, int64_t created_at_unix_ms,
                                             std::vector<OutboxEvent> events) {
  AtomicWrite w;
  w.Command({"SET", keys::Scenario(scenario.portfolio_id(), scenario.scenario_id()), scenario.SerializeAsString()})
      .Command({"ZADD", keys::Scenarios(scenario.portfolio_id()), std::to_string(created_at_unix_ms),
                scenario.scenario_id()})
      .Command({"HSET", keys::kScenarioPortfolio, scenario.scenario_id(), scenario.portfolio_id()});
  PublishAll(w, events);
  return outbox_.Commit(w).status();
}

absl::StatusOr<std::optional<v1::Scenario>> RedisScoringStore::LoadScenario(const std::string& scenario_id) {
  auto pid = HGetText(redis_, keys::kScenarioPortfolio, scenario_id);
  if (!pid.ok()) return pid.status();
  if (!*pid) return std::optional<v1::Scenario>();
  auto data = redis_.Command({"GET", keys::Scenario(**pid, scenario_id)});
  if (!data.ok()) return data.status();
  if (data->is_nil()) return std::optional<v1::Scenario>();
  auto scenario = ParseStored<v1::Scenario>(data->str(), "scenario");
  if (!scenario.ok()) return scenario.status();
  return std::optional<v1::Scenario>(std::move(*scenario));
}

absl::StatusOr<std::vector<std::string>> RedisScoringStore::ScenarioIds(const std::string& portfolio_id) {
  return Strings(redis_, {"ZRANGE", keys::Scenarios(portfolio_id), "0", "-1"});
}

}  // namespace pmo::scoring::store
