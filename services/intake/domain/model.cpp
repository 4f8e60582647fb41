#include "services/intake/domain/model.h"

namespace pmo::intake::domain {

std::string_view StageName(Stage stage) {
  switch (stage) {
    case Stage::kDraft: return "DRAFT";
    case Stage::kSubmitted: return "SUBMITTED";
    case Stage::kInReview: return "IN_REVIEW";
    case Stage::kApproved: return "APPROVED";
    case Stage::kActive: return "ACTIVE";
    case Stage::kDelivered: return "DELIVERED";
    case Stage::kSustaining: return "SUSTAINING";
    case Stage::kClosed: return "CLOSED";
    case Stage::kPaused: return "PAUSED";
    case Stage::kPivoting: return "PIVOTING";
    case Stage::kStopped: return "STOPPED";
  }
  return "UNKNOWN";
}

std::optional<Stage> ParseStage(std::string_view name) {
  for (Stage stage : kAllStages) {
    if (StageName(stage) == name) return stage;
  }
  return std::nullopt;
}

std::string_view DecisionKindName(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kContinue: return "CONTINUE";
    case DecisionKind::kPivot: return "PIVOT";
    case DecisionKind::kStop: return "STOP";
  }
  return "UNKNOWN";
}

}  // namespace pmo::intake::domain
