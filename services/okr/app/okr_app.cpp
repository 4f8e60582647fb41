#include "services/okr/app/okr_app.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/okr/app/convert.h"
#include "services/okr/domain/check_ins.h"
#include "services/okr/domain/coverage.h"
#include "services/okr/domain/progress.h"
#include "services/okr/domain/strategy.h"
#include "services/okr/domain/validation.h"
#include "pmo/common/use_cases.h"
#include "pmo/common/envelope.h"
#include "pmo/base/errors.h"
#include "pmo/common/kafka.h"
#include "pmo/common/log.h"

namespace pmo::okr::app {

namespace keys = adapters::keys;
using adapters::FromProto;
using adapters::ToProto;

namespace {

constexpr char kSource[] = "pmo-okr";

OutboxEvent Event(const google::protobuf::Message& payload, const std::string& subject, const std::string& portfolio,
                  int64_t version, const CallContext& ctx, const Clock& clock) {
  auto env = MakeEnvelope(payload,
                          {.source = kSource,
                           .subject = subject,
                           .portfolio_id = portfolio,
                           .aggregate_version = version,
                           .correlation_id = ctx.correlation_id,
                           .causation_id = ctx.causation_id},
                          clock);
  return ToOutboxEvent(topics::kOkrEvents, env);
}

std::string Version(int64_t v) { return v == 0 ? "" : std::to_string(v); }

void GuardObjective(AtomicWrite& w, const std::string& p, const v1::Objective& o) {
  w.ExpectField(keys::ObjectiveVersions(p), o.id(), Version(o.version()), absl::StatusCode::kAborted,
                "objective " + o.id() + " changed concurrently since version " + std::to_string(o.version()));
}

void GuardKeyResult(AtomicWrite& w, const std::string& p, const v1::KeyResult& kr) {
  w.ExpectField(keys::KeyResultVersions(p), kr.id(), Version(kr.version()), absl::StatusCode::kAborted,
                "key result " + kr.id() + " changed concurrently since version " + std::to_string(kr.version()));
}

void PutObjective(AtomicWrite& w, const std::string& p, const v1::Objective& o) {
  v1::Objective stored = o;  // progress is derived on read, never stored
  stored.clear_progress();
  stored.clear_confidence();
  stored.clear_key_results_without_check_in();
  w.Command({"HSET", keys::Objectives(p), o.id(), stored.SerializeAsString()});
  w.Command({"HSET", keys::ObjectiveVersions(p), o.id(), std::to_string(o.version())});
}

void PutKeyResult(AtomicWrite& w, const std::string& p, const v1::KeyResult& kr) {
  w.Command({"HSET", keys::KeyResults(p), kr.id(), kr.SerializeAsString()});
  w.Command({"HSET", keys::KeyResultVersions(p), kr.id(), std::to_string(kr.version())});
}

// Recomputes a key result's progress and confidence from its latest check-in.
void Evaluate(v1::KeyResult& kr) {
  auto latest = adapters::LatestOf(kr);
  auto p = domain::EvaluateKeyResult(FromProto(kr), latest ? &*latest : nullptr);
  kr.set_progress(p.progress);
  kr.set_confidence(p.confidence);
}

// Objectives and key results of a portfolio with their progress, confidence and
// measurability filled in by the domain's roll-up.
struct Evaluated {
  std::vector<v1::Objective> objectives;
  std::vector<v1::KeyResult> key_results;
  domain::ProgressTree tree;
};

Evaluated Evaluate(std::vector<v1::Objective> objectives, std::vector<v1::KeyResult> key_results) {
  std::vector<domain::Objective> os;
  os.reserve(objectives.size());
  std::unordered_map<std::string, size_t> index;
  for (const auto& o : objectives) {
    index.emplace(o.id(), os.size());
    os.push_back(FromProto(o));
  }
  std::vector<domain::KeyResult> krs;
  std::vector<domain::CheckIn> check_ins;
  krs.reserve(key_results.size());
  for (const auto& kr : key_results) {
    krs.push_back(FromProto(kr));
    if (kr.has_latest_check_in()) check_ins.push_back(FromProto(kr.latest_check_in()));
  }
  Evaluated out{std::move(objectives), std::move(key_results), domain::ComputeProgress(os, krs, check_ins)};
  for (auto& o : out.objectives) {
    const auto& p = out.tree.objectives.at(o.id());
    o.set_progress(p.progress);
    o.set_confidence(p.confidence);
    o.set_key_results_without_check_in(p.key_results_without_check_in);
  }
  for (size_t i = 0; i < out.key_results.size(); ++i) {
    auto& kr = out.key_results[i];
    const auto& p = out.tree.key_results.at(kr.id());
    kr.set_progress(p.progress);
    kr.set_confidence(p.confidence);
    auto o = index.find(kr.objective_id());
    kr.set_measurable(o != index.end() && domain::IsMeasurable(krs[i], os[o->second]).measurable);
  }
  return out;
}

std::string StageName(intake::v1::Stage stage) {
  std::string name = intake::v1::Stage_Name(stage);
  return name.starts_with("STAGE_") ? name.substr(6) : name;
}

bool SameLinks(const v1::Alignment& a, const v1::Alignment& b) {
  if (a.links_size() != b.links_size()) return false;
  for (int i = 0; i < a.links_size(); ++i)
    if (a.links(i).SerializeAsString() != b.links(i).SerializeAsString()) return false;
  return true;
}

void SortLinks(v1::Alignment& a) {
  std::sort(a.mutable_links()->begin(), a.mutable_links()->end(),
            [](const v1::Link& x, const v1::Link& y) { return x.key_result_id() < y.key_result_id(); });
}

}  // namespace

struct OkrApp::Counters {
  prometheus::Family<prometheus::Counter>& check_ins;
  prometheus::Family<prometheus::Counter>& strategy_changes;
  prometheus::Family<prometheus::Gauge>& objectives;
  prometheus::Family<prometheus::Gauge>& key_results;
  explicit Counters(prometheus::Registry& r)
      : check_ins(prometheus::BuildCounter()
                      .Name("pmo_okr_check_ins_total")
                      .Help("Check-ins recorded, by source (grpc or the ingest topic)")
                      .Register(r)),
        strategy_changes(prometheus::BuildCounter()
                             .Name("pmo_okr_strategy_changes_total")
                             .Help("Objective priority or status changes (StrategyChanged events)")
                             .Register(r)),
        objectives(prometheus::BuildGauge().Name("pmo_okr_objectives").Help("Objectives by portfolio").Register(r)),
        key_results(
            prometheus::BuildGauge().Name("pmo_okr_key_results").Help("Key results by portfolio").Register(r)) {}
};

OkrApp::OkrApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, const Clock& clock)
    : store_(redis), outbox_(outbox), metrics_(metrics), clock_(clock) {
  if (metrics_) counters_ = std::make_shared<Counters>(metrics_->registry());
}

// ---- objectives ------------------------------------------------------------------

namespace {
// Resolves objectives of one portfolio for the domain's cascade checks; a Redis failure
// is kept aside and reported instead of posing as "unknown parent".
struct ObjectiveResolver {
  adapters::RedisStore& store;
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
    AtomicWrite w;
    w.ExpectField(keys::kObjectivePortfolio, snapshot.id(), "", absl::StatusCode::kAlreadyExists,
                  "objective " + snapshot.id() + " already exists");
    if (!snapshot.parent_id().empty()) GuardObjective(w, p, resolver.seen.at(snapshot.parent_id()));
    PutObjective(w, p, snapshot);
    w.Command({"HSET", keys::kObjectivePortfolio, snapshot.id(), p});
    w.Command({"SADD", keys::kPortfolios, p});
    w.Publish(Event(adapters::ObjectiveEvent(snapshot, true), snapshot.id(), p, snapshot.version(), ctx, clock_));
    auto r = outbox_.Commit(w);
    if (!r.ok()) return r.status();
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
  auto s = domain::ValidateObjective(FromProto(snapshot), lookup, children);
  // Key results are measured against their objective's period: a new period that leaves
  // a key result's due date behind would quietly make it unmeasurable. Refused, naming each.
  if (snapshot.has_period()) {
    const domain::Objective updated = FromProto(snapshot);
    for (const auto& kr : data->key_results) {
      if (kr.objective_id() != id || kr.retired()) continue;
      Violations kv;
      domain::CheckMeasurability(FromProto(kr), updated, kv);
      for (const auto& f : kv.list())
        v.Add("period", absl::StrCat("would leave key result ", kr.id(), " unmeasurable: ", f.field, " ",
                                     f.description));
    }
  }
  if (auto merged = MergeViolations(v, s, "invalid objective"); !merged.ok()) return merged;

  AtomicWrite w;
  GuardObjective(w, **p, current);
  if (!snapshot.parent_id().empty())
    GuardObjective(w, **p, stored.at(snapshot.parent_id()));  // the cascade was checked against this parent
  PutObjective(w, **p, snapshot);
  w.Publish(Event(adapters::ObjectiveEvent(snapshot, false), id, **p, snapshot.version(), ctx, clock_));
  const auto change = domain::DetectStrategyChange(FromProto(current), FromProto(snapshot));
  if (change.Any()) {
    v1::StrategyChanged e;
    e.set_objective_id(id);
    e.set_portfolio_id(**p);
    e.set_priority_changed(change.priority_changed);
    e.set_status_changed(change.status_changed);
    e.set_previous_priority(current.priority());
    e.set_priority(snapshot.priority());
    e.set_previous_status(std::string(domain::ObjectiveStatusName(FromProto(current.status()))));
    e.set_status(std::string(domain::ObjectiveStatusName(FromProto(snapshot.status()))));
    e.set_changed_at_ms(absl::ToUnixMillis(clock_.Now()));
    e.set_version(snapshot.version());
    w.Publish(Event(e, id, **p, snapshot.version(), ctx, clock_));
  }
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  if (change.Any() && counters_) counters_->strategy_changes.Add({{"portfolio", **p}}).Increment();
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

// ---- key results -----------------------------------------------------------------

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
    AtomicWrite w;
    w.ExpectField(keys::kKeyResultPortfolio, snapshot.id(), "", absl::StatusCode::kAlreadyExists,
                  "key result " + snapshot.id() + " already exists");
    GuardObjective(w, *p, *objective);  // measurability was judged against this period
    PutKeyResult(w, *p, snapshot);
    w.Command({"HSET", keys::kKeyResultPortfolio, snapshot.id(), *p});
    w.Publish(Event(adapters::KeyResultEvent(snapshot, FromProto(*objective), true), snapshot.id(), *p,
                    snapshot.version(), ctx, clock_));
    auto r = outbox_.Commit(w);
    if (!r.ok()) return r.status();
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
  AtomicWrite w;
  GuardKeyResult(w, **p, **current);
  GuardObjective(w, **p, **objective);
  PutKeyResult(w, **p, snapshot);
  w.Publish(Event(adapters::KeyResultEvent(snapshot, FromProto(**objective), false), id, **p, snapshot.version(), ctx,
                  clock_));
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
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

// ---- check-ins -------------------------------------------------------------------

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
  if (auto latest = adapters::LatestOf(*current)) history.push_back(*latest);
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
  std::unordered_map<std::string, const v1::Objective*> by_id;
  for (const auto& o : evaluated.objectives) by_id.emplace(o.id(), &o);

  v1::KeyResultCheckedIn event;
  event.set_key_result_id(snapshot.id());
  event.set_objective_id(snapshot.objective_id());
  event.set_portfolio_id(p);
  event.set_value(check_in.value);
  event.set_confidence(check_in.confidence);
  event.set_note(check_in.note);
  event.set_as_of(domain::FormatDate(check_in.as_of));
  event.set_source_id(check_in.source_id);
  event.set_became_latest(outcome->became_latest);
  event.set_key_result_progress(snapshot.progress());
  event.set_key_result_confidence(snapshot.confidence());
  event.set_version(snapshot.version());
  std::unordered_set<std::string> visited;
  for (auto it = by_id.find(snapshot.objective_id()); it != by_id.end() && visited.insert(it->first).second;
       it = by_id.find(it->second->parent_id())) {
    auto* op = event.add_objectives();
    op->set_objective_id(it->first);
    op->set_progress(it->second->progress());
    op->set_confidence(it->second->confidence());
  }

  // Once per source_id (an ingest record without one is deduplicated by its event id):
  // the guard below makes a redelivery change nothing.
  AtomicWrite w;
  w.ExpectField(keys::CheckIns(p, snapshot.id()), check_in.source_id, "", absl::StatusCode::kAlreadyExists,
                "check-in " + check_in.source_id + " was already applied");
  GuardKeyResult(w, p, *current);
  w.Command({"HSET", keys::CheckIns(p, snapshot.id()), check_in.source_id, ToProto(check_in).SerializeAsString()});
  PutKeyResult(w, p, snapshot);
  w.Publish(Event(event, snapshot.id(), p, snapshot.version(), ctx, clock_));
  auto r = outbox_.Commit(w);
  if (!r.ok() && r.status().code() == absl::StatusCode::kAlreadyExists) {
    // The same source_id committed concurrently: this one is the redelivery.
    auto again = store_.GetKeyResult(p, snapshot.id());
    if (!again.ok()) return again.status();
    if (*again) *out.mutable_key_result() = std::move(**again);
    return out;
  }
  if (!r.ok()) return r.status();
  if (counters_) counters_->check_ins.Add({{"source", std::string(source)}}).Increment();
  snapshot.set_measurable(true);
  for (const auto& kr : evaluated.key_results)
    if (kr.id() == snapshot.id()) snapshot.set_measurable(kr.measurable());
  *out.mutable_key_result() = std::move(snapshot);
  out.set_recorded(true);
  out.set_became_latest(outcome->became_latest);
  return out;
}

// ---- alignment -------------------------------------------------------------------

absl::StatusOr<v1::AlignmentChanged> OkrApp::AlignmentEvent(const v1::Alignment& alignment) {
  const std::string& p = alignment.portfolio_id();
  std::vector<std::string> kr_ids;
  for (const auto& l : alignment.links()) kr_ids.push_back(l.key_result_id());
  auto krs = store_.KeyResultsByIds(p, kr_ids);
  if (!krs.ok()) return krs.status();
  std::vector<std::string> objective_ids;
  for (const auto& [id, kr] : *krs) objective_ids.push_back(kr.objective_id());
  std::sort(objective_ids.begin(), objective_ids.end());
  objective_ids.erase(std::unique(objective_ids.begin(), objective_ids.end()), objective_ids.end());
  auto objectives = store_.ObjectivesByIds(p, objective_ids);
  if (!objectives.ok()) return objectives.status();
  v1::AlignmentChanged e;
  e.set_initiative_id(alignment.initiative_id());
  e.set_portfolio_id(p);
  e.set_version(alignment.version());
  for (const auto& l : alignment.links()) {
    auto* link = e.add_links();
    link->set_key_result_id(l.key_result_id());
    link->set_contribution(l.contribution());
    auto kr = krs->find(l.key_result_id());
    if (kr == krs->end()) continue;
    link->set_objective_id(kr->second.objective_id());
    auto o = objectives->find(kr->second.objective_id());
    link->set_measurable(o != objectives->end() && !kr->second.retired() &&
                         domain::IsMeasurable(FromProto(kr->second), FromProto(o->second)).measurable);
  }
  return e;
}

absl::StatusOr<v1::Alignment> OkrApp::LinkInitiative(const v1::LinkInitiativeRequest& req, const CallContext& ctx) {
  domain::Link link{req.key_result_id(), req.initiative_id(), req.contribution()};
  if (auto s = domain::ValidateLink(link); !s.ok()) return s;
  return RetryOnRace([&] { return ChangeLink(req.key_result_id(), req.initiative_id(), req.contribution(), ctx); });
}

absl::StatusOr<v1::Alignment> OkrApp::UnlinkInitiative(const v1::UnlinkInitiativeRequest& req,
                                                       const CallContext& ctx) {
  Violations v;
  if (req.key_result_id().empty()) v.Add("key_result_id", "must not be empty");
  if (req.initiative_id().empty()) v.Add("initiative_id", "must not be empty");
  if (!v.empty()) return v.ToStatus("invalid link");
  return RetryOnRace([&] { return ChangeLink(req.key_result_id(), req.initiative_id(), std::nullopt, ctx); });
}

absl::StatusOr<v1::Alignment> OkrApp::ChangeLink(const std::string& key_result_id, const std::string& initiative_id,
                                                 std::optional<double> contribution, const CallContext& ctx) {
  auto p = store_.PortfolioOfKeyResult(key_result_id);
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("key result " + key_result_id + " not found");
  auto ip = store_.PortfolioOfInitiative(initiative_id);
  if (!ip.ok()) return ip.status();
  if (!*ip)
    return absl::NotFoundError("initiative " + initiative_id +
                               " not found: okr has not seen it in intake's events (yet)");
  if (**ip != **p)
    return InvalidArgument("invalid link", {{"initiative_id", "belongs to portfolio " + **ip + " but key result " +
                                                                  key_result_id + " to portfolio " + **p}});
  auto kr = store_.GetKeyResult(**p, key_result_id);
  if (!kr.ok()) return kr.status();
  if (!*kr) return absl::NotFoundError("key result " + key_result_id + " not found");
  auto current = store_.GetAlignment(**p, initiative_id);
  if (!current.ok()) return current.status();
  v1::Alignment alignment;
  if (*current) {
    alignment = **current;
  } else {
    alignment.set_initiative_id(initiative_id);
    alignment.set_portfolio_id(**p);
  }
  const v1::Alignment before = alignment;
  auto* links = alignment.mutable_links();
  auto it = std::find_if(links->begin(), links->end(),
                         [&](const v1::Link& l) { return l.key_result_id() == key_result_id; });
  if (contribution) {
    if ((*kr)->retired())
      return FailedPrecondition("key result retired",
                                {{"KEY_RESULT_RETIRED", key_result_id,
                                  "key result " + key_result_id + " is retired and takes no new links"}});
    v1::Link* l = it != links->end() ? &*it : alignment.add_links();
    l->set_key_result_id(key_result_id);
    l->set_initiative_id(initiative_id);
    l->set_contribution(*contribution);
    l->set_origin(v1::LINK_ORIGIN_API);  // made by a person: a submission update leaves it alone
  } else {
    if (it == links->end())
      return absl::NotFoundError("initiative " + initiative_id + " is not linked to key result " + key_result_id);
    links->erase(it);
  }
  SortLinks(alignment);
  if (SameLinks(before, alignment) && *current) return alignment;
  alignment.set_version(before.version() + 1);
  auto event = AlignmentEvent(alignment);
  if (!event.ok()) return event.status();
  AtomicWrite w;
  w.ExpectField(keys::AlignmentVersions(**p), initiative_id, Version(before.version()), absl::StatusCode::kAborted,
                "alignment of " + initiative_id + " changed concurrently");
  GuardKeyResult(w, **p, **kr);
  w.Command({"HSET", keys::Alignments(**p), initiative_id, alignment.SerializeAsString()});
  w.Command({"HSET", keys::AlignmentVersions(**p), initiative_id, std::to_string(alignment.version())});
  w.Publish(Event(*event, initiative_id, **p, alignment.version(), ctx, clock_));
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  return alignment;
}

absl::Status OkrApp::ApplyInitiative(const intake::v1::Initiative& initiative, int64_t version,
                                     const CallContext& ctx) {
  Violations v;
  if (initiative.id().empty()) v.Add("initiative.id", "is required");
  if (initiative.portfolio_id().empty()) v.Add("initiative.portfolio_id", "is required");
  if (version <= 0) v.Add("initiative.version", "must be positive");
  if (!v.empty()) return v.ToStatus("invalid initiative");
  auto r = RetryOnRace([&]() -> absl::StatusOr<bool> {
    auto s = ApplyInitiativeOnce(initiative, version, ctx);
    if (!s.ok()) return s;
    return true;
  });
  return r.status();
}

absl::Status OkrApp::ApplyInitiativeOnce(const intake::v1::Initiative& initiative, int64_t version,
                                         const CallContext& ctx) {
  const std::string& id = initiative.id();
  const std::string& p = initiative.portfolio_id();
  auto current = store_.GetAlignment(p, id);
  if (!current.ok()) return current.status();
  v1::Alignment alignment;
  if (*current) {
    alignment = **current;
  } else {
    alignment.set_initiative_id(id);
    alignment.set_portfolio_id(p);
  }
  const v1::Alignment before = alignment;

  // The submission's proposal replaces the links the previous proposal made; links
  // made with LinkInitiative stay, and win over a proposal of the same key result.
  const auto& proposed = initiative.business_case().strategic().key_results();
  std::vector<std::string> proposed_ids;
  for (const auto& k : proposed) proposed_ids.push_back(k.key_result_id());
  auto known = store_.KeyResultsByIds(p, proposed_ids);
  if (!known.ok()) return known.status();
  v1::Alignment next;
  next.set_initiative_id(id);
  next.set_portfolio_id(p);
  next.set_version(before.version());
  std::set<std::string> taken;
  for (const auto& l : before.links())
    if (l.origin() != v1::LINK_ORIGIN_SUBMISSION) {
      *next.add_links() = l;
      taken.insert(l.key_result_id());
    }
  for (const auto& k : proposed) {
    if (taken.contains(k.key_result_id())) continue;
    auto kr = known->find(k.key_result_id());
    const double c = k.contribution_weight();
    if (kr == known->end() || kr->second.retired() || !std::isfinite(c) || c < 0 || c > 1) {
      // Not linkable (unknown to okr, retired, or a weight outside 0..1): intake
      // validated the submission; okr records only the links it can stand behind.
      log::Warn("proposed key result not linked", {{"initiative", id}, {"key_result", k.key_result_id()}});
      continue;
    }
    auto* l = next.add_links();
    l->set_key_result_id(k.key_result_id());
    l->set_initiative_id(id);
    l->set_contribution(c);
    l->set_origin(v1::LINK_ORIGIN_SUBMISSION);
    taken.insert(k.key_result_id());
  }
  SortLinks(next);
  const bool changed = !SameLinks(before, next);

  AtomicWrite w;
  w.SkipUnlessNewer(keys::InitiativeVersions(p), id, version);
  w.Command({"HSET", keys::InitiativeVersions(p), id, std::to_string(version)});
  w.Command({"HSET", keys::Initiatives(p), id, StageName(initiative.stage())});
  w.Command({"HSET", keys::kInitiativePortfolio, id, p});
  if (changed) {
    next.set_version(before.version() + 1);
    auto event = AlignmentEvent(next);
    if (!event.ok()) return event.status();
    w.ExpectField(keys::AlignmentVersions(p), id, Version(before.version()), absl::StatusCode::kAborted,
                  "alignment of " + id + " changed concurrently");
    w.Command({"HSET", keys::Alignments(p), id, next.SerializeAsString()});
    w.Command({"HSET", keys::AlignmentVersions(p), id, std::to_string(next.version())});
    w.Publish(Event(*event, id, p, next.version(), ctx, clock_));
  }
  return outbox_.Commit(w).status();
}

// ---- queries ---------------------------------------------------------------------

absl::StatusOr<v1::AlignmentTree> OkrApp::GetAlignmentTree(const v1::GetAlignmentTreeRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto data = store_.LoadPortfolio(req.portfolio_id(),
                                   {.objectives = true, .key_results = true, .alignments = true, .initiatives = true});
  if (!data.ok()) return data.status();
  auto evaluated = Evaluate(std::move(data->objectives), std::move(data->key_results));
  auto& objectives = evaluated.objectives;
  std::sort(objectives.begin(), objectives.end(), [](const auto& a, const auto& b) { return a.id() < b.id(); });
  std::sort(evaluated.key_results.begin(), evaluated.key_results.end(),
            [](const auto& a, const auto& b) { return a.id() < b.id(); });

  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < objectives.size(); ++i) index.emplace(objectives[i].id(), i);
  std::vector<std::vector<size_t>> children(objectives.size());
  std::vector<size_t> roots;
  for (size_t i = 0; i < objectives.size(); ++i) {
    auto parent = index.find(objectives[i].parent_id());
    if (parent == index.end() || parent->second == i)
      roots.push_back(i);
    else
      children[parent->second].push_back(i);
  }
  std::unordered_map<std::string, std::vector<v1::AlignedInitiative>> initiatives_of;
  int32_t links = 0;
  for (const auto& a : data->alignments) {
    auto stage = data->initiative_stages.find(a.initiative_id());
    for (const auto& l : a.links()) {
      v1::AlignedInitiative ai;
      ai.set_initiative_id(a.initiative_id());
      ai.set_contribution(l.contribution());
      ai.set_origin(l.origin());
      if (stage != data->initiative_stages.end()) ai.set_stage(stage->second);
      initiatives_of[l.key_result_id()].push_back(std::move(ai));
      ++links;
    }
  }
  std::vector<std::vector<v1::KeyResult*>> key_results_of(objectives.size());
  for (auto& kr : evaluated.key_results)
    if (auto o = index.find(kr.objective_id()); o != index.end()) key_results_of[o->second].push_back(&kr);

  std::vector<bool> placed(objectives.size(), false);
  std::function<void(size_t, v1::ObjectiveNode*)> build = [&](size_t i, v1::ObjectiveNode* node) {
    placed[i] = true;
    *node->mutable_objective() = std::move(objectives[i]);
    for (v1::KeyResult* kr : key_results_of[i]) {
      auto* krn = node->add_key_results();
      auto linked = initiatives_of.find(kr->id());
      if (linked != initiatives_of.end()) {
        std::sort(linked->second.begin(), linked->second.end(),
                  [](const auto& a, const auto& b) { return a.initiative_id() < b.initiative_id(); });
        for (auto& ai : linked->second) *krn->add_initiatives() = std::move(ai);
      }
      *krn->mutable_key_result() = std::move(*kr);
    }
    for (size_t c : children[i])
      if (!placed[c]) build(c, node->add_children());
  };
  v1::AlignmentTree tree;
  tree.set_portfolio_id(req.portfolio_id());
  tree.set_objectives(static_cast<int32_t>(objectives.size()));
  tree.set_key_results(static_cast<int32_t>(evaluated.key_results.size()));
  tree.set_links(links);
  for (size_t r : roots) build(r, tree.add_roots());
  return tree;
}

absl::StatusOr<v1::Coverage> OkrApp::GetCoverage(const v1::GetCoverageRequest& req) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  domain::Date as_of;
  if (req.has_as_of()) {
    as_of = FromProto(req.as_of());
    if (!domain::IsValidDate(as_of)) v.Add("as_of", "is not a valid date");
  } else {
    const absl::CivilDay today = absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
    as_of = domain::Date{static_cast<int32_t>(today.year()), today.month(), today.day()};
  }
  if (!v.empty()) return v.ToStatus("invalid request");
  auto data = store_.LoadPortfolio(req.portfolio_id(),
                                   {.objectives = true, .key_results = true, .alignments = true, .initiatives = true});
  if (!data.ok()) return data.status();
  std::vector<domain::Objective> objectives;
  for (const auto& o : data->objectives) objectives.push_back(FromProto(o));
  std::vector<domain::KeyResult> key_results;
  std::vector<domain::CheckIn> check_ins;
  for (const auto& kr : data->key_results) {
    key_results.push_back(FromProto(kr));
    if (kr.has_latest_check_in()) check_ins.push_back(FromProto(kr.latest_check_in()));
  }
  std::vector<domain::InitiativeRef> initiatives;
  for (const auto& [id, stage] : data->initiative_stages)
    initiatives.push_back({id, stage, domain::IsActiveStage(stage)});
  std::vector<domain::Link> links;
  for (const auto& a : data->alignments)
    for (const auto& l : a.links()) links.push_back({l.key_result_id(), a.initiative_id(), l.contribution()});
  auto c = domain::ComputeCoverage({.objectives = objectives,
                                    .key_results = key_results,
                                    .check_ins = check_ins,
                                    .initiatives = initiatives,
                                    .links = links,
                                    .as_of = as_of});
  v1::Coverage out;
  out.set_portfolio_id(req.portfolio_id());
  out.set_active_initiatives(c.active_initiatives);
  out.set_active_linked(c.active_linked);
  out.set_active_with_measurable_key_result(c.active_with_measurable_key_result);
  out.set_measurable_share(c.measurable_share);
  for (auto& id : c.initiatives_linked_to_nothing) out.add_initiatives_linked_to_nothing(std::move(id));
  for (auto& id : c.objectives_without_initiative) out.add_objectives_without_initiative(std::move(id));
  for (auto& id : c.stale_key_results) out.add_stale_key_results(std::move(id));
  *out.mutable_as_of() = ToProto(as_of);
  return out;
}

absl::Status OkrApp::RefreshGauges() {
  if (!counters_) return absl::OkStatus();
  auto portfolios = store_.Portfolios();
  if (!portfolios.ok()) return portfolios.status();
  for (const auto& [p, counts] : *portfolios) {
    counters_->objectives.Add({{"portfolio", p}}).Set(static_cast<double>(counts.first));
    counters_->key_results.Add({{"portfolio", p}}).Set(static_cast<double>(counts.second));
  }
  return absl::OkStatus();
}

}  // namespace pmo::okr::app
