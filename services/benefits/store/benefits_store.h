// What the benefits use cases need from storage: the reads they decide on, and one
// atomic write per decision (state, indexes, review schedule and events together).
// The use cases say what changes; the store knows the keys and the commands.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "pmo/base/money.h"
#include "pmo/benefits/storage/v1/storage.pb.h"
#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/outbox.h"
#include "pmo/common/call_context.h"

namespace pmo::benefits::store {

namespace storage = ::pmo::benefits::storage::v1;

struct StoredBenefit {
  v1::Benefit snapshot;
  storage::Series series;  // empty unless asked for
  int64_t version = 0;
};

// A benefit's new state: its snapshot at its new version, its series, and what value
// queries and the STALE sweep read of it.
struct BenefitSave {
  v1::Benefit snapshot;
  storage::Series series;
  // The version the decision was made on (the write answers ABORTED if it moved);
  // nullopt for a new benefit, whose id must then be free in every portfolio.
  std::optional<int64_t> expected_version;
  // What value queries aggregate; dropped instead when the snapshot is withdrawn.
  storage::ValueEntry value;
  // The day (days since 1970-01-01) time alone may change its status; nullopt: never.
  std::optional<int64_t> review_day;
};

// Moves a benefit's next review without a new version of it.
struct ReviewSave {
  std::string portfolio_id;
  std::string benefit_id;
  // The version the review was made on (ABORTED if it moved); nullopt when the benefit
  // no longer exists and only its schedule entry goes.
  std::optional<int64_t> expected_version;
  std::optional<int64_t> review_day;  // nullopt: no further review
};

// Intake's initiative as benefits keeps it (stage, cost, delivery, promises).
struct InitiativeSave {
  storage::Initiative info;
  int64_t version = 0;       // intake's version: the whole write is skipped unless newer
  int64_t read_version = 0;  // the version held when the decision was made (0: none)
};

// Intake's portfolio as benefits keeps it (its currency).
struct PortfolioSave {
  std::string portfolio_id;
  std::string currency;
  int64_t version = 0;  // the whole write is skipped unless newer
};

// An event about one benefit: published to pmo.benefits.events.v1, keyed by the
// benefit id, at the version of the snapshot it carries.
using BenefitEvent = std::variant<v1::BenefitChanged, v1::BenefitMeasured, v1::BenefitStatusChanged>;

// One decision's writes: committed in one atomic step with its events, or not at all.
struct Changes {
  Changes() = default;
  explicit Changes(CallContext caused_by) : cause(std::move(caused_by)) {}

  CallContext cause;  // correlation and causation ids of the events
  std::optional<PortfolioSave> portfolio;
  std::optional<InitiativeSave> initiative;
  std::vector<BenefitSave> benefits;
  std::vector<ReviewSave> reviews;
  std::vector<BenefitEvent> events;  // published in this order
};

class BenefitsStore {
 public:
  virtual ~BenefitsStore() = default;

  virtual absl::StatusOr<std::optional<std::string>> PortfolioOfBenefit(const std::string& benefit_id) = 0;
  virtual absl::StatusOr<std::optional<std::string>> PortfolioOfInitiative(const std::string& initiative_id) = 0;
  // NOT_FOUND when the benefit does not exist.
  virtual absl::StatusOr<StoredBenefit> GetBenefit(const std::string& portfolio_id, const std::string& benefit_id,
                                                   bool with_series) = 0;
  // The benefit with its series, to change it: possibly the copy this store last wrote
  // or read, which is safe because every benefit write is guarded by the version it was
  // decided on (a stale copy makes the commit answer ABORTED and is dropped).
  virtual absl::StatusOr<std::shared_ptr<const StoredBenefit>> GetBenefitToChange(const std::string& portfolio_id,
                                                                                  const std::string& benefit_id) = 0;
  // Benefits by id, missing ones left out, with their series when asked.
  virtual absl::StatusOr<std::vector<StoredBenefit>> GetBenefits(const std::string& portfolio_id,
                                                                 const std::vector<std::string>& ids,
                                                                 bool with_series) = 0;
  // A page of benefit ids after `after` (exclusive) in id order, of the initiative or
  // (empty `initiative_id`) of the whole portfolio; all of them with count < 0.
  virtual absl::StatusOr<std::vector<std::string>> BenefitIds(const std::string& portfolio_id,
                                                              const std::string& initiative_id,
                                                              const std::string& after, int count) = 0;
  virtual absl::StatusOr<std::optional<storage::Initiative>> GetInitiative(const std::string& portfolio_id,
                                                                           const std::string& initiative_id) = 0;
  // Intake's version of the initiative last applied (0: none).
  virtual absl::StatusOr<int64_t> InitiativeVersion(const std::string& portfolio_id,
                                                    const std::string& initiative_id) = 0;
  // Every known initiative cost of a portfolio, by initiative id.
  virtual absl::StatusOr<std::map<std::string, Money>> Costs(const std::string& portfolio_id) = 0;
  // Every value entry of a portfolio, or those of `ids` (withdrawn ones left out).
  using ValueEntries = std::vector<std::pair<std::string, storage::ValueEntry>>;
  virtual absl::StatusOr<ValueEntries> Values(const std::string& portfolio_id) = 0;
  virtual absl::StatusOr<ValueEntries> Values(const std::string& portfolio_id, const std::vector<std::string>& ids) = 0;
  // The portfolio's currency from intake's events; nullopt when not seen.
  virtual absl::StatusOr<std::optional<std::string>> PortfolioCurrency(const std::string& portfolio_id) = 0;
  virtual absl::StatusOr<std::vector<std::string>> Portfolios() = 0;
  // Benefits whose review day is at most `day`, at most `limit` of them.
  virtual absl::StatusOr<std::vector<std::string>> DueForReview(const std::string& portfolio_id, int64_t day,
                                                                int limit) = 0;

  // Commits the changes with their events in one atomic step. kSkipped when a portfolio
  // or initiative version is not newer than the one held; a moved version answers
  // ABORTED, an id already taken ALREADY_EXISTS; nothing is written then.
  virtual absl::StatusOr<WriteResult> Commit(const Changes& changes) = 0;
};

}  // namespace pmo::benefits::store
