#include "services/reporting/domain/decision.h"

namespace pmo::reporting::domain {

DecisionVerdict JudgeDecision(const DecisionEntry& recorded, const DecisionEntry& requested, bool review_open) {
  // A recorded decision answers first, so a client retrying after the review closed still
  // learns that its decision stands.
  if (!recorded.decision.empty())
    return recorded == requested ? DecisionVerdict::kAlreadyRecorded : DecisionVerdict::kConflicts;
  return review_open ? DecisionVerdict::kRecord : DecisionVerdict::kReviewClosed;
}

}  // namespace pmo::reporting::domain
