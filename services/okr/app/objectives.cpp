// Objectives: create one in the cascade, update it (a new priority or status is a
// strategy change with its own event), read one or a page of them with their progress.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "pmo/base/errors.h"
#include "pmo/common/use_cases.h"
#include "services/okr/app/convert.h"
#include "services/okr/app/evaluate.h"
#include "services/okr/app/okr_app.h"
#include "services/okr/domain/strategy.h"
#include "services/okr/domain/validation.h"

namespace pmo::okr::app {

namespace {

// Resolves objectives of one portfolio for the domain's cascade checks; a Redis failure
// is kept aside and reported instead of posing as "unknown parent".
struct ObjectiveResolver {
  store::OkrStore& store;
  std::string portfolio_id;
  absl::Status error = absl::OkStatus();
  std::map<std::string, v1::Objective> seen = {};
  domain::ObjectiveLookup Lookup() {
    return [this](std::string_view id) -> std::optional<domain::Objective> {
      const std::string key(id);
      if (auto it = seen.find(key); it != seen.end()) return FromProto(it->second);
      auto o = store.GetObjective(portfolio_id, key);
      if (!o.ok()) {
        error = o.status();
        return std::nullopt;
      }
      if (!*o) return std::nullopt;
      seen.emplace(key, **o);
      return FromProto(**o);
    };
  }
};

v1::StrategyChanged StrategyChangedEvent(const v1::Objective& before, const v1::Objective& after,
                                         const domain::StrategyChange& change, absl::Time now) {
  v1::StrategyChanged e;
  e.set_objective_id(after.id());
  e.set_portfolio_id(after.portfolio_id());
  e.set_priority_changed(change.priority_changed);
  e.set_status_changed(change.status_changed);
  e.set_previous_priority(before.priority());
  e.set_priority(after.priority());
  e.set_previous_status(std::string(domain::ObjectiveStatusName(FromProto(before.status()))));
  e.set_status(std::string(domain::ObjectiveStatusName(FromProto(after.status()))));
  e.set_changed_at_ms(absl::ToUnixMillis(now));
  e.set_version(after.version());
  return e;
}

}  // namespace

absl::StatusOr<v1::Objective> OkrApp::CreateObjective(const v1::CreateObjectiveRequest& req, const CallContext& ctx) {
  Violations v;
  ValidateId(req.objective_id(), "objective_id", v);
  v1::Objective snapshot = req.objective();
  // Friendly defaults for a new objective: active, weight 1.
  if (snapshot.status() == v1::OBJECTIVE_STATUS_UNSPECIFIED) snapshot.set_status(v1::OBJECTIVE_STATUS_ACTIVE);
  if (snapshot.priority() == 0) snapshot.set_priority(1);
  snapshot.set_id(req.objective_id().empty() ? NewUuid() : req.objective_id());
  snapshot.set_version(1);
  const std::string& p = snapshot.portfolio_id();
  ValidateId(p, "portfolio_id", v);
  return RetryOnRace([&]() -> absl::StatusOr<v1::Objective> {
    ObjectiveResolver resolver{store_, p};
    auto s = domain::ValidateObjective(FromProto(snapshot), resolver.Lookup());
    if (!resolver.error.ok()) return resolver.error;
    Violations all = v;
    if (auto merged = MergeViolations(all, s, "invalid objective"); !merged.ok()) return merged;
    const v1::Objective* parent = snapshot.parent_id().empty() ? nullptr : &resolver.seen.at(snapshot.parent_id());
    auto event = Event(ObjectiveEvent(snapshot, true), snapshot.id(), p, snapshot.version(), ctx);
    if (auto r = store_.CreateObjective(snapshot, parent, event); !r.ok()) return r;
    return snapshot;
  });
}

absl::StatusOr<v1::Objective> OkrApp::UpdateObjective(const v1::UpdateObjectiveRequest& req, const CallContext& ctx) {
  if (req.objective().id().empty()) return InvalidArgument("invalid objective", {{"objective.id", "is required"}});
  // With an expected version, a concurrent change is the caller's to resolve (ABORTED);
  // without one, the update is re-run on the fresh state.
  if (req.expected_version() != 0) return UpdateObjectiveOnce(req, ctx);
  return RetryOnRace([&] { return UpdateObjectiveOnce(req, ctx); });
}

absl::StatusOr<v1::Objective> OkrApp::UpdateObjectiveOnce(const v1::UpdateObjectiveRequest& req,
                                                          const CallContext& ctx) {
  const std::string& id = req.objective().id();
  auto p = store_.PortfolioOfObjective(id);
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("objective " + id + " not found");
  auto data = store_.LoadPortfolio(**p, {.objectives = true, .key_results = true});
  if (!data.ok()) return data.status();
  std::map<std::string, v1::Objective> stored;
  for (auto& o : data->objectives) stored.emplace(o.id(), o);
  auto current_it = stored.find(id);
  if (current_it == stored.end()) return absl::NotFoundError("objective " + id + " not found");
  const v1::Objective current = current_it->second;
  if (req.expected_version() != 0 && req.expected_version() != current.version())
    return absl::AbortedError(absl::StrCat("objective ", id, " is at version ", current.version(),
                                           ", not the expected version ", req.expected_version()));
  Violations v;
  if (!req.objective().portfolio_id().empty() && req.objective().portfolio_id() != **p)
    v.Add("portfolio_id", "is " + **p + " and cannot change");
  v1::Objective snapshot = req.objective();
  snapshot.set_portfolio_id(**p);
  snapshot.set_version(current.version() + 1);
  std::vector<domain::Objective> children;
  for (const auto& [oid, o] : stored)
    if (o.parent_id() == id) children.push_back(FromProto(o));
  auto lookup = [&stored](std::string_view oid) -> std::optional<domain::Objective> {
    auto it = stored.find(std::string(oid));
    if (it == stored.end()) return std::nullopt;
    return FromProto(it->second);
  };
  const domain::Objective updated = FromProto(snapshot);
  auto s = domain::ValidateObjective(updated, lookup, children);
  if (snapshot.has_period()) {
    std::vector<domain::KeyResult> key_results;
    for (const auto& kr : data->key_results) key_results.push_back(FromProto(kr));
    domain::CheckPeriodKeepsKeyResultsMeasurable(updated, key_results, v);
  }
  if (auto merged = MergeViolations(v, s, "invalid objective"); !merged.ok()) return merged;

  // The cascade was checked against this parent: the write is guarded by it too.
  const v1::Objective* parent = snapshot.parent_id().empty() ? nullptr : &stored.at(snapshot.parent_id());
  std::vector<events::v1::Envelope> events = {Event(ObjectiveEvent(snapshot, false), id, **p, snapshot.version(), ctx)};
  const auto change = domain::DetectStrategyChange(FromProto(current), updated);
  if (change.Any())
    events.push_back(
        Event(StrategyChangedEvent(current, snapshot, change, clock_.Now()), id, **p, snapshot.version(), ctx));
  if (auto r = store_.UpdateObjective(current, snapshot, parent, events); !r.ok()) return r;
  if (change.Any()) metrics_.StrategyChanged(**p);
  current_it->second = snapshot;
  std::vector<v1::Objective> objectives;
  for (auto& [oid, o] : stored) objectives.push_back(o);
  auto evaluated = Evaluate(std::move(objectives), std::move(data->key_results));
  for (auto& o : evaluated.objectives)
    if (o.id() == id) return o;
  return snapshot;
}

absl::StatusOr<v1::Objective> OkrApp::GetObjective(const v1::GetObjectiveRequest& req) {
  if (req.objective_id().empty()) return InvalidArgument("invalid request", {{"objective_id", "is required"}});
  auto p = store_.PortfolioOfObjective(req.objective_id());
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("objective " + req.objective_id() + " not found");
  auto data = store_.LoadPortfolio(**p, {.objectives = true, .key_results = true});
  if (!data.ok()) return data.status();
  auto evaluated = Evaluate(std::move(data->objectives), std::move(data->key_results));
  for (auto& o : evaluated.objectives)
    if (o.id() == req.objective_id()) return std::move(o);
  return absl::NotFoundError("objective " + req.objective_id() + " not found");
}

absl::StatusOr<v1::ListObjectivesResponse> OkrApp::ListObjectives(const v1::ListObjectivesRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto size = PageSize(req.page(), OkrApp::kDefaultPageSize, OkrApp::kMaxPageSize);
  if (!size.ok()) return size.status();
  auto data = store_.LoadPortfolio(req.portfolio_id(), {.objectives = true, .key_results = true});
  if (!data.ok()) return data.status();
  auto evaluated = Evaluate(std::move(data->objectives), std::move(data->key_results));
  std::set<int> levels(req.levels().begin(), req.levels().end());
  std::set<int> statuses(req.statuses().begin(), req.statuses().end());
  std::vector<v1::Objective*> matching;
  for (auto& o : evaluated.objectives) {
    if (!levels.empty() && !levels.contains(o.level())) continue;
    if (!statuses.empty() && !statuses.contains(o.status())) continue;
    matching.push_back(&o);
  }
  std::sort(matching.begin(), matching.end(), [](auto* a, auto* b) { return a->id() < b->id(); });
  v1::ListObjectivesResponse out;
  out.mutable_page()->set_total_size(static_cast<int64_t>(matching.size()));
  const std::string& after = req.page().page_token();
  auto it = after.empty() ? matching.begin()
                          : std::upper_bound(matching.begin(), matching.end(), after,
                                             [](const std::string& a, auto* o) { return a < o->id(); });
  for (; it != matching.end() && out.objectives_size() < *size; ++it) *out.add_objectives() = std::move(**it);
  if (it != matching.end() && out.objectives_size() > 0)
    out.mutable_page()->set_next_page_token(out.objectives(out.objectives_size() - 1).id());
  return out;
}

}  // namespace pmo::okr::app
