// Key results: created and updated only when measurable against their objective's
// period (every failed rule listed), read with their measurability.
#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"
#include "pmo/common/use_cases.h"
#include "services/okr/app/convert.h"
#include "services/okr/app/evaluate.h"
#include "services/okr/app/okr_app.h"
#include "services/okr/domain/validation.h"

namespace pmo::okr::app {

absl::StatusOr<v1::KeyResult> OkrApp::CreateKeyResult(const v1::CreateKeyResultRequest& req, const CallContext& ctx) {
  Violations v;
  ValidateId(req.key_result_id(), "key_result_id", v);
  v1::KeyResult snapshot = req.key_result();
  snapshot.set_id(req.key_result_id().empty() ? NewUuid() : req.key_result_id());
  snapshot.set_version(1);
  snapshot.clear_latest_check_in();
  snapshot.clear_check_ins();
  snapshot.clear_progress();
  snapshot.clear_confidence();
  std::optional<std::string> p;
  if (!snapshot.objective_id().empty()) {
    auto found = store_.PortfolioOfObjective(snapshot.objective_id());
    if (!found.ok()) return found.status();
    p = *found;
  }
  return RetryOnRace([&]() -> absl::StatusOr<v1::KeyResult> {
    std::optional<v1::Objective> objective;
    if (p) {
      auto o = store_.GetObjective(*p, snapshot.objective_id());
      if (!o.ok()) return o.status();
      objective = *o;
    }
    // Without its objective the due date cannot be judged against the period; every
    // other rule still is, and a malformed request is reported before a missing objective.
    auto s = domain::ValidateKeyResult(FromProto(snapshot), objective ? FromProto(*objective) : domain::Objective{});
    Violations all = v;
    if (auto merged = MergeViolations(all, s, "key result is not measurable or invalid"); !merged.ok()) return merged;
    if (!objective) return absl::NotFoundError("objective " + snapshot.objective_id() + " not found");
    snapshot.set_portfolio_id(*p);
    snapshot.set_measurable(true);
    auto event = Event(KeyResultEvent(snapshot, FromProto(*objective), true), snapshot.id(), *p, snapshot.version(), ctx);
    // The objective's version guards the write: measurability was judged against its period.
    if (auto r = store_.CreateKeyResult(*p, snapshot, *objective, event); !r.ok()) return r;
    return snapshot;
  });
}

absl::StatusOr<v1::KeyResult> OkrApp::UpdateKeyResult(const v1::UpdateKeyResultRequest& req, const CallContext& ctx) {
  if (req.key_result().id().empty()) return InvalidArgument("invalid key result", {{"key_result.id", "is required"}});
  // Check-ins bump a key result's version: an update sent without an expected version is
  // re-run on the fresh state rather than refused because one landed meanwhile.
  if (req.expected_version() != 0) return UpdateKeyResultOnce(req, ctx);
  return RetryOnRace([&] { return UpdateKeyResultOnce(req, ctx); });
}

absl::StatusOr<v1::KeyResult> OkrApp::UpdateKeyResultOnce(const v1::UpdateKeyResultRequest& req,
                                                          const CallContext& ctx) {
  const std::string& id = req.key_result().id();
  auto p = store_.PortfolioOfKeyResult(id);
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("key result " + id + " not found");
  auto current = store_.GetKeyResult(**p, id);
  if (!current.ok()) return current.status();
  if (!*current) return absl::NotFoundError("key result " + id + " not found");
  if (req.expected_version() != 0 && req.expected_version() != (*current)->version())
    return absl::AbortedError(absl::StrCat("key result ", id, " is at version ", (*current)->version(),
                                           ", not the expected version ", req.expected_version()));
  Violations v;
  if (!req.key_result().objective_id().empty() && req.key_result().objective_id() != (*current)->objective_id())
    v.Add("objective_id", "is " + (*current)->objective_id() + " and cannot change");
  auto objective = store_.GetObjective(**p, (*current)->objective_id());
  if (!objective.ok()) return objective.status();
  if (!*objective) return absl::NotFoundError("objective " + (*current)->objective_id() + " not found");
  // The definition comes from the request; the check-in history stays the key result's.
  v1::KeyResult snapshot = req.key_result();
  snapshot.set_objective_id((*current)->objective_id());
  snapshot.set_portfolio_id(**p);
  snapshot.set_version((*current)->version() + 1);
  if ((*current)->has_latest_check_in())
    *snapshot.mutable_latest_check_in() = (*current)->latest_check_in();
  else
    snapshot.clear_latest_check_in();
  snapshot.set_check_ins((*current)->check_ins());
  auto s = domain::ValidateKeyResult(FromProto(snapshot), FromProto(**objective));
  if (auto merged = MergeViolations(v, s, "key result is not measurable or invalid"); !merged.ok()) return merged;
  Evaluate(snapshot);
  snapshot.set_measurable(true);
  auto event = Event(KeyResultEvent(snapshot, FromProto(**objective), false), id, **p, snapshot.version(), ctx);
  if (auto r = store_.UpdateKeyResult(**p, **current, snapshot, **objective, event); !r.ok()) return r;
  return snapshot;
}

absl::StatusOr<v1::KeyResult> OkrApp::GetKeyResult(const v1::GetKeyResultRequest& req) {
  if (req.key_result_id().empty()) return InvalidArgument("invalid request", {{"key_result_id", "is required"}});
  auto p = store_.PortfolioOfKeyResult(req.key_result_id());
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("key result " + req.key_result_id() + " not found");
  auto kr = store_.GetKeyResult(**p, req.key_result_id());
  if (!kr.ok()) return kr.status();
  if (!*kr) return absl::NotFoundError("key result " + req.key_result_id() + " not found");
  auto objective = store_.GetObjective(**p, (*kr)->objective_id());
  if (!objective.ok()) return objective.status();
  (*kr)->set_measurable(*objective && domain::IsMeasurable(FromProto(**kr), FromProto(**objective)).measurable);
  return std::move(**kr);
}

}  // namespace pmo::okr::app
