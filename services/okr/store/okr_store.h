// What okr's use cases need from storage: the reads they decide on, and one atomic write
// per decision that commits the new state together with its events (the outbox).
// Only this folder knows okr's Redis keys and commands; the use cases pass values.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/events/v1/envelope.pb.h"
#include "pmo/okr/v1/okr.pb.h"

namespace pmo::okr::store {

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

// A new version of an initiative's alignment, guarded by the version it replaces.
struct AlignmentWrite {
  int64_t previous_version = 0;  // 0: the initiative had no alignment yet
  v1::Alignment alignment;
  events::v1::Envelope event;  // its AlignmentChanged
};

// An initiative as okr learns it from intake's events.
struct InitiativeSeen {
  std::string id;
  std::string portfolio_id;
  std::string stage;     // intake's stage name, e.g. "ACTIVE"
  int64_t version = 0;  // intake's version of the initiative
};

// The writes below answer:
// - ABORTED when an entity they were decided on changed since it was read (its version
//   moved): the use case re-reads and decides again, or the caller resolves it;
// - ALREADY_EXISTS when a create finds the id taken, or a check-in's source_id applied;
// - UNAVAILABLE when Redis could not be reached (the write may have committed; every
//   write is guarded, so a repeat is harmless).
// Nothing is written when a guard fails. Events are published to okr's event topic.
class OkrStore {
 public:
  OkrStore(RedisPool& redis, Outbox& outbox) : redis_(redis), outbox_(outbox) {}

  // ---- reads ----
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
  // The initiative's stage, if okr has seen it.
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

  // ---- writes ----
  // A new objective (its id not taken), below `parent` as read (null for a root).
  absl::Status CreateObjective(const v1::Objective& objective, const v1::Objective* parent,
                               const events::v1::Envelope& event);
  // `updated` replaces `current` (as read); the cascade was checked against `parent`.
  // `events`: ObjectiveChanged, and StrategyChanged when priority or status moved.
  absl::Status UpdateObjective(const v1::Objective& current, const v1::Objective& updated,
                               const v1::Objective* parent, const std::vector<events::v1::Envelope>& events);
  // A new key result (its id not taken) of `objective` as read: its measurability was
  // judged against that objective's period.
  absl::Status CreateKeyResult(const std::string& portfolio_id, const v1::KeyResult& key_result,
                               const v1::Objective& objective, const events::v1::Envelope& event);
  absl::Status UpdateKeyResult(const std::string& portfolio_id, const v1::KeyResult& current,
                               const v1::KeyResult& updated, const v1::Objective& objective,
                               const events::v1::Envelope& event);
  // Records `check_in` in the key result's history, once per source_id, and stores
  // `updated` (the key result after it) in place of `current` as read.
  absl::Status CommitCheckIn(const std::string& portfolio_id, const v1::KeyResult& current,
                             const v1::KeyResult& updated, const v1::CheckIn& check_in,
                             const events::v1::Envelope& event);
  // A link made or removed by a person on `key_result` as read.
  absl::Status CommitAlignment(const std::string& portfolio_id, const AlignmentWrite& write,
                               const v1::KeyResult& key_result);
  // Records what intake said of an initiative, only when `initiative.version` is newer
  // than the one held (an older or repeated event changes nothing and is not an error),
  // with the alignment its submission's proposal changed, if it did.
  absl::Status ApplyInitiative(const InitiativeSeen& initiative, const std::optional<AlignmentWrite>& alignment);

 private:
  absl::StatusOr<std::optional<std::string>> PortfolioOf(const char* index, const std::string& id);
  absl::Status Commit(const AtomicWrite& write);

  RedisPool& redis_;
  Outbox& outbox_;
  std::mutex mu_;
  std::unordered_map<std::string, std::string> portfolio_of_;  // "<index>|<id>" → portfolio
};

}  // namespace pmo::okr::store
