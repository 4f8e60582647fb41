// What intake's use cases need from storage: the stored portfolios, initiatives and read
// models, and the writes that change them together with the event that announces it.
//
// The app decides (validates, applies the domain rules, picks the event to publish);
// the store knows the keys, the guards that keep a write consistent and the commands.
// Every write is one atomic step (state and event commit together, or neither does).
// RedisIntakeStore (redis_store.h) is the implementation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/outbox.h"
#include "pmo/common/call_context.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/events.pb.h"

namespace pmo::intake::store {

// A stored value with the version its record carries (what a guarded write compares).
template <typename T>
struct Versioned {
  T value;
  int64_t version = 0;
};

// The portfolio's commitments (its APPROVED and ACTIVE initiatives) must still be at
// the version a capacity decision read; otherwise the write answers ABORTED.
struct CommitmentsGuard {
  int64_t version = 0;
  std::string_view during;  // "approval" or "update": named in the ABORTED message
};

// A change to an existing initiative and the event announcing it.
struct InitiativeChange {
  // The snapshot the decision was made on: the stored version must still be its version
  // (ABORTED otherwise) and its stage is the one the stage counts move from.
  const v1::Initiative* before = nullptr;
  // The snapshot to store; the event's subject and aggregate version come from it.
  const v1::Initiative* after = nullptr;
  // The event published with the change (an intake.v1 event message). It is serialized
  // while the write is built, so it only has to live for the call.
  const google::protobuf::Message* event = nullptr;
  std::optional<CommitmentsGuard> commitments;
  // The portfolio's committed demand changes (an initiative became or stopped being
  // committed, or a committed one asks for other amounts): approvals in flight that
  // read the old figures must be refused.
  bool commitments_changed = false;
  // Non-empty for an ingested event: the change applies once per event id (a redelivery
  // answers WriteResult::kSkipped).
  std::string once_per_event_id;
};

class IntakeStore {
 public:
  virtual ~IntakeStore() = default;

  // ---- reads ----------------------------------------------------------------------
  virtual absl::StatusOr<Versioned<v1::Portfolio>> GetPortfolio(const std::string& portfolio_id) = 0;
  // The portfolios of a page of ids, in the order given (ids gone meanwhile are skipped).
  virtual absl::StatusOr<std::vector<v1::Portfolio>> GetPortfolios(const std::vector<std::string>& ids) = 0;
  // Up to `count` portfolio ids after `after` (exclusive; "" = from the start), in id order.
  virtual absl::StatusOr<std::vector<std::string>> PortfolioIdsAfter(const std::string& after, int count) = 0;

  virtual absl::StatusOr<Versioned<v1::Initiative>> GetInitiative(const std::string& portfolio_id,
                                                                  const std::string& initiative_id) = 0;
  // Looks the portfolio up first (NOT_FOUND if the initiative is unknown).
  virtual absl::StatusOr<Versioned<v1::Initiative>> GetInitiative(const std::string& initiative_id) = 0;
  virtual absl::StatusOr<std::vector<v1::Initiative>> GetInitiatives(const std::string& portfolio_id,
                                                                     const std::vector<std::string>& ids) = 0;
  // Up to `count` ids of the portfolio's initiatives after `after`, in id order.
  virtual absl::StatusOr<std::vector<std::string>> InitiativeIdsAfter(const std::string& portfolio_id,
                                                                      const std::string& after, int count) = 0;
  // Every initiative of a portfolio (for capacity checks).
  virtual absl::StatusOr<std::vector<v1::Initiative>> PortfolioInitiatives(const std::string& portfolio_id) = 0;
  // The version of the portfolio's commitments (0 before the first).
  virtual absl::StatusOr<int64_t> CommitmentsVersion(const std::string& portfolio_id) = 0;

  // okr read model: the key results an initiative is linked to (nullopt: not seen yet).
  virtual absl::StatusOr<std::optional<okr::v1::AlignmentChanged>> Alignment(const std::string& initiative_id) = 0;
  // okr read model: a key result's latest measurability verdict (nullopt: not seen).
  virtual absl::StatusOr<std::optional<bool>> KeyResultMeasurable(const std::string& key_result_id) = 0;
  // benefits read model: the benefits registered for an initiative.
  virtual absl::StatusOr<std::vector<benefits::v1::Benefit>> Benefits(const std::string& initiative_id) = 0;
  // Stage counts ("STAGE_ACTIVE" -> n) per portfolio, for the business gauges.
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::map<std::string, int64_t>>>> StageCounts() = 0;

  // ---- writes (each with its event, in one atomic step) ---------------------------
  // A new portfolio; ALREADY_EXISTS when the id is taken.
  virtual absl::Status CreatePortfolio(const v1::Portfolio& snapshot, const google::protobuf::Message& event,
                                       const CallContext& ctx) = 0;
  // The portfolio as `snapshot`, if it is still at `read_version` (ABORTED otherwise).
  // Budgets and capacities feed approval, so the change refuses approvals in flight.
  virtual absl::Status UpdatePortfolio(const v1::Portfolio& snapshot, int64_t read_version,
                                       const google::protobuf::Message& event, const CallContext& ctx) = 0;
  // A new initiative in its portfolio: NOT_FOUND without the portfolio, ALREADY_EXISTS
  // when the id is taken here or in another portfolio (ids are unique across them).
  virtual absl::Status SubmitInitiative(const v1::Initiative& snapshot, const google::protobuf::Message& event,
                                        const CallContext& ctx) = 0;
  virtual absl::StatusOr<WriteResult> ChangeInitiative(const InitiativeChange& change, const CallContext& ctx) = 0;
  // ChangeInitiative without waiting: the write is built (and the event serialized)
  // before this returns; `done` runs once with the result, possibly on the outbox's
  // committer thread, so it must be quick and must not wait for another commit.
  virtual void ChangeInitiativeAsync(const InitiativeChange& change, const CallContext& ctx,
                                     Outbox::CommitDone done) = 0;

  // Read models of other services' events, each applied only when `version` is newer
  // than the one held (WriteResult::kSkipped otherwise).
  virtual absl::StatusOr<WriteResult> PutAlignment(const okr::v1::AlignmentChanged& alignment, int64_t version) = 0;
  virtual absl::StatusOr<WriteResult> PutKeyResultMeasurable(const std::string& key_result_id, bool measurable,
                                                             int64_t version) = 0;
  // A removed benefit leaves the initiative's benefits.
  virtual absl::StatusOr<WriteResult> PutBenefit(const benefits::v1::Benefit& benefit, int64_t version) = 0;
};

}  // namespace pmo::intake::store
