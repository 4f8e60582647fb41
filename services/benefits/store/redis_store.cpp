#include "services/benefits/store/redis_store.h"

#include "absl/strings/str_cat.h"
#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"

namespace pmo::benefits::store {

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
    auto series = ParseStored<storage::Series>(r.at(2).str(), "series of " + id);
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

absl::StatusOr<std::optional<std::string>> RedisBenefitsStore::PortfolioOfBenefit(const std::string& benefit_id) {
  // A benefit's portfolio never changes: looked up once.
  if (auto known = cache_.PortfolioOf(benefit_id)) return known;
  auto p = OptionalString(redis_.Command({"HGET", keys::kBenefitPortfolio, benefit_id}));
  if (p.ok() && *p) cache_.PutPortfolio(benefit_id, **p);
  return p;
}

absl::StatusOr<std::optional<std::string>> RedisBenefitsStore::PortfolioOfInitiative(const std::string& initiative_id) {
  return OptionalString(redis_.Command({"HGET", keys::kInitiativePortfolio, initiative_id}));
}

absl::StatusOr<StoredBenefit> RedisBenefitsStore::GetBenefit(const std::string& portfolio_id, const std::string& benefit_id,
                                                     bool with_series) {
  auto r = redis_.Command(BenefitFields(portfolio_id, benefit_id, with_series));
  if (!r.ok()) return r.status();
  if (r->at(1).is_nil()) return absl::NotFoundError("benefit " + benefit_id + " not found");
  auto b = FromFields(*r, benefit_id, with_series);
  if (b.ok()) cache_.DropUnlessAt(benefit_id, b->version);  // another replica wrote it
  return b;
}

absl::StatusOr<std::shared_ptr<const StoredBenefit>> RedisBenefitsStore::GetBenefitToChange(
    const std::string& portfolio_id, const std::string& benefit_id) {
  if (auto cached = cache_.Find(benefit_id)) return cached;
  auto fresh = GetBenefit(portfolio_id, benefit_id, true);
  if (!fresh.ok()) return fresh.status();
  return std::make_shared<const StoredBenefit>(*std::move(fresh));
}

absl::StatusOr<std::vector<StoredBenefit>> RedisBenefitsStore::GetBenefits(const std::string& portfolio_id,
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

absl::StatusOr<std::vector<std::string>> RedisBenefitsStore::BenefitIds(const std::string& portfolio_id,
                                                                      const std::string& initiative_id,
                                                                      const std::string& after, int count) {
  const std::string zset = initiative_id.empty() ? keys::PortfolioBenefits(portfolio_id)
                                                 : keys::InitiativeBenefits(portfolio_id, initiative_id);
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

absl::StatusOr<std::optional<storage::Initiative>> RedisBenefitsStore::GetInitiative(const std::string& portfolio_id,
                                                                                 const std::string& initiative_id) {
  auto r = redis_.Command({"HGET", keys::Initiatives(portfolio_id), initiative_id});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<storage::Initiative>();
  auto in = ParseStored<storage::Initiative>(r->str(), "initiative " + initiative_id);
  if (!in.ok()) return in.status();
  return std::optional<storage::Initiative>(std::move(*in));
}

absl::StatusOr<int64_t> RedisBenefitsStore::InitiativeVersion(const std::string& portfolio_id,
                                                      const std::string& initiative_id) {
  auto r = redis_.Command({"HGET", keys::InitiativeVersions(portfolio_id), initiative_id});
  if (!r.ok()) return r.status();
  return StoredInt(r->view());
}

absl::StatusOr<std::map<std::string, Money>> RedisBenefitsStore::Costs(const std::string& portfolio_id) {
  auto r = redis_.Command({"HGETALL", keys::Costs(portfolio_id)});
  if (!r.ok()) return r.status();
  std::map<std::string, Money> out;
  for (size_t i = 0; i + 1 < r->size(); i += 2) {
    const std::string_view v = r->at(i + 1).str();
    const size_t space = v.find(' ');
    if (space == std::string_view::npos) return absl::DataLossError("stored cost does not decode");
    auto minor = StoredInt(v.substr(0, space));
    if (!minor.ok()) return minor.status();
    out.emplace(std::string(r->at(i).str()), Money{*minor, std::string(v.substr(space + 1))});
  }
  return out;
}

absl::StatusOr<BenefitsStore::ValueEntries> RedisBenefitsStore::Values(const std::string& portfolio_id) {
  auto r = redis_.Command({"HGETALL", keys::Values(portfolio_id)});
  if (!r.ok()) return r.status();
  ValueEntries out;
  out.reserve(r->size() / 2);
  for (size_t i = 0; i + 1 < r->size(); i += 2) {
    std::string id(r->at(i).str());
    auto e = ParseStored<storage::ValueEntry>(r->at(i + 1).str(), "value of " + id);
    if (!e.ok()) return e.status();
    out.emplace_back(std::move(id), std::move(*e));
  }
  return out;
}

absl::StatusOr<BenefitsStore::ValueEntries> RedisBenefitsStore::Values(const std::string& portfolio_id,
                                                                        const std::vector<std::string>& ids) {
  ValueEntries out;
  if (ids.empty()) return out;
  RedisArgs args{"HMGET", keys::Values(portfolio_id)};
  args.insert(args.end(), ids.begin(), ids.end());
  auto r = redis_.Command(args);
  if (!r.ok()) return r.status();
  for (size_t i = 0; i < r->size(); ++i) {
    if (r->at(i).is_nil()) continue;  // withdrawn
    auto e = ParseStored<storage::ValueEntry>(r->at(i).str(), "value of " + ids[i]);
    if (!e.ok()) return e.status();
    out.emplace_back(ids[i], std::move(*e));
  }
  return out;
}

absl::StatusOr<std::optional<std::string>> RedisBenefitsStore::PortfolioCurrency(const std::string& portfolio_id) {
  return OptionalString(redis_.Command({"HGET", keys::Portfolio(portfolio_id), "currency"}));
}

absl::StatusOr<std::vector<std::string>> RedisBenefitsStore::Portfolios() {
  auto r = redis_.Command({"ZRANGE", keys::kPortfolioIndex, "0", "-1"});
  if (!r.ok()) return r.status();
  std::vector<std::string> out;
  for (size_t i = 0; i < r->size(); ++i) out.emplace_back(r->at(i).str());
  return out;
}

absl::StatusOr<std::vector<std::string>> RedisBenefitsStore::DueForReview(const std::string& portfolio_id, int64_t day,
                                                                  int limit) {
  auto r = redis_.Command({"ZRANGE", keys::ReviewDue(portfolio_id), "-inf", std::to_string(day), "BYSCORE", "LIMIT",
                           "0", std::to_string(limit)});
  if (!r.ok()) return r.status();
  std::vector<std::string> out;
  for (size_t i = 0; i < r->size(); ++i) out.emplace_back(r->at(i).str());
  return out;
}

// ---- writes -------------------------------------------------------------------------

namespace {

constexpr char kSource[] = "pmo-benefits";

template <typename Event>
OutboxEvent ToOutbox(const Event& event, const CallContext& cause, const Clock& clock) {
  const v1::Benefit& snapshot = event.benefit();
  auto env = MakeEnvelope(
      event, EventMetaFor(kSource, snapshot.benefit_id(), snapshot.portfolio_id(), snapshot.version(), cause), clock);
  return ToOutboxEvent(topics::kBenefitsEvents, env);
}

void StageReview(AtomicWrite& w, const ReviewSave& review) {
  const std::string& p = review.portfolio_id;
  const std::string& id = review.benefit_id;
  if (review.expected_version)
    w.ExpectField(keys::Benefit(p, id), "version", std::to_string(*review.expected_version),
                  absl::StatusCode::kAborted, "benefit " + id + " changed during its review");
  if (review.review_day)
    w.Command({"ZADD", keys::ReviewDue(p), std::to_string(*review.review_day), id});
  else
    w.Command({"ZREM", keys::ReviewDue(p), id});
}

void StageInitiative(AtomicWrite& w, const InitiativeSave& save) {
  const storage::Initiative& info = save.info;
  const std::string& p = info.portfolio_id();
  const std::string& iid = info.initiative_id();
  w.Command({"HSET", keys::InitiativeVersions(p), iid, std::to_string(save.version)});
  w.Command({"HSET", keys::Initiatives(p), iid, info.SerializeAsString()});
  if (info.cost_known())
    w.Command({"HSET", keys::Costs(p), iid, absl::StrCat(info.cost().minor_units(), " ", info.cost().currency())});
  else
    w.Command({"HDEL", keys::Costs(p), iid});
  w.Command({"HSET", keys::kInitiativePortfolio, iid, p});
  w.Command({"ZADD", keys::kPortfolioIndex, "0", p});
}

}  // namespace

// The snapshot, series, value entry, indexes and review day of one benefit, guarded by
// the version it was decided on (or by its absence).
void RedisBenefitsStore::StageBenefit(AtomicWrite& w, const BenefitSave& save) const {
  const v1::Benefit& snap = save.snapshot;
  const std::string& p = snap.portfolio_id();
  const std::string& id = snap.benefit_id();
  const std::string key = keys::Benefit(p, id);
  if (save.expected_version) {
    w.ExpectField(key, "version", std::to_string(*save.expected_version), absl::StatusCode::kAborted,
                  absl::StrCat("benefit ", id, " changed concurrently since version ", *save.expected_version));
  } else {
    w.ExpectAbsent(key, "benefit " + id + " already exists")
        .ExpectField(keys::kBenefitPortfolio, id, "", absl::StatusCode::kAlreadyExists,
                     "benefit " + id + " already exists in another portfolio");
  }
  w.Command({"HSET", key, "version", std::to_string(snap.version()), "benefit", snap.SerializeAsString(), "series",
             save.series.SerializeAsString()});
  if (!save.expected_version) {
    w.Command({"ZADD", keys::PortfolioBenefits(p), "0", id});
    w.Command({"ZADD", keys::InitiativeBenefits(p, snap.initiative_id()), "0", id});
    w.Command({"HSET", keys::kBenefitPortfolio, id, p});
    w.Command({"HSET", keys::kInitiativePortfolio, snap.initiative_id(), p});
    w.Command({"ZADD", keys::kPortfolioIndex, "0", p});
  }
  if (snap.removed()) {
    w.Command({"HDEL", keys::Values(p), id});
    w.Command({"ZREM", keys::ReviewDue(p), id});
  } else {
    w.Command({"HSET", keys::Values(p), id, save.value.SerializeAsString()});
    if (save.review_day)
      w.Command({"ZADD", keys::ReviewDue(p), std::to_string(*save.review_day), id});
    else
      w.Command({"ZREM", keys::ReviewDue(p), id});
  }
}

void RedisBenefitsStore::StageEvent(AtomicWrite& w, const BenefitEvent& event, const CallContext& cause) const {
  std::visit([&](const auto& e) { w.Publish(ToOutbox(e, cause, clock_)); }, event);
}

absl::StatusOr<WriteResult> RedisBenefitsStore::Commit(const Changes& changes) {
  AtomicWrite w;
  // Guards first, in the order they decide: a version not newer skips the whole write.
  if (const auto& portfolio = changes.portfolio)
    w.SkipUnlessNewer(keys::Portfolio(portfolio->portfolio_id), "version", portfolio->version);
  if (const auto& initiative = changes.initiative) {
    const std::string versions = keys::InitiativeVersions(initiative->info.portfolio_id());
    const std::string& iid = initiative->info.initiative_id();
    w.SkipUnlessNewer(versions, iid, initiative->version);
    // What was decided from the version read: if another consumer applied a newer one
    // meanwhile, answer ABORTED so the caller starts again from it.
    w.ExpectField(versions, iid, initiative->read_version == 0 ? "" : std::to_string(initiative->read_version));
  }
  for (const auto& save : changes.benefits) StageBenefit(w, save);
  for (const auto& review : changes.reviews) StageReview(w, review);
  if (changes.initiative) StageInitiative(w, *changes.initiative);
  if (const auto& portfolio = changes.portfolio) {
    const auto key = keys::Portfolio(portfolio->portfolio_id);
    w.Command({"HSET", key, "version", std::to_string(portfolio->version), "currency", portfolio->currency})
        .Command({"ZADD", keys::kPortfolioIndex, "0", portfolio->portfolio_id});
  }
  for (const auto& event : changes.events) StageEvent(w, event, changes.cause);

  auto result = outbox_.Commit(w);
  // Keep what was written for the next change; a refused, skipped or unknown outcome
  // (UNAVAILABLE may have committed) is read afresh next time.
  const bool applied = result.ok() && *result == WriteResult::kApplied;
  for (const auto& save : changes.benefits) {
    if (applied)
      cache_.Put(std::make_shared<const StoredBenefit>(StoredBenefit{save.snapshot, save.series, save.snapshot.version()}));
    else
      cache_.Drop(save.snapshot.benefit_id());
  }
  return result;
}

}  // namespace pmo::benefits::store
