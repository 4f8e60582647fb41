// Stage transitions through the lifecycle table. Approval (IN_REVIEW -> APPROVED) is
// judged on the value gate (okr's and benefits' read models) and the portfolio's
// capacity, and is refused (ABORTED) if the commitments changed while it was judged.
#include "pmo/base/errors.h"
#include "services/intake/app/convert.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/domain/gates.h"
#include "services/intake/domain/lifecycle.h"

namespace pmo::intake::app {

absl::StatusOr<v1::Initiative> IntakeApp::TransitionInitiative(const v1::TransitionInitiativeRequest& req,
                                                               const CallContext& ctx) {
  Violations v;
  if (req.initiative_id().empty()) v.Add("initiative_id", "is required");
  if (req.to_stage() == v1::STAGE_UNSPECIFIED || !v1::Stage_IsValid(req.to_stage()))
    v.Add("to_stage", "must be a lifecycle stage");
  if (!v.empty()) return v.ToStatus("invalid transition");
  return Transition(req, ctx);
}

absl::Status IntakeApp::LoadApprovalInputs(const domain::Initiative& initiative, ApprovalInputs& out) {
  const std::string& pid = initiative.portfolio_id;
  auto portfolio = store_.GetPortfolio(pid);
  if (!portfolio.ok()) return portfolio.status();
  out.portfolio = FromStored(portfolio->value);
  auto commitments = store_.CommitmentsVersion(pid);
  if (!commitments.ok()) return commitments.status();
  out.commitments = *commitments;
  auto all = store_.PortfolioInitiatives(pid);
  if (!all.ok()) return all.status();
  for (const auto& o : *all)
    if (o.id() != initiative.id) out.others.push_back(FromStored(o));
  out.context.portfolio = &out.portfolio;
  out.context.portfolio_initiatives = out.others;

  auto alignment = store_.Alignment(initiative.id);
  if (!alignment.ok()) return alignment.status();
  if (*alignment) {
    out.context.okr.knows_initiative = true;
    for (const auto& link : (*alignment)->links()) {
      // The key result's own latest verdict wins over the one the link carried.
      auto verdict = store_.KeyResultMeasurable(link.key_result_id());
      if (!verdict.ok()) return verdict.status();
      out.context.okr.linked_key_results.push_back({link.key_result_id(), verdict->value_or(link.measurable())});
    }
  }
  auto benefits = store_.Benefits(initiative.id);
  if (!benefits.ok()) return benefits.status();
  out.context.benefits.knows_initiative = !benefits->empty();
  for (const auto& b : *benefits) out.context.benefits.benefits.push_back(EvidenceFromProto(b));
  return absl::OkStatus();
}

absl::StatusOr<v1::Initiative> IntakeApp::Transition(const v1::TransitionInitiativeRequest& req, const CallContext& ctx) {
  auto current = store_.GetInitiative(req.initiative_id());
  if (!current.ok()) return current.status();
  domain::Initiative in = FromStored(current->value);
  domain::TransitionRequest tr{FromProto(req.to_stage()), req.expected_version(), req.reason(), req.override_reason()};

  const bool approving = req.to_stage() == v1::STAGE_APPROVED;
  ApprovalInputs approval;
  if (approving)
    if (auto s = LoadApprovalInputs(in, approval); !s.ok()) return s;

  const domain::Stage from = in.stage;
  auto outcome = domain::ApplyTransition(in, tr, approving ? &approval.context : nullptr);
  if (!outcome.ok()) {
    metrics_.GateRefused(domain::GateFailuresOf(outcome.status()));
    return outcome.status();
  }
  v1::Initiative snapshot = ToProto(in);
  v1::InitiativeStageChanged event;
  *event.mutable_initiative() = snapshot;
  event.set_from(ToProto(outcome->from));
  event.set_to(ToProto(outcome->to));
  event.set_reason(req.reason());
  if (approving) event.set_override_reason(snapshot.override_reason());  // only the approval that needed it

  store::InitiativeChange change;
  change.before = &current->value;
  change.after = &snapshot;
  change.event = &event;
  // Another approval or a portfolio change since the capacity check was made on stale
  // figures: refuse (the client retries) rather than over-commit.
  if (approving) change.commitments = store::CommitmentsGuard{approval.commitments, "approval"};
  change.commitments_changed = domain::IsCommitted(from) != domain::IsCommitted(in.stage);
  auto r = store_.ChangeInitiative(change, ctx);
  cache_.Forget(snapshot.id());
  if (!r.ok()) return r.status();
  return snapshot;
}

}  // namespace pmo::intake::app
