// okr's state in Redis: objectives, key results (with their latest check-in), check-in
// histories, initiative alignments and the initiatives learned from intake's events.
// A portfolio's keys share the {portfolio} hash tag; every write goes through the
// outbox (AtomicWrite) so state and event commit together.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "pmo/common/redis.h"
#include "pmo/okr/v1/okr.pb.h"

namespace pmo::okr::adapters {

namespace keys {
// HASH id → serialized snapshot, and HASH id → version (what the write guards compare).
std::string Objectives(const std::string& portfolio_id);
std::string ObjectiveVersions(const std::string& portfolio_id);
std::string KeyResults(const std::string& portfolio_id);
std::string KeyResultVersions(const std::string& portfolio_id);
// HASH source_id → serialized CheckIn: one key result's history, and its duplicate guard.
std::string CheckIns(const std::string& portfolio_id, const std::string& key_result_id);
// HASH initiative id → serialized Alignment, and HASH initiative id → alignment version.
std::string Alignments(const std::string& portfolio_id);
std::string AlignmentVersions(const std::string& portfolio_id);
// intake read model: HASH initiative id → stage name, HASH initiative id → intake's version.
std::string Initiatives(const std::string& portfolio_id);
std::string InitiativeVersions(const std::string& portfolio_id);
// Which portfolio an id belongs to (ids are unique across portfolios).
inline constexpr char kObjectivePortfolio[] = "pmo:okr:objective-portfolio";
inline constexpr char kKeyResultPortfolio[] = "pmo:okr:key-result-portfolio";
inline constexpr char kInitiativePortfolio[] = "pmo:okr:initiative-portfolio";
inline constexpr char kPortfolios[] = "pmo:okr:portfolios";  // SET of portfolios with objectives
}  // namespace keys

// What a read of a whole portfolio returns; each part only when asked for.
struct PortfolioData {
  std::vector<v1::Objective> objectives;
  std::vector<v1::KeyResult> key_results;
  std::vector<v1::Alignment> alignments;
  std::map<std::string, std::string> initiative_stages;  // id → stage
};

struct PortfolioParts {
  bool objectives = false;
  bool key_results = false;
  bool alignments = false;
  bool initiatives = false;
};

class RedisStore {
 public:
  explicit RedisStore(RedisPool& redis) : redis_(redis) {}

  // The portfolio an id belongs to; nullopt when unknown. Cached: it never changes.
  absl::StatusOr<std::optional<std::string>> PortfolioOfObjective(const std::string& id);
  absl::StatusOr<std::optional<std::string>> PortfolioOfKeyResult(const std::string& id);
  absl::StatusOr<std::optional<std::string>> PortfolioOfInitiative(const std::string& id);

  absl::StatusOr<std::optional<v1::Objective>> GetObjective(const std::string& portfolio_id, const std::string& id);
  absl::StatusOr<std::optional<v1::KeyResult>> GetKeyResult(const std::string& portfolio_id, const std::string& id);
  // The key result and whether `source_id` is already in its history, in one round trip.
  absl::StatusOr<std::pair<std::optional<v1::KeyResult>, bool>> KeyResultAndSeen(const std::string& portfolio_id,
                                                                                  const std::string& id,
                                                                                  const std::string& source_id);
  absl::StatusOr<std::optional<v1::Alignment>> GetAlignment(const std::string& portfolio_id,
                                                            const std::string& initiative_id);
  // The initiative's stage and intake's version of it, if okr has seen it.
  absl::StatusOr<std::optional<std::string>> InitiativeStage(const std::string& portfolio_id,
                                                            const std::string& initiative_id);
  // The stored ones among `ids` (HMGET), by id.
  absl::StatusOr<std::map<std::string, v1::KeyResult>> KeyResultsByIds(const std::string& portfolio_id,
                                                                      const std::vector<std::string>& ids);
  absl::StatusOr<std::map<std::string, v1::Objective>> ObjectivesByIds(const std::string& portfolio_id,
                                                                      const std::vector<std::string>& ids);
  // Every portfolio with objectives, with its count of objectives and key results.
  absl::StatusOr<std::vector<std::pair<std::string, std::pair<int64_t, int64_t>>>> Portfolios();
  // The asked-for parts of a portfolio, in one pipelined round trip.
  absl::StatusOr<PortfolioData> LoadPortfolio(const std::string& portfolio_id, PortfolioParts parts);

 private:
  absl::StatusOr<std::optional<std::string>> PortfolioOf(const char* index, const std::string& id);

  RedisPool& redis_;
  std::mutex mu_;
  std::unordered_map<std::string, std::string> portfolio_of_;  // "<index>|<id>" → portfolio
};

}  // namespace pmo::okr::adapters
