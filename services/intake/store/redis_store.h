// Intake's state in Redis: portfolios, initiatives, indexes and the read models built
// from okr's and benefits' events. Keys carry the portfolio as a {hash tag}. Every
// write goes through the outbox (AtomicWrite) so state and event commit together.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/events.pb.h"

namespace pmo::intake::adapters {

namespace keys {
std::string Portfolio(const std::string& portfolio_id);
inline constexpr char kPortfolioIndex[] = "pmo:intake:portfolios";           // ZSET of ids (lex order)
std::string Initiative(const std::string& portfolio_id, const std::string& initiative_id);
std::string PortfolioInitiatives(const std::string& portfolio_id);         // ZSET of ids (lex order)
std::string StageCounts(const std::string& portfolio_id);                  // HASH stage → count
std::string Commitments(const std::string& portfolio_id);                  // HASH version: bumps on every (un)commit
inline constexpr char kInitiativePortfolio[] = "pmo:intake:initiative-portfolio";  // HASH id → portfolio
std::string Alignment(const std::string& initiative_id);                   // okr read model
std::string KeyResult(const std::string& key_result_id);                   // okr read model
std::string Benefit(const std::string& benefit_id);                        // benefits read model
std::string InitiativeBenefits(const std::string& initiative_id);          // HASH benefit id → snapshot
std::string Processed(const std::string& event_id);                        // processed-event marker
}  // namespace keys

template <typename T>
struct Versioned {
  T value;
  int64_t version = 0;
};

class RedisStore {
 public:
  explicit RedisStore(RedisPool& redis) : redis_(redis) {}

  absl::StatusOr<Versioned<v1::Portfolio>> GetPortfolio(const std::string& portfolio_id);
  absl::StatusOr<std::optional<std::string>> PortfolioOf(const std::string& initiative_id);
  absl::StatusOr<Versioned<v1::Initiative>> GetInitiative(const std::string& portfolio_id,
                                                          const std::string& initiative_id);
  // Looks the portfolio up first (NOT_FOUND if the initiative is unknown).
  absl::StatusOr<Versioned<v1::Initiative>> GetInitiative(const std::string& initiative_id);
  // Every initiative of a portfolio (for capacity checks).
  absl::StatusOr<std::vector<v1::Initiative>> PortfolioInitiatives(const std::string& portfolio_id);
  // A page of ids after `after` (exclusive), in id order.
  absl::StatusOr<std::vector<std::string>> IdsAfter(const std::string& zset, const std::string& after, int count);
  absl::StatusOr<std::vector<v1::Initiative>> GetInitiatives(const std::string& portfolio_id,
                                                             const std::vector<std::string>& ids);
  absl::StatusOr<std::vector<v1::Portfolio>> GetPortfolios(const std::vector<std::string>& ids);
  absl::StatusOr<int64_t> CommitmentsVersion(const std::string& portfolio_id);

  // okr read model: the key results an initiative is linked to (nullopt: not seen yet).
  absl::StatusOr<std::optional<okr::v1::AlignmentChanged>> Alignment(const std::string& initiative_id);
  // okr read model: a key result's latest measurability verdict (nullopt: not seen).
  absl::StatusOr<std::optional<bool>> KeyResultMeasurable(const std::string& key_result_id);
  // benefits read model: the benefits registered for an initiative.
  absl::StatusOr<std::vector<benefits::v1::Benefit>> Benefits(const std::string& initiative_id);
  // Stage counts per portfolio, for the business gauges.
  absl::StatusOr<std::vector<std::pair<std::string, std::map<std::string, int64_t>>>> StageCounts();

 private:
  RedisPool& redis_;
};

}  // namespace pmo::intake::adapters
