// Intake's reads: one HMGET per record, pipelines for pages, ZRANGE BYLEX for id order.
#include "services/intake/store/redis_store.h"

namespace pmo::intake::store {

namespace keys {
std::string Portfolio(const std::string& p) { return "pmo:intake:{" + p + "}:portfolio"; }
std::string Initiative(const std::string& p, const std::string& i) { return "pmo:intake:{" + p + "}:initiative:" + i; }
std::string PortfolioInitiatives(const std::string& p) { return "pmo:intake:{" + p + "}:initiatives"; }
std::string StageCounts(const std::string& p) { return "pmo:intake:{" + p + "}:stage-counts"; }
std::string Commitments(const std::string& p) { return "pmo:intake:{" + p + "}:commitments"; }
std::string Alignment(const std::string& i) { return "pmo:intake:rm:alignment:" + i; }
std::string KeyResult(const std::string& k) { return "pmo:intake:rm:key-result:" + k; }
std::string Benefit(const std::string& b) { return "pmo:intake:rm:benefit:" + b; }
std::string InitiativeBenefits(const std::string& i) { return "pmo:intake:rm:initiative-benefits:" + i; }
std::string Processed(const std::string& e) { return "pmo:intake:processed:" + e; }
}  // namespace keys

absl::StatusOr<Versioned<v1::Portfolio>> RedisIntakeStore::GetPortfolio(const std::string& portfolio_id) {
  auto r = redis_.Command({"HMGET", keys::Portfolio(portfolio_id), "version", "data"});
  if (!r.ok()) return r.status();
  if (r->at(1).is_nil()) return absl::NotFoundError("portfolio " + portfolio_id + " not found");
  auto p = ParseStored<v1::Portfolio>(r->at(1).str(), "portfolio " + portfolio_id);
  if (!p.ok()) return p.status();
  auto version = StoredInt(r->at(0));
  if (!version.ok()) return version.status();
  return Versioned<v1::Portfolio>{std::move(*p), *version};
}

absl::StatusOr<std::optional<std::string>> RedisIntakeStore::PortfolioOf(const std::string& initiative_id) {
  auto r = redis_.Command({"HGET", keys::kInitiativePortfolio, initiative_id});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<std::string>();
  return std::optional<std::string>(std::string(r->str()));
}

absl::StatusOr<Versioned<v1::Initiative>> RedisIntakeStore::GetInitiative(const std::string& portfolio_id,
                                                                    const std::string& initiative_id) {
  auto r = redis_.Command({"HMGET", keys::Initiative(portfolio_id, initiative_id), "version", "data"});
  if (!r.ok()) return r.status();
  if (r->at(1).is_nil()) return absl::NotFoundError("initiative " + initiative_id + " not found");
  auto i = ParseStored<v1::Initiative>(r->at(1).str(), "initiative " + initiative_id);
  if (!i.ok()) return i.status();
  auto version = StoredInt(r->at(0));
  if (!version.ok()) return version.status();
  return Versioned<v1::Initiative>{std::move(*i), *version};
}

absl::StatusOr<Versioned<v1::Initiative>> RedisIntakeStore::GetInitiative(const std::string& initiative_id) {
  auto p = PortfolioOf(initiative_id);
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("initiative " + initiative_id + " not found");
  return GetInitiative(**p, initiative_id);
}

absl::StatusOr<std::vector<std::string>> RedisIntakeStore::IdsAfter(const std::string& zset, const std::string& after,
                                                              int count) {
  auto r = redis_.Command({"ZRANGE", zset, after.empty() ? "-" : "(" + after, "+", "BYLEX", "LIMIT", "0",
                           std::to_string(count)});
  if (!r.ok()) return r.status();
  std::vector<std::string> ids;
  for (size_t i = 0; i < r->size(); ++i) ids.emplace_back(r->at(i).str());
  return ids;
}

absl::StatusOr<std::vector<std::string>> RedisIntakeStore::PortfolioIdsAfter(const std::string& after, int count) {
  return IdsAfter(keys::kPortfolioIndex, after, count);
}

absl::StatusOr<std::vector<std::string>> RedisIntakeStore::InitiativeIdsAfter(const std::string& portfolio_id,
                                                                              const std::string& after, int count) {
  return IdsAfter(keys::PortfolioInitiatives(portfolio_id), after, count);
}

absl::StatusOr<std::vector<v1::Initiative>> RedisIntakeStore::GetInitiatives(const std::string& portfolio_id,
                                                                       const std::vector<std::string>& ids) {
  std::vector<RedisArgs> cmds;
  for (const auto& id : ids) cmds.push_back({"HGET", keys::Initiative(portfolio_id, id), "data"});
  std::vector<v1::Initiative> out;
  if (cmds.empty()) return out;
  auto replies = redis_.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    if ((*replies)[i].is_nil()) continue;  // removed between the index read and this one
    auto in = ParseStored<v1::Initiative>((*replies)[i].str(), "initiative " + ids[i]);
    if (!in.ok()) return in.status();
    out.push_back(std::move(*in));
  }
  return out;
}

absl::StatusOr<std::vector<v1::Portfolio>> RedisIntakeStore::GetPortfolios(const std::vector<std::string>& ids) {
  std::vector<RedisArgs> cmds;
  for (const auto& id : ids) cmds.push_back({"HGET", keys::Portfolio(id), "data"});
  std::vector<v1::Portfolio> out;
  if (cmds.empty()) return out;
  auto replies = redis_.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    if ((*replies)[i].is_nil()) continue;
    auto p = ParseStored<v1::Portfolio>((*replies)[i].str(), "portfolio " + ids[i]);
    if (!p.ok()) return p.status();
    out.push_back(std::move(*p));
  }
  return out;
}

absl::StatusOr<std::vector<v1::Initiative>> RedisIntakeStore::PortfolioInitiatives(const std::string& portfolio_id) {
  auto ids = redis_.Command({"ZRANGE", keys::PortfolioInitiatives(portfolio_id), "0", "-1"});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> list;
  for (size_t i = 0; i < ids->size(); ++i) list.emplace_back(ids->at(i).str());
  return GetInitiatives(portfolio_id, list);
}

absl::StatusOr<int64_t> RedisIntakeStore::CommitmentsVersion(const std::string& portfolio_id) {
  auto r = redis_.Command({"HGET", keys::Commitments(portfolio_id), "version"});
  if (!r.ok()) return r.status();
  return StoredInt(r->view());
}

absl::StatusOr<std::optional<okr::v1::AlignmentChanged>> RedisIntakeStore::Alignment(const std::string& initiative_id) {
  auto r = redis_.Command({"HGET", keys::Alignment(initiative_id), "data"});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<okr::v1::AlignmentChanged>();
  auto a = ParseStored<okr::v1::AlignmentChanged>(r->str(), "alignment of " + initiative_id);
  if (!a.ok()) return a.status();
  return std::optional<okr::v1::AlignmentChanged>(std::move(*a));
}

absl::StatusOr<std::optional<bool>> RedisIntakeStore::KeyResultMeasurable(const std::string& key_result_id) {
  auto r = redis_.Command({"HGET", keys::KeyResult(key_result_id), "measurable"});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<bool>();
  return std::optional<bool>(r->str() == "1");
}

absl::StatusOr<std::vector<benefits::v1::Benefit>> RedisIntakeStore::Benefits(const std::string& initiative_id) {
  auto r = redis_.Command({"HVALS", keys::InitiativeBenefits(initiative_id)});
  if (!r.ok()) return r.status();
  std::vector<benefits::v1::Benefit> out;
  for (size_t i = 0; i < r->size(); ++i) {
    auto b = ParseStored<benefits::v1::Benefit>(r->at(i).str(), "benefit");
    if (!b.ok()) return b.status();
    out.push_back(std::move(*b));
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::map<std::string, int64_t>>>> RedisIntakeStore::StageCounts() {
  auto ids = redis_.Command({"ZRANGE", keys::kPortfolioIndex, "0", "-1"});
  if (!ids.ok()) return ids.status();
  std::vector<RedisArgs> cmds;
  std::vector<std::string> portfolios;
  for (size_t i = 0; i < ids->size(); ++i) {
    portfolios.emplace_back(ids->at(i).str());
    cmds.push_back({"HGETALL", keys::StageCounts(portfolios.back())});
  }
  std::vector<std::pair<std::string, std::map<std::string, int64_t>>> out;
  if (cmds.empty()) return out;
  auto replies = redis_.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    std::map<std::string, int64_t> counts;
    const auto& r = (*replies)[i];
    for (size_t j = 0; j + 1 < r.size(); j += 2) {
      auto count = StoredInt(r.at(j + 1));
      if (!count.ok()) return count.status();
      counts[std::string(r.at(j).str())] = *count;
    }
    out.emplace_back(portfolios[i], std::move(counts));
  }
  return out;
}

}  // namespace pmo::intake::store
