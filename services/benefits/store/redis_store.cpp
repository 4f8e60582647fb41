#include "services/benefits/store/redis_store.h"

namespace pmo::benefits::adapters {

namespace keys {
std::string Benefit(const std::string& p, const std::string& b) { return "pmo:benefits:{" + p + "}:benefit:" + b; }
std::string PortfolioBenefits(const std::string& p) { return "pmo:benefits:{" + p + "}:benefits"; }
std::string InitiativeBenefits(const std::string& p, const std::string& i) {
  return "pmo:benefits:{" + p + "}:initiative-benefits:" + i;
}
std::string Values(const std::string& p) { return "pmo:benefits:{" + p + "}:values"; }
std::string ReviewDue(const std::string& p) { return "pmo:benefits:{" + p + "}:review-due"; }
std::string Initiatives(const std::string& p) { return "pmo:benefits:{" + p + "}:initiatives"; }
std::string Costs(const std::string& p) { return "pmo:benefits:{" + p + "}:costs"; }
std::string InitiativeVersions(const std::string& p) { return "pmo:benefits:{" + p + "}:initiative-versions"; }
std::string Portfolio(const std::string& p) { return "pmo:benefits:{" + p + "}:portfolio"; }
}  // namespace keys

namespace {

absl::StatusOr<std::optional<std::string>> OptionalString(absl::StatusOr<RedisReply> r) {
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<std::string>();
  return std::optional<std::string>(std::string(r->str()));
}

// From an HMGET version benefit [series] reply.
template <typename Reply>
absl::StatusOr<StoredBenefit> FromFields(const Reply& r, const std::string& id, bool with_series) {
  StoredBenefit out;
  auto snapshot = ParseStored<v1::Benefit>(r.at(1).str(), "benefit " + id);
  if (!snapshot.ok()) return snapshot.status();
  out.snapshot = std::move(*snapshot);
  auto version = StoredInt(r.at(0));
  if (!version.ok()) return version.status();
  out.version = *version;
  if (with_series && !r.at(2).is_nil()) {
    auto series = ParseStored<storage::v1::Series>(r.at(2).str(), "series of " + id);
    if (!series.ok()) return series.status();
    out.series = std::move(*series);
  }
  return out;
}

RedisArgs BenefitFields(const std::string& p, const std::string& id, bool with_series) {
  RedisArgs args{"HMGET", keys::Benefit(p, id), "version", "benefit"};
  if (with_series) args.emplace_back("series");
  return args;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> RedisStore::PortfolioOfBenefit(const std::string& benefit_id) {
  return OptionalString(redis_.Command({"HGET", keys::kBenefitPortfolio, benefit_id}));
}

absl::StatusOr<std::optional<std::string>> RedisStore::PortfolioOfInitiative(const std::string& initiative_id) {
  return OptionalString(redis_.Command({"HGET", keys::kInitiativePortfolio, initiative_id}));
}

absl::StatusOr<StoredBenefit> RedisStore::GetBenefit(const std::string& portfolio_id, const std::string& benefit_id,
                                                     bool with_series) {
  auto r = redis_.Command(BenefitFields(portfolio_id, benefit_id, with_series));
  if (!r.ok()) return r.status();
  if (r->at(1).is_nil()) return absl::NotFoundError("benefit " + benefit_id + " not found");
  return FromFields(*r, benefit_id, with_series);
}

absl::StatusOr<std::vector<StoredBenefit>> RedisStore::GetBenefits(const std::string& portfolio_id,
                                                                   const std::vector<std::string>& ids,
                                                                   bool with_series) {
  std::vector<StoredBenefit> out;
  if (ids.empty()) return out;
  std::vector<RedisArgs> cmds;
  cmds.reserve(ids.size());
  for (const auto& id : ids) cmds.push_back(BenefitFields(portfolio_id, id, with_series));
  auto replies = redis_.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    const RedisReply& r = (*replies)[i];
    if (r.at(1).is_nil()) continue;  // removed between the index read and this one
    auto b = FromFields(r, ids[i], with_series);
    if (!b.ok()) return b.status();
    out.push_back(std::move(*b));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisStore::IdsAfter(const std::string& zset, const std::string& after,
                                                              int count) {
  RedisArgs args{"ZRANGE", zset, after.empty() ? "-" : "(" + after, "+", "BYLEX"};
  if (count >= 0) {
    args.insert(args.end(), {"LIMIT", "0", std::to_string(count)});
  }
  auto r = redis_.Command(args);
  if (!r.ok()) return r.status();
  std::vector<std::string> ids;
  ids.reserve(r->size());
  for (size_t i = 0; i < r->size(); ++i) ids.emplace_back(r->at(i).str());
  return ids;
}

absl::StatusOr<std::optional<storage::v1::Initiative>> RedisStore::GetInitiative(const std::string& portfolio_id,
                                                                                 const std::string& initiative_id) {
  auto r = redis_.Command({"HGET", keys::Initiatives(portfolio_id), initiative_id});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<storage::v1::Initiative>();
  auto in = ParseStored<storage::v1::Initiative>(r->str(), "initiative " + initiative_id);
  if (!in.ok()) return in.status();
  return std::optional<storage::v1::Initiative>(std::move(*in));
}

absl::StatusOr<int64_t> RedisStore::InitiativeVersion(const std::string& portfolio_id,
                                                      const std::string& initiative_id) {
  auto r = redis_.Command({"HGET", keys::InitiativeVersions(portfolio_id), initiative_id});
  if (!r.ok()) return r.status();
  return StoredInt(r->view());
}

absl::StatusOr<std::map<std::string, std::pair<int64_t, std::string>>> RedisStore::Costs(
    const std::string& portfolio_id) {
  auto r = redis_.Command({"HGETALL", keys::Costs(portfolio_id)});
  if (!r.ok()) return r.status();
  std::map<std::string, std::pair<int64_t, std::string>> out;
  for (size_t i = 0; i + 1 < r->size(); i += 2) {
    const std::string_view v = r->at(i + 1).str();
    const size_t space = v.find(' ');
    if (space == std::string_view::npos) return absl::DataLossError("stored cost does not decode");
    auto minor = StoredInt(v.substr(0, space));
    if (!minor.ok()) return minor.status();
    out.emplace(std::string(r->at(i).str()), std::make_pair(*minor, std::string(v.substr(space + 1))));
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, storage::v1::ValueEntry>>> RedisStore::Values(
    const std::string& portfolio_id) {
  auto r = redis_.Command({"HGETALL", keys::Values(portfolio_id)});
  if (!r.ok()) return r.status();
  std::vector<std::pair<std::string, storage::v1::ValueEntry>> out;
  out.reserve(r->size() / 2);
  for (size_t i = 0; i + 1 < r->size(); i += 2) {
    std::string id(r->at(i).str());
    auto e = ParseStored<storage::v1::ValueEntry>(r->at(i + 1).str(), "value of " + id);
    if (!e.ok()) return e.status();
    out.emplace_back(std::move(id), std::move(*e));
  }
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, storage::v1::ValueEntry>>> RedisStore::Values(
    const std::string& portfolio_id, const std::vector<std::string>& ids) {
  std::vector<std::pair<std::string, storage::v1::ValueEntry>> out;
  if (ids.empty()) return out;
  RedisArgs args{"HMGET", keys::Values(portfolio_id)};
  args.insert(args.end(), ids.begin(), ids.end());
  auto r = redis_.Command(args);
  if (!r.ok()) return r.status();
  for (size_t i = 0; i < r->size(); ++i) {
    if (r->at(i).is_nil()) continue;  // withdrawn
    auto e = ParseStored<storage::v1::ValueEntry>(r->at(i).str(), "value of " + ids[i]);
    if (!e.ok()) return e.status();
    out.emplace_back(ids[i], std::move(*e));
  }
  return out;
}

absl::StatusOr<std::optional<std::string>> RedisStore::PortfolioCurrency(const std::string& portfolio_id) {
  return OptionalString(redis_.Command({"HGET", keys::Portfolio(portfolio_id), "currency"}));
}

absl::StatusOr<int64_t> RedisStore::PortfolioVersion(const std::string& portfolio_id) {
  auto r = redis_.Command({"HGET", keys::Portfolio(portfolio_id), "version"});
  if (!r.ok()) return r.status();
  return StoredInt(r->view());
}

absl::StatusOr<std::vector<std::string>> RedisStore::Portfolios() {
  auto r = redis_.Command({"ZRANGE", keys::kPortfolioIndex, "0", "-1"});
  if (!r.ok()) return r.status();
  std::vector<std::string> out;
  for (size_t i = 0; i < r->size(); ++i) out.emplace_back(r->at(i).str());
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisStore::DueForReview(const std::string& portfolio_id, int64_t day,
                                                                  int limit) {
  auto r = redis_.Command({"ZRANGE", keys::ReviewDue(portfolio_id), "-inf", std::to_string(day), "BYSCORE", "LIMIT",
                           "0", std::to_string(limit)});
  if (!r.ok()) return r.status();
  std::vector<std::string> out;
  for (size_t i = 0; i < r->size(); ++i) out.emplace_back(r->at(i).str());
  return out;
}

}  // namespace pmo::benefits::adapters
