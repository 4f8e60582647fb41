#include "services/benefits/app/intake_events.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/benefits/app/convert.h"
#include "services/benefits/domain/promises.h"
#include "pmo/common/log.h"
#include "pmo/common/use_cases.h"

namespace pmo::benefits::app {
namespace {

namespace storage = ::pmo::benefits::storage::v1;

bool IsDeliveredStage(intake::v1::Stage s) {
  return s == intake::v1::STAGE_DELIVERED || s == intake::v1::STAGE_SUSTAINING || s == intake::v1::STAGE_CLOSED;
}

// The business case's total cost, or else the sum of the cost per quarter (when all
// quarters share one currency).
std::optional<domain::Money> CostOf(const intake::v1::Initiative& in) {
  const auto& total = in.business_case().financial().total_cost();
  if (total.minor_units() > 0) return FromProto(total);
  if (in.cost_per_quarter().empty()) return std::nullopt;
  domain::Money sum{0, in.cost_per_quarter(0).amount().currency()};
  for (const auto& q : in.cost_per_quarter()) {
    if (q.amount().currency() != sum.currency) return std::nullopt;
    if (__builtin_add_overflow(sum.minor_units, q.amount().minor_units(), &sum.minor_units)) return std::nullopt;
  }
  return sum;
}

// The promises as a submission made them, to tell whether a later snapshot changed them.
std::string PromisesBytes(const intake::v1::Initiative& in) {
  std::string out;
  for (const auto& b : in.benefits()) {
    std::string one = b.SerializeAsString();
    absl::StrAppend(&out, one.size(), ":", one);
  }
  return out;
}

std::vector<domain::Promise> PromisesOf(const intake::v1::Initiative& in) {
  std::vector<domain::Promise> promises;
  promises.reserve(static_cast<size_t>(in.benefits_size()));
  for (const auto& promised : in.benefits()) {
    Violations problems;
    domain::Promise promise;
    promise.definition = FromPromise(promised, problems);
    promise.problems = problems.list();
    promises.push_back(std::move(promise));
  }
  return promises;
}

domain::HeldBenefit HeldOf(const store::StoredBenefit& b) {
  Violations ignored;  // a stored snapshot passed validation when it was written
  return {.definition = DefinitionFromProto(b.snapshot, ignored),
          .from_submission = b.snapshot.origin() == v1::ORIGIN_SUBMISSION,
          .removed = b.snapshot.removed(),
          .tracking_open = b.snapshot.has_tracking_opens()};
}

void Report(const domain::SkippedPromise& skipped, const std::string& initiative_id, BenefitsMetrics& metrics) {
  if (skipped.reason == domain::SkipReason::kInvalid) {
    // The submission is a fact intake accepted; a promise this register cannot hold
    // (no target, say) is reported and left out rather than failing the others.
    log::Warn("promised benefit not registered",
              {{"initiative", initiative_id}, {"benefit", skipped.benefit_id}, {"reason", skipped.detail.ToString()}});
    metrics.PromiseSkipped("invalid");
  } else {
    log::Warn("promised benefit id is taken by a benefit created through the API",
              {{"initiative", initiative_id}, {"benefit", skipped.benefit_id}});
    metrics.PromiseSkipped("id_taken");
  }
}

}  // namespace

absl::Status IntakeEvents::ApplyPortfolio(const intake::v1::Portfolio& portfolio, int64_t version) {
  if (portfolio.id().empty()) return InvalidArgument("invalid portfolio", {{"portfolio.id", "is required"}});
  store::Changes changes;
  changes.portfolio = store::PortfolioSave{portfolio.id(), portfolio.currency(), version};
  return deps_.store.Commit(changes).status();
}

absl::Status IntakeEvents::ApplyInitiative(const intake::v1::Initiative& initiative, int64_t version,
                                           const domain::Date& occurred_on, const CallContext& ctx) {
  Violations v;
  if (initiative.id().empty()) v.Add("initiative.id", "is required");
  if (initiative.portfolio_id().empty()) v.Add("initiative.portfolio_id", "is required");
  if (version <= 0) v.Add("aggregate_version", "must be positive");
  if (!v.empty()) return v.ToStatus("invalid initiative");
  auto r = RetryOnRace([&]() -> absl::StatusOr<bool> {
    auto s = ApplyInitiativeOnce(initiative, version, occurred_on, ctx);
    if (!s.ok()) return s;
    return true;
  });
  return r.status();
}

// Loads what the register holds, lets the domain reconcile the promises with it, and
// commits the initiative with every benefit change, guarded by the version read.
absl::Status IntakeEvents::ApplyInitiativeOnce(const intake::v1::Initiative& in, int64_t version,
                                               const domain::Date& occurred_on, const CallContext& ctx) {
  store::BenefitsStore& store = deps_.store;
  const std::string& p = in.portfolio_id();
  const std::string& iid = in.id();
  auto held_version = store.InitiativeVersion(p, iid);
  if (!held_version.ok()) return held_version.status();
  if (*held_version >= version) return absl::OkStatus();  // already applied (a redelivery)
  auto prev = store.GetInitiative(p, iid);
  if (!prev.ok()) return prev.status();

  const std::optional<domain::Date> held_delivery =
      *prev && (*prev)->has_delivered_on() ? OptionalDateFromProto((*prev)->delivered_on()) : std::nullopt;
  const domain::Delivery delivery = domain::DeliveryOf(held_delivery, IsDeliveredStage(in.stage()), occurred_on);

  domain::PromiseState state;
  state.initiative_id = iid;
  state.promises = PromisesOf(in);
  domain::PreparePromises(iid, p, state.promises);
  const std::string promises_bytes = PromisesBytes(in);
  state.promises_changed = !*prev || (*prev)->promises() != promises_bytes;
  state.newly_delivered = delivery.newly_delivered;
  if (*prev) state.promised_before.assign((*prev)->promised_benefit_ids().begin(), (*prev)->promised_benefit_ids().end());

  // What reconciliation may touch: promised now or before, and on delivery every
  // benefit of the initiative.
  std::vector<store::StoredBenefit> stored;
  if (state.promises_changed || state.newly_delivered) {
    std::set<std::string> ids(state.promised_before.begin(), state.promised_before.end());
    for (const auto& promise : state.promises) ids.insert(promise.definition.id);
    if (state.newly_delivered) {
      auto all = store.BenefitIds(p, iid, "", -1);
      if (!all.ok()) return all.status();
      ids.insert(all->begin(), all->end());
    }
    auto loaded = store.GetBenefits(p, std::vector<std::string>(ids.begin(), ids.end()), true);
    if (!loaded.ok()) return loaded.status();
    stored = *std::move(loaded);
  }
  std::map<std::string, const store::StoredBenefit*> by_id;
  for (const auto& b : stored) {
    by_id[b.snapshot.benefit_id()] = &b;
    state.held.emplace(b.snapshot.benefit_id(), HeldOf(b));
  }
  const domain::Reconciliation plan = domain::ReconcilePromises(state);
  for (const auto& skipped : plan.skipped) Report(skipped, iid, deps_.metrics);

  store::Changes changes(ctx);
  std::vector<std::pair<const store::StoredBenefit*, v1::Benefit>> changed;  // for the status metrics
  for (const auto& action : plan.actions) {
    auto it = by_id.find(action.definition.id);
    Change c = it != by_id.end() ? Unchanged(*it->second) : Change{};  // none held: a registration
    c.definition = action.definition;
    c.announce = true;
    switch (action.step) {
      case domain::PromiseStep::kRegister:
      case domain::PromiseStep::kUpdate:
        c.origin = v1::ORIGIN_SUBMISSION;
        c.removed = false;
        c.delivered_on = delivery.delivered_on;
        break;
      case domain::PromiseStep::kWithdraw:
        c.origin = v1::ORIGIN_SUBMISSION;
        c.removed = true;
        break;
      case domain::PromiseStep::kOpenWindow:
        c.delivered_on = delivery.delivered_on;
        break;
    }
    auto snap = Stage(deps_, c, changes);
    if (!snap.ok()) return snap.status();
    if (c.current) changed.emplace_back(c.current, *std::move(snap));
  }

  storage::Initiative info;
  info.set_initiative_id(iid);
  info.set_portfolio_id(p);
  info.set_stage(in.stage());
  if (auto cost = CostOf(in)) {
    *info.mutable_cost() = ToProto(*cost);
    info.set_cost_known(true);
  }
  if (delivery.delivered_on) *info.mutable_delivered_on() = ToProto(*delivery.delivered_on);
  for (const auto& promise : state.promises) info.add_promised_benefit_ids(promise.definition.id);
  info.set_promises(promises_bytes);
  changes.initiative = store::InitiativeSave{std::move(info), version, *held_version};

  auto r = store.Commit(changes);
  if (!r.ok()) return r.status();
  if (*r == WriteResult::kApplied)
    for (const auto& [before, after] : changed) deps_.metrics.StatusChanged(before->snapshot, after, "initiative");
  return absl::OkStatus();
}

}  // namespace pmo::benefits::app
