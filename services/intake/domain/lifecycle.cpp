#include "services/intake/domain/lifecycle.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pmo/base/errors.h"

namespace pmo::intake::domain {
namespace {

constexpr std::array kTable = {
    TransitionRule{Stage::kDraft, Stage::kSubmitted, "submitted for review"},
    TransitionRule{Stage::kDraft, Stage::kStopped, "withdrawn before submission"},
    TransitionRule{Stage::kSubmitted, Stage::kInReview, "review opened"},
    TransitionRule{Stage::kSubmitted, Stage::kDraft, "returned to the author for rework"},
    TransitionRule{Stage::kSubmitted, Stage::kStopped, "rejected or withdrawn"},
    TransitionRule{Stage::kInReview, Stage::kApproved, "passed the value gate and capacity check"},
    TransitionRule{Stage::kInReview, Stage::kSubmitted, "sent back for more evidence"},
    TransitionRule{Stage::kInReview, Stage::kStopped, "rejected at review"},
    TransitionRule{Stage::kApproved, Stage::kActive, "delivery started"},
    TransitionRule{Stage::kApproved, Stage::kPaused, "paused before start"},
    TransitionRule{Stage::kApproved, Stage::kPivoting, "pivot decided before start"},
    TransitionRule{Stage::kApproved, Stage::kStopped, "stop decided before start"},
    TransitionRule{Stage::kActive, Stage::kDelivered, "delivered"},
    TransitionRule{Stage::kActive, Stage::kPaused, "paused"},
    TransitionRule{Stage::kActive, Stage::kPivoting, "pivot decided"},
    TransitionRule{Stage::kActive, Stage::kStopped, "stop decided"},
    TransitionRule{Stage::kPaused, Stage::kActive, "resumed"},
    TransitionRule{Stage::kPaused, Stage::kPivoting, "pivot decided while paused"},
    TransitionRule{Stage::kPaused, Stage::kStopped, "stop decided while paused"},
    TransitionRule{Stage::kPivoting, Stage::kInReview, "re-scoped case goes through the gates again"},
    TransitionRule{Stage::kPivoting, Stage::kStopped, "stop decided while pivoting"},
    TransitionRule{Stage::kDelivered, Stage::kSustaining, "benefits tracked in operations"},
    TransitionRule{Stage::kDelivered, Stage::kClosed, "closed without a sustaining window"},
    TransitionRule{Stage::kDelivered, Stage::kStopped, "stop decided after delivery"},
    TransitionRule{Stage::kSustaining, Stage::kClosed, "tracking window over"},
    TransitionRule{Stage::kSustaining, Stage::kStopped, "stop decided while sustaining"},
};

}  // namespace

std::span<const TransitionRule> TransitionTable() { return kTable; }

bool IsTransitionAllowed(Stage from, Stage to) {
  for (const auto& rule : kTable) {
    if (rule.from == from && rule.to == to) return true;
  }
  return false;
}

std::vector<Stage> AllowedTargets(Stage from) {
  std::vector<Stage> out;
  for (const auto& rule : kTable) {
    if (rule.from == from) out.push_back(rule.to);
  }
  return out;
}

bool IsTerminal(Stage stage) { return AllowedTargets(stage).empty(); }

bool IsCommitted(Stage stage) { return stage == Stage::kApproved || stage == Stage::kActive; }

absl::Status CheckTransition(Stage from, Stage to) {
  if (IsTransitionAllowed(from, to)) return absl::OkStatus();
  if (from == to) {
    return absl::FailedPreconditionError(absl::StrCat("initiative is already ", AbslView(StageName(from))));
  }
  const std::vector<Stage> targets = AllowedTargets(from);
  if (targets.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("transition ", AbslView(StageName(from)), " -> ", AbslView(StageName(to)),
                                                      " is not allowed: ", AbslView(StageName(from)), " is final"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "transition ", AbslView(StageName(from)), " -> ", AbslView(StageName(to)), " is not allowed; from ", AbslView(StageName(from)),
      " an initiative can move to ",
      absl::StrJoin(targets, ", ", [](std::string* out, Stage s) { absl::StrAppend(out, AbslView(StageName(s))); })));
}

}  // namespace pmo::intake::domain
