#include "services/okr/store/okr_store.h"

#include "services/okr/store/keys.h"

namespace pmo::okr::store {

namespace {

template <typename T, typename Reply>
absl::StatusOr<std::optional<T>> ParseOptional(const Reply& r, const std::string& what) {
  if (r.is_nil()) return std::optional<T>();
  auto parsed = ParseStored<T>(r.str(), what);
  if (!parsed.ok()) return parsed.status();
  return std::optional<T>(std::move(*parsed));
}

// The values of an HGETALL reply (field, value, field, value, ...).
template <typename T>
absl::Status ParseValues(const RedisReply& r, const std::string& what, std::vector<T>& out) {
  out.reserve(r.size() / 2);
  for (size_t i = 1; i < r.size(); i += 2) {
    auto parsed = ParseStored<T>(r.at(i).str(), what + " " + std::string(r.at(i - 1).str()));
    if (!parsed.ok()) return parsed.status();
    out.push_back(std::move(*parsed));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<std::string>> OkrStore::PortfolioOf(const char* index, const std::string& id) {
  const std::string cache_key = std::string(index) + "|" + id;
  {
    std::lock_guard lock(mu_);
    if (auto it = portfolio_of_.find(cache_key); it != portfolio_of_.end()) return std::optional(it->second);
  }
  auto r = redis_.Command({"HGET", index, id});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<std::string>();
  std::string p(r->str());
  std::lock_guard lock(mu_);
  if (portfolio_of_.size() > 200'000) portfolio_of_.clear();  // bounded; refilled on demand
  portfolio_of_[cache_key] = p;
  return std::optional(p);
}

absl::StatusOr<std::optional<std::string>> OkrStore::PortfolioOfObjective(const std::string& id) {
  return PortfolioOf(keys::kObjectivePortfolio, id);
}
absl::StatusOr<std::optional<std::string>> OkrStore::PortfolioOfKeyResult(const std::string& id) {
  return PortfolioOf(keys::kKeyResultPortfolio, id);
}
absl::StatusOr<std::optional<std::string>> OkrStore::PortfolioOfInitiative(const std::string& id) {
  return PortfolioOf(keys::kInitiativePortfolio, id);
}

absl::StatusOr<std::optional<v1::Objective>> OkrStore::GetObjective(const std::string& p, const std::string& id) {
  auto r = redis_.Command({"HGET", keys::Objectives(p), id});
  if (!r.ok()) return r.status();
  return ParseOptional<v1::Objective>(*r, "objective " + id);
}

absl::StatusOr<std::optional<v1::KeyResult>> OkrStore::GetKeyResult(const std::string& p, const std::string& id) {
  auto r = redis_.Command({"HGET", keys::KeyResults(p), id});
  if (!r.ok()) return r.status();
  return ParseOptional<v1::KeyResult>(*r, "key result " + id);
}

absl::StatusOr<std::pair<std::optional<v1::KeyResult>, bool>> OkrStore::KeyResultAndSeen(
    const std::string& p, const std::string& id, const std::string& source_id) {
  auto r = redis_.Pipeline({{"HGET", keys::KeyResults(p), id}, {"HEXISTS", keys::CheckIns(p, id), source_id}});
  if (!r.ok()) return r.status();
  auto kr = ParseOptional<v1::KeyResult>((*r)[0], "key result " + id);
  if (!kr.ok()) return kr.status();
  return std::make_pair(std::move(*kr), (*r)[1].integer() == 1);
}

absl::StatusOr<std::optional<v1::Alignment>> OkrStore::GetAlignment(const std::string& p,
                                                                      const std::string& initiative_id) {
  auto r = redis_.Command({"HGET", keys::Alignments(p), initiative_id});
  if (!r.ok()) return r.status();
  return ParseOptional<v1::Alignment>(*r, "alignment of " + initiative_id);
}

absl::StatusOr<std::optional<std::string>> OkrStore::InitiativeStage(const std::string& p,
                                                                      const std::string& initiative_id) {
  auto r = redis_.Command({"HGET", keys::Initiatives(p), initiative_id});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<std::string>();
  return std::optional<std::string>(std::string(r->str()));
}

namespace {
template <typename T>
absl::StatusOr<std::map<std::string, T>> ByIds(RedisPool& redis, const std::string& key,
                                                const std::vector<std::string>& ids, const std::string& what) {
  std::map<std::string, T> out;
  if (ids.empty()) return out;
  RedisArgs cmd{"HMGET", key};
  cmd.insert(cmd.end(), ids.begin(), ids.end());
  auto r = redis.Command(cmd);
  if (!r.ok()) return r.status();
  for (size_t i = 0; i < ids.size() && i < r->size(); ++i) {
    auto parsed = ParseOptional<T>(r->at(i), what + " " + ids[i]);
    if (!parsed.ok()) return parsed.status();
    if (*parsed) out.emplace(ids[i], std::move(**parsed));
  }
  return out;
}
}  // namespace

absl::StatusOr<std::map<std::string, v1::KeyResult>> OkrStore::KeyResultsByIds(const std::string& p,
                                                                                 const std::vector<std::string>& ids) {
  return ByIds<v1::KeyResult>(redis_, keys::KeyResults(p), ids, "key result");
}

absl::StatusOr<std::map<std::string, v1::Objective>> OkrStore::ObjectivesByIds(const std::string& p,
                                                                                 const std::vector<std::string>& ids) {
  return ByIds<v1::Objective>(redis_, keys::Objectives(p), ids, "objective");
}

absl::StatusOr<std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>>> OkrStore::Portfolios() {
  auto ids = redis_.Command({"SMEMBERS", keys::kPortfolios});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> portfolios;
  std::vector<RedisArgs> cmds;
  for (size_t i = 0; i < ids->size(); ++i) {
    portfolios.emplace_back(ids->at(i).str());
    cmds.push_back({"HLEN", keys::Objectives(portfolios.back())});
    cmds.push_back({"HLEN", keys::KeyResults(portfolios.back())});
  }
  std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>> out;
  if (cmds.empty()) return out;
  auto r = redis_.Pipeline(cmds);
  if (!r.ok()) return r.status();
  for (size_t i = 0; i < portfolios.size(); ++i)
    out.push_back({portfolios[i], {(*r)[2 * i].integer(), (*r)[2 * i + 1].integer()}});
  return out;
}

absl::StatusOr<PortfolioData> OkrStore::LoadPortfolio(const std::string& p, PortfolioParts parts) {
  std::vector<RedisArgs> cmds;
  if (parts.objectives) cmds.push_back({"HGETALL", keys::Objectives(p)});
  if (parts.key_results) cmds.push_back({"HGETALL", keys::KeyResults(p)});
  if (parts.alignments) cmds.push_back({"HGETALL", keys::Alignments(p)});
  if (parts.initiatives) cmds.push_back({"HGETALL", keys::Initiatives(p)});
  PortfolioData out;
  if (cmds.empty()) return out;
  auto r = redis_.Pipeline(cmds);
  if (!r.ok()) return r.status();
  size_t i = 0;
  if (parts.objectives)
    if (auto s = ParseValues((*r)[i++], "objective", out.objectives); !s.ok()) return s;
  if (parts.key_results)
    if (auto s = ParseValues((*r)[i++], "key result", out.key_results); !s.ok()) return s;
  if (parts.alignments)
    if (auto s = ParseValues((*r)[i++], "alignment", out.alignments); !s.ok()) return s;
  if (parts.initiatives) {
    const RedisReply& stages = (*r)[i++];
    for (size_t j = 1; j < stages.size(); j += 2)
      out.initiative_stages.emplace(std::string(stages.at(j - 1).str()), std::string(stages.at(j).str()));
  }
  return out;
}

}  // namespace pmo::okr::store
