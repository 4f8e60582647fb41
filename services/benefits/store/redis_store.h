// The benefits service's state in Redis: benefits with their measurement series and
// derived state, per-portfolio value entries (what value queries aggregate), indexes,
// the review schedule of the STALE sweep, and the read model of intake's initiatives
// and portfolios. Keys carry the portfolio as a {hash tag}. Every write goes through
// the outbox (AtomicWrite), so state and event commit together.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "pmo/benefits/storage/v1/storage.pb.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/redis.h"

namespace pmo::benefits::adapters {

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

struct StoredBenefit {
  v1::Benefit snapshot;
  ::pmo::benefits::storage::v1::Series series;  // empty unless asked for
  int64_t version = 0;
};

class RedisStore {
 public:
  explicit RedisStore(RedisPool& redis) : redis_(redis) {}

  absl::StatusOr<std::optional<std::string>> PortfolioOfBenefit(const std::string& benefit_id);
  absl::StatusOr<std::optional<std::string>> PortfolioOfInitiative(const std::string& initiative_id);
  // NOT_FOUND when the benefit does not exist.
  absl::StatusOr<StoredBenefit> GetBenefit(const std::string& portfolio_id, const std::string& benefit_id,
                                           bool with_series);
  // Benefits by id, missing ones left out, with their series when asked.
  absl::StatusOr<std::vector<StoredBenefit>> GetBenefits(const std::string& portfolio_id,
                                                         const std::vector<std::string>& ids, bool with_series);
  // A page of ids after `after` (exclusive), in id order; all with count < 0.
  absl::StatusOr<std::vector<std::string>> IdsAfter(const std::string& zset, const std::string& after, int count);
  absl::StatusOr<std::optional<::pmo::benefits::storage::v1::Initiative>> GetInitiative(const std::string& portfolio_id,
                                                                       const std::string& initiative_id);
  absl::StatusOr<int64_t> InitiativeVersion(const std::string& portfolio_id, const std::string& initiative_id);
  // Every known initiative cost of a portfolio.
  absl::StatusOr<std::map<std::string, std::pair<int64_t, std::string>>> Costs(const std::string& portfolio_id);
  // Every value entry of a portfolio, or those of `ids` (missing ones left out).
  absl::StatusOr<std::vector<std::pair<std::string, ::pmo::benefits::storage::v1::ValueEntry>>> Values(const std::string& portfolio_id);
  absl::StatusOr<std::vector<std::pair<std::string, ::pmo::benefits::storage::v1::ValueEntry>>> Values(
      const std::string& portfolio_id, const std::vector<std::string>& ids);
  // The portfolio's currency from intake's events; nullopt when not seen.
  absl::StatusOr<std::optional<std::string>> PortfolioCurrency(const std::string& portfolio_id);
  absl::StatusOr<int64_t> PortfolioVersion(const std::string& portfolio_id);
  absl::StatusOr<std::vector<std::string>> Portfolios();
  // Benefits whose review day is at most `day`, at most `limit` of them.
  absl::StatusOr<std::vector<std::string>> DueForReview(const std::string& portfolio_id, int64_t day, int limit);

 private:
  RedisPool& redis_;
};

}  // namespace pmo::benefits::adapters
