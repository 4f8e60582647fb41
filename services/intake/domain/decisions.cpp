#include "services/intake/domain/decisions.h"

#include <algorithm>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/intake/domain/lifecycle.h"
#include "pmo/base/errors.h"

namespace pmo::intake::domain {
namespace {

std::optional<Stage> TargetOf(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kStop: return Stage::kStopped;
    case DecisionKind::kPivot: return Stage::kPivoting;
    case DecisionKind::kContinue: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<DecisionOutcome> ApplyDecision(Initiative& initiative, const Decision& decision) {
  if (absl::StripAsciiWhitespace(decision.decision_id).empty()) {
    return absl::InvalidArgumentError("decision has no decision_id, so it cannot be applied idempotently");
  }
  if (decision.initiative_id != initiative.id) {
    return absl::InvalidArgumentError(absl::StrCat("decision ", decision.decision_id, " is for initiative ",
                                                   decision.initiative_id, ", not ", initiative.id));
  }
  DecisionOutcome outcome;
  outcome.from = outcome.to = initiative.stage;
  const auto& applied = initiative.applied_decision_ids;
  if (std::find(applied.begin(), applied.end(), decision.decision_id) != applied.end()) {
    outcome.already_applied = true;
    return outcome;
  }

  if (const std::optional<Stage> target = TargetOf(decision.kind)) {
    if (initiative.stage == *target) {
      outcome.note = absl::StrCat("initiative is already ", AbslView(StageName(*target)));
    } else if (IsTransitionAllowed(initiative.stage, *target)) {
      initiative.stage = *target;
      outcome.to = *target;
      outcome.stage_changed = true;
    } else {
      outcome.note = absl::StrCat(AbslView(DecisionKindName(decision.kind)), " recorded, but ",
                                  AbslView(StageName(initiative.stage)), " -> ", AbslView(StageName(*target)),
                                  " is not a lifecycle transition; stage kept");
    }
  }
  initiative.last_decision = decision;
  initiative.applied_decision_ids.push_back(decision.decision_id);
  ++initiative.version;
  return outcome;
}

}  // namespace pmo::intake::domain
