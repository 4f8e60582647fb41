// The initiative lifecycle of DESIGN §3 as one transition table, and the check every
// stage change goes through (gates for IN_REVIEW -> APPROVED live in gates.h).
#pragma once

#include <span>
#include <vector>

#include "absl/status/status.h"
#include "services/intake/domain/model.h"

namespace pmo::intake::domain {

// One row per stage: where it may go next and why. This is the single source of truth;
// IsTransitionAllowed and the lifecycle tests read nothing else.
struct TransitionRule {
  Stage from;
  Stage to;
  std::string_view meaning;
};

// The full table:
//   DRAFT      -> SUBMITTED (submit), STOPPED (withdrawn)
//   SUBMITTED  -> IN_REVIEW (review opened), DRAFT (returned for rework), STOPPED (rejected)
//   IN_REVIEW  -> APPROVED (value gate + capacity), SUBMITTED (sent back), STOPPED (rejected)
//   APPROVED   -> ACTIVE (delivery starts), PAUSED, PIVOTING, STOPPED
//   ACTIVE     -> DELIVERED, PAUSED, PIVOTING, STOPPED
//   PAUSED     -> ACTIVE (resumed), PIVOTING, STOPPED
//   PIVOTING   -> IN_REVIEW (re-scoped case passes the gates again), STOPPED
//   DELIVERED  -> SUSTAINING (benefits tracked in operations), CLOSED, STOPPED
//   SUSTAINING -> CLOSED (tracking window over), STOPPED
//   CLOSED, STOPPED: terminal.
// Staying in the same stage is never a transition.
std::span<const TransitionRule> TransitionTable();

bool IsTransitionAllowed(Stage from, Stage to);
// The stages reachable from `from` in one step, in table order.
std::vector<Stage> AllowedTargets(Stage from);
bool IsTerminal(Stage stage);
// APPROVED and ACTIVE initiatives hold the portfolio's budget and skill capacity: the
// capacity check sums them, and an initiative entering or leaving them changes it.
bool IsCommitted(Stage stage);
// OK when allowed; FAILED_PRECONDITION naming both stages and the allowed targets.
absl::Status CheckTransition(Stage from, Stage to);

}  // namespace pmo::intake::domain
