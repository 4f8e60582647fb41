// The read-model projection: one consumed event becomes a few guarded Redis writes.
// Every write is idempotent (newer-version guards, or set-like commands), so a
// redelivered event or a full replay of the topics leaves the same state as live
// consumption. Pure: builds the writes, runs nothing.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pmo/common/outbox.h"
#include "pmo/events/v1/envelope.pb.h"

namespace pmo::reporting::app {

// What changed, for the live stream.
struct Change {
  std::string portfolio_id;
  std::string initiative_id;  // empty for portfolio-wide changes
  std::string event_type;     // short name: "BenefitMeasured"
  std::string event_id;
  int64_t occurred_at_ms = 0;
  int64_t applied_at_ms = 0;  // when the read model took it
};

struct Projected {
  std::vector<AtomicWrite> writes;
  std::vector<Change> changes;
};

// The writes for one event; empty for events reporting has no use for. A payload that
// does not decode is INVALID_ARGUMENT (the consumer dead-letters it).
absl::StatusOr<Projected> Project(const events::v1::Envelope& envelope);

int64_t OccurredAtMs(const events::v1::Envelope& envelope);

// "STAGE_ACTIVE" → "ACTIVE": enum value names without their type prefix.
std::string ShortEnumName(const std::string& full, const std::string& prefix);

}  // namespace pmo::reporting::app
