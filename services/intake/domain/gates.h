// The IN_REVIEW -> APPROVED gates (value gate and capacity check) and the one function
// that applies a requested stage transition, gates included.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/intake/domain/model.h"

namespace pmo::intake::domain {

// --- evidence, as intake's read models know it -------------------------------------

// A key-result link as okr's AlignmentChanged / key-result events describe it.
struct LinkedKeyResult {
  std::string key_result_id;
  bool measurable = false;  // okr's verdict: metric, unit, baseline, target and due date set
};
struct OkrEvidence {
  // False until okr has published alignment for this initiative; a refusal then says
  // the read model is behind rather than that nothing is linked.
  bool knows_initiative = false;
  std::vector<LinkedKeyResult> linked_key_results;
};

// A benefit as the benefits service's events describe it.
struct BenefitEvidence {
  std::string benefit_id;
  std::optional<double> baseline;
  std::optional<double> target;
  std::string unit;
  std::optional<Date> target_date;
};
struct BenefitsEvidence {
  bool knows_initiative = false;  // benefits has published at least one benefit for it
  std::vector<BenefitEvidence> benefits;
};

// --- refusals ----------------------------------------------------------------------

enum class GateReason {
  kOkrNotCaughtUp,
  kNoMeasurableKeyResult,
  kBenefitsNotCaughtUp,
  kNoCompleteBenefit,
  kBudgetExceeded,
  kCapacityExceeded,
};
// Stable names ("GATE_MEASURABLE_KEY_RESULT", "CAPACITY_BUDGET", ...), used as the
// google.rpc.PreconditionFailure type and as the "reason" label of refusal metrics.
std::string_view GateReasonName(GateReason reason);

// One unmet condition. `subject` says what it is about: the initiative id for the value
// gate, "2027Q2" for a budget, "2027Q2/backend" for a skill.
struct GateFailure {
  GateReason reason;
  std::string subject;
  std::string message;
  bool operator==(const GateFailure&) const = default;
};

// FAILED_PRECONDITION listing every failure in the message and carrying them as a
// google.rpc.PreconditionFailure payload (pmo::FailedPrecondition); OK when empty.
absl::Status GateRefusal(std::string_view summary, const std::vector<GateFailure>& failures);
// The failures attached by GateRefusal, e.g. for "gate refusals by reason" metrics.
std::vector<GateFailure> GateFailuresOf(const absl::Status& status);

// --- value gate ----------------------------------------------------------------------

// Every unmet value condition: at least one linked measurable key result, and at least
// one benefit with baseline, target, unit and target date. Empty when the gate passes.
std::vector<GateFailure> CheckValueGate(const Initiative& initiative, const OkrEvidence& okr,
                                        const BenefitsEvidence& benefits);

// --- capacity check -----------------------------------------------------------------

struct BudgetOverflow {
  Quarter quarter;
  int64_t committed_minor = 0;  // APPROVED + ACTIVE initiatives, this one excluded
  int64_t requested_minor = 0;  // this initiative
  int64_t budget_minor = 0;
  bool operator==(const BudgetOverflow&) const = default;
};
struct SkillOverflow {
  Quarter quarter;
  std::string skill;
  double committed_hours = 0;
  double requested_hours = 0;
  double capacity_hours = 0;
  bool operator==(const SkillOverflow&) const = default;
};
struct CapacityCheck {
  std::vector<BudgetOverflow> budget;
  std::vector<SkillOverflow> skills;
  bool ok() const { return budget.empty() && skills.empty(); }
  // One failure per overflow, with the figures, amounts in `currency`.
  std::vector<GateFailure> Failures(std::string_view currency) const;
};

// Whether the committed (APPROVED + ACTIVE) initiatives of `portfolio` among
// `portfolio_initiatives` plus `candidate` stay within budget and skill capacity.
// Only quarters where the candidate asks for money or hours are judged: an overflow
// the candidate does not add to is not its to answer for.
CapacityCheck CheckCapacity(const Portfolio& portfolio, const Initiative& candidate,
                            std::span<const Initiative> portfolio_initiatives);

// Whether an update must pass the capacity check again before it is stored: a committed
// (APPROVED or ACTIVE) initiative that asks for other amounts or hours than it holds
// must still fit the portfolio, judged on the figures an approval would use.
bool NeedsCapacityRecheck(const Initiative& current, const Initiative& updated);

// --- applying a transition -------------------------------------------------------------

struct TransitionRequest {
  Stage to = Stage::kDraft;
  int64_t expected_version = 0;
  std::string reason;  // for the event and the audit trail; the domain does not judge it
  // Lets approval pass a capacity overflow (never the value gate); recorded on the
  // initiative when it was needed.
  std::string override_reason;
};

// What approval needs besides the initiative; required only when moving to APPROVED.
struct ApprovalContext {
  const Portfolio* portfolio = nullptr;
  std::span<const Initiative> portfolio_initiatives;
  OkrEvidence okr;
  BenefitsEvidence benefits;
};

struct TransitionOutcome {
  Stage from = Stage::kDraft;
  Stage to = Stage::kDraft;
  // Overflows approval went past because of an override_reason (empty otherwise).
  std::vector<GateFailure> overridden;
};

// Every condition blocking approval: the value gate, then the capacity overflows unless
// `override_reason` is non-blank.
std::vector<GateFailure> ApprovalRefusals(const Initiative& initiative, const ApprovalContext& context,
                                          std::string_view override_reason);

// Checks the version (ABORTED), the transition table (FAILED_PRECONDITION) and, for
// APPROVED, the gates (FAILED_PRECONDITION listing every unmet condition). On success
// moves the initiative, bumps its version and records or clears override_reason on
// approval; on failure the initiative is untouched.
absl::StatusOr<TransitionOutcome> ApplyTransition(Initiative& initiative, const TransitionRequest& request,
                                                  const ApprovalContext* approval);

}  // namespace pmo::intake::domain
