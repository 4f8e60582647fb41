// The read-model projection: what each consumed event changes in reporting's read models
// (pure functions, one per payload, returning the writes and the changes for the live
// feed), and the use case that applies one event's projection. Every write is idempotent
// (see store::ProjectionBatch), so a redelivery or a full replay leaves the same state as
// live consumption.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/reporting/store/projection_batch.h"
#include "services/reporting/store/read_model_store.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/clock.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "pmo/scoring/v1/events.pb.h"

namespace pmo::reporting::app {

class ChangeFeed;
class QuarterFreezer;
class ReportingMetrics;

// What changed, for the live stream.
struct Change {
  std::string portfolio_id;
  std::string initiative_id;  // empty for portfolio-wide changes
  std::string event_type;     // short name: "BenefitMeasured"
  std::string event_id;
  int64_t occurred_at_ms = 0;
  int64_t applied_at_ms = 0;  // when the read model took it
};

// The consumed event a projection comes from.
struct EventFacts {
  std::string event_id;
  std::string type;  // the payload's full type name
  int64_t occurred_at_ms = 0;
  // The snapshot version (envelope first, the payload's as fallback). Handlers whose
  // section is ordered by something else say so and do not read it.
  int64_t version = 0;
  std::string ShortType() const { return type.substr(type.rfind('.') + 1); }
};

struct Projected {
  store::ProjectionBatch writes;
  std::vector<Change> changes;
};

Projected ProjectPortfolio(const intake::v1::Portfolio& portfolio, const EventFacts& event);
// Intake's initiative snapshot (submitted, updated, progress reported); a stage change is
// also a delivery adjustment (`adjusts_delivery`).
Projected ProjectInitiative(const intake::v1::Initiative& initiative, const EventFacts& event,
                            bool adjusts_delivery = false);
// Score and rank, ordered by the event's time (`occurred_at_ms`).
Projected ProjectScore(const scoring::v1::InitiativeScore& score, const EventFacts& event);
Projected ProjectRanking(const scoring::v1::RankingChanged& ranking, const EventFacts& event);
Projected ProjectAlignment(const okr::v1::AlignmentChanged& alignment, const EventFacts& event);
Projected ProjectKeyResult(const okr::v1::KeyResultChanged& key_result, const EventFacts& event);
Projected ProjectCheckIn(const okr::v1::KeyResultCheckedIn& check_in, const EventFacts& event);
Projected ProjectObjective(const okr::v1::ObjectiveChanged& objective, const EventFacts& event);
Projected ProjectStrategy(const okr::v1::StrategyChanged& update, const EventFacts& event);
Projected ProjectBenefit(const benefits::v1::Benefit& benefit, const EventFacts& event);
// Ordered by the decision's time (`decided_at_ms`, the event's time when unset).
Projected ProjectDecision(const v1::DecisionRecorded& decision, int64_t decided_at_ms, const EventFacts& event);

// "STAGE_ACTIVE" → "ACTIVE": enum value names without their type prefix.
std::string ShortEnumName(const std::string& full, const std::string& prefix);

class Projection {
 public:
  Projection(store::ReadModelStore& store, QuarterFreezer& quarters, ChangeFeed& feed, ReportingMetrics& metrics,
             const Clock& clock)
      : store_(store), quarters_(quarters), feed_(feed), metrics_(metrics), clock_(clock) {}

  // Applies one event's projection and tells the change feed what changed; a redelivery
  // changes and tells nothing. INVALID_ARGUMENT for an event that names no portfolio
  // (every read model belongs to one; the consumer dead-letters it).
  absl::Status Apply(Projected projected, const EventFacts& event);

 private:
  store::ReadModelStore& store_;
  QuarterFreezer& quarters_;
  ChangeFeed& feed_;
  ReportingMetrics& metrics_;
  const Clock& clock_;
};

}  // namespace pmo::reporting::app
