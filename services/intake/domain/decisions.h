// Applies evidence-review decisions (reporting's DecisionRecorded) to an initiative:
// STOP -> STOPPED, PIVOT -> PIVOTING, CONTINUE keeps the stage; always recorded.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/intake/domain/model.h"

namespace pmo::intake::domain {

struct DecisionOutcome {
  // The decision id was applied before; nothing changed (redelivered event).
  bool already_applied = false;
  bool stage_changed = false;
  Stage from = Stage::kDraft;
  Stage to = Stage::kDraft;
  // Why the stage stayed where it is, when the decision asked for a move the lifecycle
  // does not allow from here (e.g. STOP on a CLOSED initiative). Empty otherwise.
  std::string note;
};

// Records `decision` as the initiative's last decision and moves the stage through the
// lifecycle table. Reporting owns decisions, so one that the table cannot follow is
// still recorded (and said so in `note`) rather than refused: refusing would only
// dead-letter a fact that already happened. INVALID_ARGUMENT for a decision without an
// id or for another initiative. Bumps the version when anything changed.
absl::StatusOr<DecisionOutcome> ApplyDecision(Initiative& initiative, const Decision& decision);

}  // namespace pmo::intake::domain
