// Recording a decision on an evidence review's item: one decision per initiative and
// review, a repeat of the same call changes nothing, and a closed review takes none.
// Pure, so the rule reads in one place and a unit test states it.
#pragma once

#include <string>

#include "pmo/base/money.h"

namespace pmo::reporting::domain {

// A decision as a review item holds it (empty `decision`: none recorded yet) or as a
// request asks for it.
struct DecisionEntry {
  std::string decision;  // "CONTINUE", "PIVOT", "STOP"
  std::string rationale;
  std::string decided_by;
  Money funding_change;  // zero when none comes with it
  bool operator==(const DecisionEntry&) const = default;
};

enum class DecisionVerdict {
  kRecord,           // record it
  kAlreadyRecorded,  // exactly this decision is recorded: answer the review as it is
  kConflicts,        // another decision is recorded: refuse
  kReviewClosed,     // nothing recorded and the review is closed: refuse
};

DecisionVerdict JudgeDecision(const DecisionEntry& recorded, const DecisionEntry& requested, bool review_open);

}  // namespace pmo::reporting::domain
