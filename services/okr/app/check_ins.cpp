// Check-ins: a new value for a key result, applied once per source_id (gRPC or the
// ingest topic), moving the key result's progress and the roll-up of its objectives.
#include "pmo/base/errors.h"
#include "pmo/common/use_cases.h"
#include "services/okr/app/convert.h"
#include "services/okr/app/evaluate.h"
#include "services/okr/app/okr_app.h"
#include "services/okr/domain/check_ins.h"
#include "services/okr/domain/validation.h"

namespace pmo::okr::app {

namespace {

v1::KeyResultCheckedIn CheckedInEvent(const v1::KeyResult& key_result, const std::string& portfolio_id,
                                      const domain::CheckIn& check_in, bool became_latest,
                                      const std::vector<domain::ObjectiveRollUp>& roll_up) {
  v1::KeyResultCheckedIn event;
  event.set_key_result_id(key_result.id());
  event.set_objective_id(key_result.objective_id());
  event.set_portfolio_id(portfolio_id);
  event.set_value(check_in.value);
  event.set_confidence(check_in.confidence);
  event.set_note(check_in.note);
  event.set_as_of(domain::FormatDate(check_in.as_of));
  event.set_source_id(check_in.source_id);
  event.set_became_latest(became_latest);
  event.set_key_result_progress(key_result.progress());
  event.set_key_result_confidence(key_result.confidence());
  event.set_version(key_result.version());
  for (const auto& up : roll_up) {
    auto* op = event.add_objectives();
    op->set_objective_id(up.objective_id);
    op->set_progress(up.progress);
    op->set_confidence(up.confidence);
  }
  return event;
}

}  // namespace

absl::StatusOr<v1::CheckInResponse> OkrApp::CheckIn(const v1::CheckInRequest& req, const CallContext& ctx,
                                                    std::string_view source, const std::string& event_id) {
  v1::CheckInRequest effective = req;
  if (effective.source_id().empty() && !event_id.empty()) effective.set_source_id(event_id);
  if (auto s = domain::ValidateCheckIn(FromProto(effective)); !s.ok()) return s;
  auto p = store_.PortfolioOfKeyResult(effective.key_result_id());
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("key result " + effective.key_result_id() + " not found");
  return RetryOnRace([&] { return CheckInOnce(**p, effective, ctx, source); });
}

absl::StatusOr<v1::CheckInResponse> OkrApp::CheckInOnce(const std::string& p, const v1::CheckInRequest& req,
                                                        const CallContext& ctx, std::string_view source) {
  auto read = store_.KeyResultAndSeen(p, req.key_result_id(), req.source_id());
  if (!read.ok()) return read.status();
  auto& [current, seen] = *read;
  if (!current) return absl::NotFoundError("key result " + req.key_result_id() + " not found");
  v1::CheckInResponse out;
  if (seen) {  // this source_id was applied before: redelivery changes nothing
    *out.mutable_key_result() = std::move(*current);
    return out;
  }
  std::vector<domain::CheckIn> history;
  if (auto latest = LatestOf(*current)) history.push_back(*latest);
  const domain::CheckIn check_in = FromProto(req);
  auto outcome = domain::ApplyCheckIn(history, check_in);
  if (!outcome.ok()) return outcome.status();
  if (!outcome->recorded) {
    *out.mutable_key_result() = std::move(*current);
    return out;
  }
  v1::KeyResult snapshot = *current;
  snapshot.set_version(current->version() + 1);
  snapshot.set_check_ins(current->check_ins() + 1);
  if (outcome->became_latest) *snapshot.mutable_latest_check_in() = ToProto(check_in);
  Evaluate(snapshot);

  // The objective and its ancestors after this check-in, computed over the portfolio.
  auto data = store_.LoadPortfolio(p, {.objectives = true, .key_results = true});
  if (!data.ok()) return data.status();
  for (auto& kr : data->key_results)
    if (kr.id() == snapshot.id()) kr = snapshot;
  auto evaluated = Evaluate(std::move(data->objectives), std::move(data->key_results));
  const auto roll_up = domain::AncestorRollUp(evaluated.domain_objectives, evaluated.tree, snapshot.objective_id());
  auto event = Event(CheckedInEvent(snapshot, p, check_in, outcome->became_latest, roll_up), snapshot.id(), p,
                     snapshot.version(), ctx);

  // Once per source_id (an ingest record without one is deduplicated by its event id).
  auto r = store_.CommitCheckIn(p, *current, snapshot, ToProto(check_in), event);
  if (r.code() == absl::StatusCode::kAlreadyExists) {
    // The same source_id committed concurrently: this one is the redelivery.
    auto again = store_.GetKeyResult(p, snapshot.id());
    if (!again.ok()) return again.status();
    if (*again) *out.mutable_key_result() = std::move(**again);
    return out;
  }
  if (!r.ok()) return r;
  metrics_.CheckInRecorded(std::string(source));
  snapshot.set_measurable(true);
  for (const auto& kr : evaluated.key_results)
    if (kr.id() == snapshot.id()) snapshot.set_measurable(kr.measurable());
  *out.mutable_key_result() = std::move(snapshot);
  out.set_recorded(true);
  out.set_became_latest(outcome->became_latest);
  return out;
}

}  // namespace pmo::okr::app
