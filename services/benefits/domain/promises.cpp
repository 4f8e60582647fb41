#include "services/benefits/domain/promises.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "services/benefits/domain/registration.h"
#include "services/benefits/domain/validation.h"

namespace pmo::benefits::domain {

Delivery DeliveryOf(const std::optional<Date>& held, bool delivered_stage, const Date& occurred_on) {
  if (held) return {held, false};
  if (delivered_stage) return {occurred_on, true};
  return {};
}

void PreparePromises(std::string_view initiative_id, std::string_view portfolio_id, std::vector<Promise>& promises) {
  std::map<std::string, int> occurrences;
  for (size_t i = 0; i < promises.size(); ++i) {
    Promise& promise = promises[i];
    Benefit& b = promise.definition;
    const std::string slug = MetricSlug(b.metric);
    const int occurrence = ++occurrences[slug.empty() ? absl::StrCat("#", i) : slug];
    b.id = PromisedBenefitId(initiative_id, b.metric, occurrence, i);
    b.initiative_id = std::string(initiative_id);
    b.portfolio_id = std::string(portfolio_id);
    Violations v;
    for (const auto& p : promise.problems) v.Add(p.field, p.description);
    for (auto& f : ViolationsOf(ValidateBenefit(b))) v.Add(f.field, f.description);
    promise.validity = v.ToStatus("invalid promised benefit");
  }
}

namespace {

// The registrations and updates the promises ask for, in promise order.
void Promised(const PromiseState& s, std::set<std::string>& handled, Reconciliation& out) {
  for (const auto& promise : s.promises) {
    const std::string& id = promise.definition.id;
    if (!promise.validity.ok() || handled.contains(id)) continue;
    auto it = s.held.find(id);
    if (it == s.held.end()) {
      out.actions.push_back({PromiseStep::kRegister, promise.definition});
      handled.insert(id);
      continue;
    }
    const HeldBenefit& held = it->second;
    if (!held.from_submission) {
      out.skipped.push_back({id, SkipReason::kIdTaken, absl::OkStatus()});
      continue;
    }
    Benefit merged = WithPromisedDefinition(held.definition, promise.definition);
    const bool window_opens = s.newly_delivered && !held.tracking_open;
    handled.insert(id);
    if (SameDefinition(merged, held.definition) && !held.removed && !window_opens) continue;
    out.actions.push_back({PromiseStep::kUpdate, std::move(merged)});
  }
}

// Promises the submission no longer makes are withdrawn.
void Withdrawn(const PromiseState& s, std::set<std::string>& handled, Reconciliation& out) {
  std::set<std::string> promised_now;
  for (const auto& promise : s.promises) promised_now.insert(promise.definition.id);
  for (const auto& id : s.promised_before) {
    auto it = s.held.find(id);
    if (promised_now.contains(id) || it == s.held.end() || handled.contains(id)) continue;
    const HeldBenefit& held = it->second;
    if (held.removed || !held.from_submission) continue;
    out.actions.push_back({PromiseStep::kWithdraw, held.definition});
    handled.insert(id);
  }
}

// Delivery opens the tracking window of every other benefit of the initiative.
void WindowsOpened(const PromiseState& s, std::set<std::string>& handled, Reconciliation& out) {
  for (const auto& [id, held] : s.held) {
    if (handled.contains(id) || held.removed || held.definition.initiative_id != s.initiative_id ||
        held.tracking_open)
      continue;
    out.actions.push_back({PromiseStep::kOpenWindow, held.definition});
    handled.insert(id);
  }
}

}  // namespace

Reconciliation ReconcilePromises(const PromiseState& state) {
  Reconciliation out;
  for (const auto& promise : state.promises)
    if (!promise.validity.ok()) out.skipped.push_back({promise.definition.id, SkipReason::kInvalid, promise.validity});
  if (!state.promises_changed && !state.newly_delivered) return out;
  std::set<std::string> handled;
  Promised(state, handled, out);
  Withdrawn(state, handled, out);
  if (state.newly_delivered) WindowsOpened(state, handled, out);
  return out;
}

}  // namespace pmo::benefits::domain
