// The benefits service's state in Redis: benefits with their measurement series and
// derived state, per-portfolio value entries (what value queries aggregate), indexes,
// the review schedule of the STALE sweep, and the read model of intake's initiatives
// and portfolios. Keys carry the portfolio as a {hash tag}. Every write goes through
// the outbox (AtomicWrite), so state and event commit together. Only this folder
// knows the keys below.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "services/benefits/store/benefit_cache.h"
#include "services/benefits/store/benefits_store.h"
#include "pmo/common/clock.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"

namespace pmo::benefits::store {

namespace keys {
// HASH version, benefit (the v1.Benefit snapshot), series (storage.Series).
std::string Benefit(const std::string& portfolio_id, const std::string& benefit_id);
std::string PortfolioBenefits(const std::string& portfolio_id);                              // ZSET ids (lex)
std::string InitiativeBenefits(const std::string& portfolio_id, const std::string& initiative_id);  // ZSET ids
// HASH benefit id → storage.ValueEntry, for every benefit not withdrawn.
std::string Values(const std::string& portfolio_id);
// ZSET benefit id → the day (days since 1970-01-01) time alone may change its status.
std::string ReviewDue(const std::string& portfolio_id);
std::string Initiatives(const std::string& portfolio_id);          // HASH initiative id → storage.Initiative
// HASH initiative id → "<minor units> <currency>": costs alone, so portfolio value
// reads stay small.
std::string Costs(const std::string& portfolio_id);
std::string InitiativeVersions(const std::string& portfolio_id);   // HASH initiative id → intake version applied
std::string Portfolio(const std::string& portfolio_id);            // HASH version, currency (intake read model)
inline constexpr char kPortfolioIndex[] = "pmo:benefits:portfolios";                  // ZSET of ids
inline constexpr char kBenefitPortfolio[] = "pmo:benefits:benefit-portfolio";         // HASH id → portfolio
inline constexpr char kInitiativePortfolio[] = "pmo:benefits:initiative-portfolio";   // HASH id → portfolio
}  // namespace keys

// BenefitsStore on Redis, committing through the service's outbox.
class RedisBenefitsStore final : public BenefitsStore {
 public:
  static constexpr size_t kCacheSize = 50'000;

  // `clock` stamps the events' occurred-at time.
  RedisBenefitsStore(RedisPool& redis, Outbox& outbox, const Clock& clock = SystemClock::Instance())
      : redis_(redis), outbox_(outbox), clock_(clock), cache_(kCacheSize) {}

  absl::StatusOr<std::optional<std::string>> PortfolioOfBenefit(const std::string& benefit_id) override;
  absl::StatusOr<std::optional<std::string>> PortfolioOfInitiative(const std::string& initiative_id) override;
  absl::StatusOr<StoredBenefit> GetBenefit(const std::string& portfolio_id, const std::string& benefit_id,
                                           bool with_series) override;
  absl::StatusOr<std::shared_ptr<const StoredBenefit>> GetBenefitToChange(const std::string& portfolio_id,
                                                                          const std::string& benefit_id) override;
  absl::StatusOr<std::vector<StoredBenefit>> GetBenefits(const std::string& portfolio_id,
                                                         const std::vector<std::string>& ids,
                                                         bool with_series) override;
  absl::StatusOr<std::vector<std::string>> BenefitIds(const std::string& portfolio_id, const std::string& initiative_id,
                                                      const std::string& after, int count) override;
  absl::StatusOr<std::optional<storage::Initiative>> GetInitiative(const std::string& portfolio_id,
                                                                   const std::string& initiative_id) override;
  absl::StatusOr<int64_t> InitiativeVersion(const std::string& portfolio_id,
                                            const std::string& initiative_id) override;
  absl::StatusOr<std::map<std::string, Money>> Costs(const std::string& portfolio_id) override;
  absl::StatusOr<ValueEntries> Values(const std::string& portfolio_id) override;
  absl::StatusOr<ValueEntries> Values(const std::string& portfolio_id, const std::vector<std::string>& ids) override;
  absl::StatusOr<std::optional<std::string>> PortfolioCurrency(const std::string& portfolio_id) override;
  absl::StatusOr<std::vector<std::string>> Portfolios() override;
  absl::StatusOr<std::vector<std::string>> DueForReview(const std::string& portfolio_id, int64_t day,
                                                        int limit) override;
  absl::StatusOr<WriteResult> Commit(const Changes& changes) override;

 private:
  void StageBenefit(AtomicWrite& write, const BenefitSave& save) const;
  void StageEvent(AtomicWrite& write, const BenefitEvent& event, const CallContext& cause) const;

  RedisPool& redis_;
  Outbox& outbox_;
  const Clock& clock_;
  BenefitCache cache_;
};

}  // namespace pmo::benefits::store
