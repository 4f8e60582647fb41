// Other services' events: reporting's decisions change the initiative (and announce it);
// okr's alignments and key results and benefits' register become the read models the
// value gate is judged on. Also the business gauges refreshed from the stored counts.
#include "pmo/base/errors.h"
#include "pmo/common/use_cases.h"
#include "services/intake/app/convert.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/domain/decisions.h"
#include "services/intake/domain/lifecycle.h"

namespace pmo::intake::app {

absl::Status IntakeApp::ApplyDecision(const reporting::v1::DecisionRecorded& decision, const CallContext& ctx) {
  Violations v;
  if (decision.decision_id().empty()) v.Add("decision_id", "is required");
  if (decision.initiative_id().empty()) v.Add("initiative_id", "is required");
  if (decision.decision() == reporting::v1::DECISION_UNSPECIFIED) v.Add("decision", "must be CONTINUE, PIVOT or STOP");
  if (!v.empty()) return v.ToStatus("invalid decision");
  auto r = RetryOnRace([&]() -> absl::StatusOr<bool> {
    auto s = ApplyDecisionOnce(decision, ctx);
    if (!s.ok()) return s;
    return true;
  });
  return r.status();
}

absl::Status IntakeApp::ApplyDecisionOnce(const reporting::v1::DecisionRecorded& decision, const CallContext& ctx) {
  auto current = store_.GetInitiative(decision.initiative_id());
  if (!current.ok()) return current.status();
  domain::Initiative in = FromStored(current->value);
  const domain::Decision d = DecisionFromEvent(decision);
  const domain::Stage from = in.stage;
  auto outcome = domain::ApplyDecision(in, d);
  if (!outcome.ok()) return outcome.status();
  if (outcome->already_applied) return absl::OkStatus();
  v1::Initiative snapshot = ToProto(in);
  // The decision is recorded on the initiative either way; a stage it moved is announced
  // as a stage change, with the decision that caused it.
  v1::InitiativeStageChanged stage_changed;
  v1::InitiativeUpdated updated;
  if (outcome->stage_changed) {
    *stage_changed.mutable_initiative() = snapshot;
    stage_changed.set_from(ToProto(outcome->from));
    stage_changed.set_to(ToProto(outcome->to));
    stage_changed.set_reason("decision " + d.decision_id + ": " + d.rationale);
    stage_changed.set_decision_id(d.decision_id);
  } else {
    *updated.mutable_initiative() = snapshot;
  }
  store::InitiativeChange change;
  change.before = &current->value;
  change.after = &snapshot;
  change.event = outcome->stage_changed ? static_cast<const google::protobuf::Message*>(&stage_changed) : &updated;
  change.commitments_changed = domain::IsCommitted(from) != domain::IsCommitted(in.stage);
  auto r = store_.ChangeInitiative(change, ctx);
  cache_.Forget(snapshot.id());
  return r.status();
}

absl::Status IntakeApp::ApplyAlignment(const okr::v1::AlignmentChanged& alignment, int64_t version) {
  if (alignment.initiative_id().empty()) return InvalidArgument("invalid alignment", {{"initiative_id", "is required"}});
  return store_.PutAlignment(alignment, version).status();
}

absl::Status IntakeApp::ApplyKeyResult(const okr::v1::KeyResultChanged& kr, int64_t version) {
  if (kr.key_result_id().empty()) return InvalidArgument("invalid key result", {{"key_result_id", "is required"}});
  // A retired key result no longer counts as measurable evidence.
  return store_.PutKeyResultMeasurable(kr.key_result_id(), kr.measurable() && !kr.retired(), version).status();
}

absl::Status IntakeApp::ApplyBenefit(const benefits::v1::BenefitChanged& changed, int64_t version) {
  const auto& b = changed.benefit();
  Violations v;
  if (b.benefit_id().empty()) v.Add("benefit.benefit_id", "is required");
  if (b.initiative_id().empty()) v.Add("benefit.initiative_id", "is required");
  if (!v.empty()) return v.ToStatus("invalid benefit");
  return store_.PutBenefit(b, version).status();
}

absl::Status IntakeApp::RefreshGauges() {
  if (!metrics_.enabled()) return absl::OkStatus();
  auto counts = store_.StageCounts();
  if (!counts.ok()) return counts.status();
  metrics_.SetInitiativesByStage(*counts);
  return absl::OkStatus();
}

}  // namespace pmo::intake::app
