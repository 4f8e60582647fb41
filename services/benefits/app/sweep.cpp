#include "services/benefits/app/sweep.h"

#include "services/benefits/app/convert.h"
#include "pmo/common/log.h"
#include "pmo/common/use_cases.h"

namespace pmo::benefits::app {

absl::StatusOr<int> StaleSweep::ReviewDue() {
  const domain::Date today = deps_.Today();
  auto portfolios = deps_.store.Portfolios();
  if (!portfolios.ok()) return portfolios.status();
  int changes = 0;
  absl::Status first_error;
  for (const auto& p : *portfolios) {
    auto due = deps_.store.DueForReview(p, domain::DaysSinceEpoch(today), deps_.options.sweep_batch);
    if (!due.ok()) {
      first_error.Update(due.status());
      continue;
    }
    for (const auto& id : *due) {
      auto changed = RetryOnRace([&] { return ReviewOne(p, id, today); });
      if (!changed.ok()) {
        log::Warn("stale review failed", {{"portfolio", p}, {"benefit", id}, {"reason", changed.status().ToString()}});
        first_error.Update(changed.status());
        continue;
      }
      if (*changed) ++changes;
    }
  }
  if (!first_error.ok()) return first_error;
  return changes;
}

absl::StatusOr<bool> StaleSweep::ReviewOne(const std::string& p, const std::string& id, const domain::Date& today) {
  auto current = deps_.store.GetBenefit(p, id, true);
  if (current.status().code() == absl::StatusCode::kNotFound) {
    store::Changes gone;
    gone.reviews.push_back({.portfolio_id = p, .benefit_id = id, .expected_version = std::nullopt,
                            .review_day = std::nullopt});
    if (auto r = deps_.store.Commit(gone); !r.ok()) return r.status();
    return false;
  }
  if (!current.ok()) return current.status();
  Change c = Unchanged(*current);
  domain::StatusContext sc;
  sc.today = today;
  sc.delivered_on = c.delivered_on;
  sc.stale_after_days = deps_.options.stale_after_days;
  const domain::StatusEvaluation status = domain::EvaluateStatus(c.definition, c.series, sc);
  if (c.removed || ToProto(status.status) == current->snapshot.status()) {
    // Same status: only the next review day moves; no new version, no event.
    const auto next = c.removed ? std::nullopt : domain::NextStatusReview(c.definition, c.series, sc);
    store::Changes reschedule;
    reschedule.reviews.push_back({.portfolio_id = p, .benefit_id = id, .expected_version = current->version,
                                  .review_day = next ? std::optional(domain::DaysSinceEpoch(*next)) : std::nullopt});
    if (auto r = deps_.store.Commit(reschedule); !r.ok()) return r.status();
    return false;
  }
  store::Changes changes(CallContext{"", "stale-sweep"});
  auto snap = Stage(deps_, c, changes);
  if (!snap.ok()) return snap.status();
  auto r = deps_.store.Commit(changes);
  if (!r.ok()) return r.status();
  deps_.metrics.StatusChanged(current->snapshot, *snap, "sweep");
  return true;
}

}  // namespace pmo::benefits::app
