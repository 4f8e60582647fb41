#include "services/intake/domain/gates.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/intake/domain/lifecycle.h"
#include "pmo/base/errors.h"
#include "pmo/base/validation.h"
#include "services/intake/domain/versioning.h"

namespace pmo::intake::domain {
namespace {

constexpr GateReason kAllReasons[] = {GateReason::kOkrNotCaughtUp,      GateReason::kNoMeasurableKeyResult,
                                      GateReason::kBenefitsNotCaughtUp, GateReason::kNoCompleteBenefit,
                                      GateReason::kBudgetExceeded,      GateReason::kCapacityExceeded};

// Saturating, so absurd but valid amounts cannot wrap around into "fits".
int64_t AddMoney(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? std::numeric_limits<int64_t>::max()
                                                       : std::numeric_limits<int64_t>::min();
  return sum;
}

std::string Amount(int64_t minor, std::string_view currency) {
  return FormatMoney(Money{minor, std::string(currency)});
}

// Tolerates rounding of summed fractional hours; a planning figure has no meaning below it.
constexpr double kHoursEpsilon = 1e-6;

}  // namespace

std::string_view GateReasonName(GateReason reason) {
  switch (reason) {
    case GateReason::kOkrNotCaughtUp: return "GATE_OKR_NOT_CAUGHT_UP";
    case GateReason::kNoMeasurableKeyResult: return "GATE_MEASURABLE_KEY_RESULT";
    case GateReason::kBenefitsNotCaughtUp: return "GATE_BENEFITS_NOT_CAUGHT_UP";
    case GateReason::kNoCompleteBenefit: return "GATE_COMPLETE_BENEFIT";
    case GateReason::kBudgetExceeded: return "CAPACITY_BUDGET";
    case GateReason::kCapacityExceeded: return "CAPACITY_SKILL_HOURS";
  }
  return "UNKNOWN";
}

absl::Status GateRefusal(std::string_view summary, const std::vector<GateFailure>& failures) {
  if (failures.empty()) return absl::OkStatus();
  std::vector<PreconditionViolation> violations;
  violations.reserve(failures.size());
  for (const GateFailure& f : failures) {
    violations.push_back({std::string(GateReasonName(f.reason)), f.subject, f.message});
  }
  return FailedPrecondition(summary, violations);
}

std::vector<GateFailure> GateFailuresOf(const absl::Status& status) {
  std::vector<GateFailure> out;
  for (auto& v : PreconditionViolationsOf(status)) {
    // Other layers may attach preconditions of their own; only gate reasons are ours.
    for (GateReason reason : kAllReasons) {
      if (GateReasonName(reason) == v.type) {
        out.push_back({reason, std::move(v.subject), std::move(v.description)});
        break;
      }
    }
  }
  return out;
}

std::vector<GateFailure> CheckValueGate(const Initiative& initiative, const OkrEvidence& okr,
                                        const BenefitsEvidence& benefits) {
  std::vector<GateFailure> out;
  const std::string& id = initiative.id;

  if (!okr.knows_initiative) {
    out.push_back({GateReason::kOkrNotCaughtUp, id,
                   "no linked measurable key result yet: okr has not reported on this initiative "
                   "(its read model has not caught up with the submission); retry shortly"});
  } else {
    bool any_measurable = false;
    std::vector<std::string> unmeasurable;
    for (const auto& kr : okr.linked_key_results) {
      if (kr.measurable) {
        any_measurable = true;
      } else {
        unmeasurable.push_back(kr.key_result_id);
      }
    }
    if (!any_measurable) {
      out.push_back({GateReason::kNoMeasurableKeyResult, id,
                     unmeasurable.empty()
                         ? std::string("no key result is linked to the initiative")
                         : absl::StrCat("no linked key result is measurable (not measurable: ",
                                        absl::StrJoin(unmeasurable, ", "), ")")});
    }
  }

  if (!benefits.knows_initiative) {
    out.push_back({GateReason::kBenefitsNotCaughtUp, id,
                   "no benefit with baseline, target, unit and target date yet: the benefits service has "
                   "not reported any benefit for this initiative (its read model has not caught up, or "
                   "none was registered)"});
  } else {
    bool any_complete = false;
    std::vector<std::string> gaps;
    for (const auto& b : benefits.benefits) {
      std::vector<std::string> missing;
      if (!b.baseline || !std::isfinite(*b.baseline)) missing.push_back("baseline");
      if (!b.target || !std::isfinite(*b.target)) missing.push_back("target");
      if (IsBlank(b.unit)) missing.push_back("unit");
      if (!b.target_date) missing.push_back("target date");
      if (missing.empty()) {
        any_complete = true;
        break;
      }
      gaps.push_back(absl::StrCat(b.benefit_id, " lacks ", absl::StrJoin(missing, ", ")));
    }
    if (!any_complete) {
      out.push_back({GateReason::kNoCompleteBenefit, id,
                     gaps.empty() ? std::string("no benefit is registered for the initiative")
                                  : absl::StrCat("no benefit has baseline, target, unit and target date (",
                                                 absl::StrJoin(gaps, "; "), ")")});
    }
  }
  return out;
}

std::vector<GateFailure> CapacityCheck::Failures(std::string_view currency) const {
  std::vector<GateFailure> out;
  for (const auto& o : budget) {
    const int64_t total = AddMoney(o.committed_minor, o.requested_minor);
    out.push_back({GateReason::kBudgetExceeded, FormatQuarter(o.quarter),
                   absl::StrCat("budget ", FormatQuarter(o.quarter), ": committed ",
                                Amount(o.committed_minor, currency),
                                " + this initiative ", Amount(o.requested_minor, currency), " = ",
                                Amount(total, currency), " exceeds ", Amount(o.budget_minor, currency), " by ",
                                Amount(AddMoney(total, -o.budget_minor), currency))});
  }
  for (const auto& o : skills) {
    const double total = o.committed_hours + o.requested_hours;
    out.push_back({GateReason::kCapacityExceeded, absl::StrCat(FormatQuarter(o.quarter), "/", o.skill),
                   absl::StrCat("capacity ", FormatQuarter(o.quarter), " ", o.skill, ": committed ",
                                o.committed_hours, " h + this initiative ", o.requested_hours, " h = ", total,
                                " h exceeds ", o.capacity_hours, " h by ", total - o.capacity_hours, " h")});
  }
  return out;
}

CapacityCheck CheckCapacity(const Portfolio& portfolio, const Initiative& candidate,
                            std::span<const Initiative> portfolio_initiatives) {
  std::map<Quarter, int64_t> committed_cost;
  std::map<std::string, std::map<Quarter, double>> committed_hours;
  for (const Initiative& other : portfolio_initiatives) {
    // The candidate itself may be in the list (e.g. re-approval after a pivot).
    if (other.id == candidate.id || other.portfolio_id != portfolio.id || !IsCommitted(other.stage)) continue;
    for (const auto& [quarter, cost] : other.cost_per_quarter) {
      committed_cost[quarter] = AddMoney(committed_cost[quarter], cost.minor_units);
    }
    for (const auto& [skill, per_quarter] : other.effort_hours) {
      for (const auto& [quarter, hours] : per_quarter) committed_hours[skill][quarter] += hours;
    }
  }

  CapacityCheck check;
  for (const auto& [quarter, cost] : candidate.cost_per_quarter) {
    if (cost.minor_units <= 0) continue;
    const auto budget_it = portfolio.budget_per_quarter.find(quarter);
    const int64_t budget = budget_it == portfolio.budget_per_quarter.end() ? 0 : budget_it->second.minor_units;
    const int64_t committed = committed_cost[quarter];
    if (AddMoney(committed, cost.minor_units) > budget) {
      check.budget.push_back({quarter, committed, cost.minor_units, budget});
    }
  }
  for (const auto& [skill, per_quarter] : candidate.effort_hours) {
    const auto skill_it = portfolio.capacity_hours.find(skill);
    for (const auto& [quarter, hours] : per_quarter) {
      if (!(hours > 0)) continue;
      double capacity = 0;
      if (skill_it != portfolio.capacity_hours.end()) {
        if (auto q = skill_it->second.find(quarter); q != skill_it->second.end()) capacity = q->second;
      }
      const double committed = committed_hours[skill][quarter];
      if (committed + hours > capacity + kHoursEpsilon) {
        check.skills.push_back({quarter, skill, committed, hours, capacity});
      }
    }
  }
  return check;
}

bool NeedsCapacityRecheck(const Initiative& current, const Initiative& updated) {
  return IsCommitted(current.stage) &&
         (current.cost_per_quarter != updated.cost_per_quarter || current.effort_hours != updated.effort_hours);
}

std::vector<GateFailure> ApprovalRefusals(const Initiative& initiative, const ApprovalContext& context,
                                          std::string_view override_reason) {
  std::vector<GateFailure> out = CheckValueGate(initiative, context.okr, context.benefits);
  if (IsBlank(override_reason) && context.portfolio != nullptr) {
    const CapacityCheck capacity = CheckCapacity(*context.portfolio, initiative, context.portfolio_initiatives);
    for (auto& f : capacity.Failures(context.portfolio->currency)) out.push_back(std::move(f));
  }
  return out;
}

absl::StatusOr<TransitionOutcome> ApplyTransition(Initiative& initiative, const TransitionRequest& request,
                                                  const ApprovalContext* approval) {
  if (auto s = CheckExpectedVersion(absl::StrCat("initiative ", initiative.id), initiative.version,
                                    request.expected_version);
      !s.ok()) {
    return s;
  }
  if (auto s = CheckTransition(initiative.stage, request.to); !s.ok()) return s;

  TransitionOutcome outcome{initiative.stage, request.to, {}};
  const bool approving = request.to == Stage::kApproved;
  if (approving) {
    // A caller that forgot the evidence must not approve by accident.
    if (approval == nullptr || approval->portfolio == nullptr) {
      return absl::InternalError("approval requires the portfolio and the okr and benefits evidence");
    }
    if (approval->portfolio->id != initiative.portfolio_id) {
      return absl::InternalError(absl::StrCat("approval context is for portfolio ", approval->portfolio->id,
                                              ", the initiative belongs to ", initiative.portfolio_id));
    }
    std::vector<GateFailure> refusals = ApprovalRefusals(initiative, *approval, request.override_reason);
    if (!refusals.empty()) {
      return GateRefusal(absl::StrCat("initiative ", initiative.id, " cannot be approved"), refusals);
    }
    if (!IsBlank(request.override_reason)) {
      outcome.overridden = CheckCapacity(*approval->portfolio, initiative, approval->portfolio_initiatives)
                               .Failures(approval->portfolio->currency);
    }
  }

  initiative.stage = request.to;
  ++initiative.version;
  if (approving) initiative.override_reason = outcome.overridden.empty() ? "" : request.override_reason;
  return outcome;
}

}  // namespace pmo::intake::domain
