#include "services/intake/app/intake_app.h"


#include "services/intake/app/convert.h"
#include "services/intake/domain/decisions.h"
#include "services/intake/domain/gates.h"
#include "services/intake/domain/lifecycle.h"
#include "services/intake/domain/progress.h"
#include "services/intake/domain/updates.h"
#include "services/intake/domain/validation.h"
#include "pmo/common/use_cases.h"
#include "pmo/common/envelope.h"
#include "pmo/base/errors.h"
#include "pmo/common/kafka.h"
#include "pmo/common/log.h"

namespace pmo::intake::app {

namespace keys = adapters::keys;
using adapters::FromProto;
using adapters::ToProto;

namespace {

constexpr char kSource[] = "pmo-intake";

bool IsCommitted(v1::Stage s) { return s == v1::STAGE_APPROVED || s == v1::STAGE_ACTIVE; }

template <typename Event>
OutboxEvent InitiativeEvent(const Event& payload, const v1::Initiative& snapshot, const CallContext& ctx,
                            const Clock& clock) {
  auto env = MakeEnvelope(payload,
                          {.source = kSource,
                           .subject = snapshot.id(),
                           .portfolio_id = snapshot.portfolio_id(),
                           .aggregate_version = snapshot.version(),
                           .correlation_id = ctx.correlation_id,
                           .causation_id = ctx.causation_id},
                          clock);
  return ToOutboxEvent(topics::kIntakeEvents, env);
}

// Writes an initiative's snapshot and keeps the indexes and stage counts in step.
void PutInitiative(AtomicWrite& w, const v1::Initiative& snapshot, std::optional<v1::Stage> previous_stage) {
  const auto& p = snapshot.portfolio_id();
  w.Command({"HSET", keys::Initiative(p, snapshot.id()), "version", std::to_string(snapshot.version()), "stage",
             v1::Stage_Name(snapshot.stage()), "data", snapshot.SerializeAsString()});
  if (!previous_stage) {
    w.Command({"ZADD", keys::PortfolioInitiatives(p), "0", snapshot.id()});
    w.Command({"HSET", keys::kInitiativePortfolio, snapshot.id(), p});
  }
  if (!previous_stage || *previous_stage != snapshot.stage()) {
    if (previous_stage) w.Command({"HINCRBY", keys::StageCounts(p), v1::Stage_Name(*previous_stage), "-1"});
    w.Command({"HINCRBY", keys::StageCounts(p), v1::Stage_Name(snapshot.stage()), "1"});
  }
  if (previous_stage && IsCommitted(*previous_stage) != IsCommitted(snapshot.stage()))
    w.Command({"HINCRBY", keys::Commitments(p), "version", "1"});
}

// The stored version must still be the one the decision was made on.
void GuardVersion(AtomicWrite& w, const v1::Initiative& current) {
  w.ExpectField(keys::Initiative(current.portfolio_id(), current.id()), "version", std::to_string(current.version()),
                absl::StatusCode::kAborted,
                "initiative " + current.id() + " changed concurrently since version " + std::to_string(current.version()));
}

bool SameDemand(const v1::Initiative& a, const v1::Initiative& b) {
  auto bytes = [](const auto& list) {
    std::string out;
    for (const auto& x : list) out += x.SerializeAsString();
    return out;
  };
  return bytes(a.cost_per_quarter()) == bytes(b.cost_per_quarter()) && bytes(a.effort()) == bytes(b.effort());
}

}  // namespace

struct IntakeApp::Counters {
  prometheus::Family<prometheus::Gauge>& by_stage;
  prometheus::Family<prometheus::Counter>& progress;
  prometheus::Family<prometheus::Counter>& gate_refusals;
  explicit Counters(prometheus::Registry& r)
      : by_stage(prometheus::BuildGauge()
                     .Name("pmo_intake_initiatives")
                     .Help("Initiatives by portfolio and stage")
                     .Register(r)),
        progress(prometheus::BuildCounter()
                     .Name("pmo_intake_progress_reports_total")
                     .Help("Progress reports applied, by source (grpc or the ingest topic)")
                     .Register(r)),
        gate_refusals(prometheus::BuildCounter()
                          .Name("pmo_intake_gate_refusals_total")
                          .Help("Refused approvals, by unmet condition")
                          .Register(r)) {}
};

IntakeApp::IntakeApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, const Clock& clock)
    : store_(redis), outbox_(outbox), metrics_(metrics), clock_(clock) {
  if (metrics_) counters_ = std::make_shared<Counters>(metrics_->registry());
}

// ---- portfolios ------------------------------------------------------------------

absl::StatusOr<v1::Portfolio> IntakeApp::CreatePortfolio(const v1::CreatePortfolioRequest& req, const CallContext& ctx) {
  Violations v;
  ValidateId(req.portfolio_id(), "portfolio_id", v);
  auto request = FromProto(req.portfolio(), v);
  std::string id = req.portfolio_id().empty() ? NewUuid() : req.portfolio_id();
  auto created = domain::CreatePortfolio(std::move(request), id);
  if (auto s = MergeViolations(v, created.status(), "invalid portfolio"); !s.ok()) return s;
  v1::Portfolio snapshot = ToProto(*created);
  v1::PortfolioChanged changed;
  *changed.mutable_portfolio() = snapshot;
  changed.set_created(true);
  auto env = MakeEnvelope(changed,
                          {.source = kSource, .subject = id, .portfolio_id = id, .aggregate_version = snapshot.version(),
                           .correlation_id = ctx.correlation_id, .causation_id = ctx.causation_id},
                          clock_);
  AtomicWrite w;
  w.ExpectAbsent(keys::Portfolio(id), "portfolio " + id + " already exists")
      .Command({"HSET", keys::Portfolio(id), "version", std::to_string(snapshot.version()), "data",
                snapshot.SerializeAsString()})
      .Command({"ZADD", keys::kPortfolioIndex, "0", id})
      .Publish(ToOutboxEvent(topics::kIntakeEvents, env));
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  return snapshot;
}

absl::StatusOr<v1::Portfolio> IntakeApp::GetPortfolio(const v1::GetPortfolioRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto p = store_.GetPortfolio(req.portfolio_id());
  if (!p.ok()) return p.status();
  return p->value;
}

absl::StatusOr<v1::ListPortfoliosResponse> IntakeApp::ListPortfolios(const v1::ListPortfoliosRequest& req) {
  auto size = PageSize(req.page(), IntakeApp::kDefaultPageSize, IntakeApp::kMaxPageSize);
  if (!size.ok()) return size.status();
  auto ids = store_.IdsAfter(keys::kPortfolioIndex, req.page().page_token(), *size + 1);
  if (!ids.ok()) return ids.status();
  bool more = static_cast<int>(ids->size()) > *size;
  if (more) ids->pop_back();
  auto portfolios = store_.GetPortfolios(*ids);
  if (!portfolios.ok()) return portfolios.status();
  v1::ListPortfoliosResponse out;
  for (auto& p : *portfolios) *out.add_portfolios() = std::move(p);
  if (more && !ids->empty()) out.mutable_page()->set_next_page_token(ids->back());
  return out;
}

absl::StatusOr<v1::Portfolio> IntakeApp::UpdatePortfolio(const v1::UpdatePortfolioRequest& req, const CallContext& ctx) {
  const std::string& id = req.portfolio().id();
  if (id.empty()) return InvalidArgument("invalid portfolio", {{"portfolio.id", "is required"}});
  auto current = store_.GetPortfolio(id);
  if (!current.ok()) return current.status();
  Violations v;
  auto request = FromProto(req.portfolio(), v);
  Violations ignored;
  auto updated = domain::UpdatePortfolio(FromProto(current->value, ignored), request, req.expected_version());
  if (auto s = MergeViolations(v, updated.status(), "invalid portfolio"); !s.ok()) return s;
  v1::Portfolio snapshot = ToProto(*updated);
  v1::PortfolioChanged changed;
  *changed.mutable_portfolio() = snapshot;
  auto env = MakeEnvelope(changed,
                          {.source = kSource, .subject = id, .portfolio_id = id, .aggregate_version = snapshot.version(),
                           .correlation_id = ctx.correlation_id, .causation_id = ctx.causation_id},
                          clock_);
  AtomicWrite w;
  w.ExpectField(keys::Portfolio(id), "version", std::to_string(current->version), absl::StatusCode::kAborted,
                "portfolio " + id + " changed since version " + std::to_string(req.expected_version()))
      .Command({"HSET", keys::Portfolio(id), "version", std::to_string(snapshot.version()), "data",
                snapshot.SerializeAsString()})
      // Budgets and capacities feed approval: a change invalidates approvals in flight.
      .Command({"HINCRBY", keys::Commitments(id), "version", "1"})
      .Publish(ToOutboxEvent(topics::kIntakeEvents, env));
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  return snapshot;
}

absl::StatusOr<std::string> IntakeApp::PortfolioCurrency(const std::string& portfolio_id) {
  {
    std::lock_guard lock(currency_mu_);
    if (auto it = currency_cache_.find(portfolio_id); it != currency_cache_.end()) return it->second;
  }
  auto p = store_.GetPortfolio(portfolio_id);
  if (!p.ok()) return p.status();
  std::lock_guard lock(currency_mu_);
  currency_cache_[portfolio_id] = p->value.currency();
  return p->value.currency();
}

// ---- initiatives -----------------------------------------------------------------

namespace {
// Resolves dependencies for validation (cycles included) from the store; a Redis
// failure is kept aside and reported instead of posing as "unknown dependency".
struct DependencyResolver {
  adapters::RedisStore& store;
  absl::Status error;
  domain::DependencyLookup Lookup() {
    return [this](std::string_view id) -> std::optional<std::vector<std::string>> {
      auto in = store.GetInitiative(std::string(id));
      if (!in.ok()) {
        if (in.status().code() != absl::StatusCode::kNotFound && error.ok()) error = in.status();
        return std::nullopt;
      }
      return std::vector<std::string>(in->value.dependencies().begin(), in->value.dependencies().end());
    };
  }
};
}  // namespace

absl::StatusOr<v1::Initiative> IntakeApp::SubmitInitiative(const v1::SubmitInitiativeRequest& req,
                                                           const CallContext& ctx) {
  const std::string& pid = req.initiative().portfolio_id();
  if (pid.empty()) return InvalidArgument("invalid initiative", {{"initiative.portfolio_id", "is required"}});
  auto portfolio = store_.GetPortfolio(pid);
  if (!portfolio.ok()) return portfolio.status();
  Violations v, ignored;
  ValidateId(req.initiative_id(), "initiative_id", v);
  auto submission = FromProto(req.initiative(), v);
  auto dp = FromProto(portfolio->value, ignored);
  adapters::DefaultCurrency(submission, dp.currency);
  std::string id = req.initiative_id().empty() ? NewUuid() : req.initiative_id();
  DependencyResolver deps{store_, absl::OkStatus()};
  auto created = domain::CreateInitiative(std::move(submission), id, req.submit_as_draft(), dp, deps.Lookup());
  if (!deps.error.ok()) return deps.error;
  if (auto s = MergeViolations(v, created.status(), "invalid initiative"); !s.ok()) return s;
  created->submitted_at_unix_ms = absl::ToUnixMillis(clock_.Now());
  v1::Initiative snapshot = ToProto(*created);
  v1::InitiativeSubmitted event;
  *event.mutable_initiative() = snapshot;
  AtomicWrite w;
  w.ExpectExists(keys::Portfolio(pid), "portfolio " + pid + " not found")
      .ExpectAbsent(keys::Initiative(pid, id), "initiative " + id + " already exists")
      // Ids are unique across portfolios: the id → portfolio map must not be taken.
      .ExpectField(keys::kInitiativePortfolio, id, "", absl::StatusCode::kAlreadyExists,
                   "initiative " + id + " already exists in another portfolio");
  PutInitiative(w, snapshot, std::nullopt);
  w.Publish(InitiativeEvent(event, snapshot, ctx, clock_));
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  return snapshot;
}

absl::StatusOr<v1::Initiative> IntakeApp::GetInitiative(const v1::GetInitiativeRequest& req) {
  if (req.initiative_id().empty()) return InvalidArgument("invalid request", {{"initiative_id", "is required"}});
  auto in = store_.GetInitiative(req.initiative_id());
  if (!in.ok()) return in.status();
  return in->value;
}

absl::StatusOr<v1::ListInitiativesResponse> IntakeApp::ListInitiatives(const v1::ListInitiativesRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto size = PageSize(req.page(), IntakeApp::kDefaultPageSize, IntakeApp::kMaxPageSize);
  if (!size.ok()) return size.status();
  if (auto p = store_.GetPortfolio(req.portfolio_id()); !p.ok()) return p.status();
  std::set<int> stages(req.stages().begin(), req.stages().end());
  v1::ListInitiativesResponse out;
  std::string after = req.page().page_token();
  // Scan the portfolio's index in id order until the page is full; the token is the
  // last id examined, so a filtered scan resumes where it stopped.
  for (;;) {
    auto ids = store_.IdsAfter(keys::PortfolioInitiatives(req.portfolio_id()), after, *size);
    if (!ids.ok()) return ids.status();
    if (ids->empty()) return out;
    auto batch = store_.GetInitiatives(req.portfolio_id(), *ids);
    if (!batch.ok()) return batch.status();
    for (auto& in : *batch) {
      after = in.id();
      if (!stages.empty() && !stages.contains(in.stage())) continue;
      *out.add_initiatives() = std::move(in);
      if (out.initiatives_size() == *size) {
        out.mutable_page()->set_next_page_token(after);
        return out;
      }
    }
    after = ids->back();
    if (static_cast<int>(ids->size()) < *size) return out;
  }
}

absl::StatusOr<v1::Initiative> IntakeApp::UpdateInitiative(const v1::UpdateInitiativeRequest& req,
                                                           const CallContext& ctx) {
  const std::string& id = req.initiative().id();
  if (id.empty()) return InvalidArgument("invalid initiative", {{"initiative.id", "is required"}});
  auto current = store_.GetInitiative(id);
  if (!current.ok()) return current.status();
  const auto& pid = current->value.portfolio_id();
  auto portfolio = store_.GetPortfolio(pid);
  if (!portfolio.ok()) return portfolio.status();
  Violations v, ignored;
  auto request = FromProto(req.initiative(), v);
  auto dp = FromProto(portfolio->value, ignored);
  adapters::DefaultCurrency(request, dp.currency);
  DependencyResolver deps{store_, absl::OkStatus()};
  auto updated = domain::UpdateInitiative(FromProto(current->value, ignored), request, req.expected_version(), dp,
                                          deps.Lookup());
  if (!deps.error.ok()) return deps.error;
  if (auto s = MergeViolations(v, updated.status(), "invalid initiative"); !s.ok()) return s;
  v1::Initiative snapshot = ToProto(*updated);
  v1::InitiativeUpdated event;
  *event.mutable_initiative() = snapshot;
  AtomicWrite w;
  GuardVersion(w, current->value);
  if (IsCommitted(current->value.stage()) && !SameDemand(current->value, snapshot)) {
    // A committed initiative asking for more money or hours must still fit the
    // portfolio, checked against the same figures an approval would use.
    auto c = store_.CommitmentsVersion(pid);
    if (!c.ok()) return c.status();
    auto all = store_.PortfolioInitiatives(pid);
    if (!all.ok()) return all.status();
    std::vector<domain::Initiative> others;
    for (const auto& o : *all)
      if (o.id() != id) others.push_back(FromProto(o, ignored));
    auto check = domain::CheckCapacity(dp, *updated, others);
    if (!check.ok()) {
      if (counters_)
        for (const auto& f : check.Failures(dp.currency))
          counters_->gate_refusals.Add({{"reason", std::string(domain::GateReasonName(f.reason))}}).Increment();
      return domain::GateRefusal("the committed initiative would exceed the portfolio's budget or capacity",
                                 check.Failures(dp.currency));
    }
    w.ExpectField(keys::Commitments(pid), "version", *c == 0 ? "" : std::to_string(*c), absl::StatusCode::kAborted,
                  "portfolio " + pid + " commitments changed during the update; retry");
    w.Command({"HINCRBY", keys::Commitments(pid), "version", "1"});
  }
  PutInitiative(w, snapshot, current->value.stage());
  w.Publish(InitiativeEvent(event, snapshot, ctx, clock_));
  auto r = outbox_.Commit(w);
  Forget(id);
  if (!r.ok()) return r.status();
  return snapshot;
}

absl::StatusOr<v1::Initiative> IntakeApp::TransitionInitiative(const v1::TransitionInitiativeRequest& req,
                                                               const CallContext& ctx) {
  Violations v;
  if (req.initiative_id().empty()) v.Add("initiative_id", "is required");
  if (req.to_stage() == v1::STAGE_UNSPECIFIED || !v1::Stage_IsValid(req.to_stage()))
    v.Add("to_stage", "must be a lifecycle stage");
  if (!v.empty()) return v.ToStatus("invalid transition");
  return Transition(req, ctx);
}

absl::StatusOr<v1::Initiative> IntakeApp::Transition(const v1::TransitionInitiativeRequest& req, const CallContext& ctx) {
  auto current = store_.GetInitiative(req.initiative_id());
  if (!current.ok()) return current.status();
  const auto& pid = current->value.portfolio_id();
  Violations ignored;
  domain::Initiative in = FromProto(current->value, ignored);
  domain::TransitionRequest tr{FromProto(req.to_stage()), req.expected_version(), req.reason(), req.override_reason()};

  std::optional<domain::ApprovalContext> approval;
  domain::Portfolio dp;
  std::vector<domain::Initiative> others;
  int64_t commitments = 0;
  const bool approving = req.to_stage() == v1::STAGE_APPROVED;
  if (approving) {
    auto portfolio = store_.GetPortfolio(pid);
    if (!portfolio.ok()) return portfolio.status();
    dp = FromProto(portfolio->value, ignored);
    auto c = store_.CommitmentsVersion(pid);
    if (!c.ok()) return c.status();
    commitments = *c;
    auto all = store_.PortfolioInitiatives(pid);
    if (!all.ok()) return all.status();
    for (const auto& o : *all)
      if (o.id() != in.id) others.push_back(FromProto(o, ignored));
    approval.emplace();
    approval->portfolio = &dp;
    approval->portfolio_initiatives = others;
    auto alignment = store_.Alignment(in.id);
    if (!alignment.ok()) return alignment.status();
    if (*alignment) {
      approval->okr.knows_initiative = true;
      for (const auto& link : (*alignment)->links()) {
        // The key result's own latest verdict wins over the one the link carried.
        auto verdict = store_.KeyResultMeasurable(link.key_result_id());
        if (!verdict.ok()) return verdict.status();
        approval->okr.linked_key_results.push_back({link.key_result_id(), verdict->value_or(link.measurable())});
      }
    }
    auto benefits = store_.Benefits(in.id);
    if (!benefits.ok()) return benefits.status();
    approval->benefits.knows_initiative = !benefits->empty();
    for (const auto& b : *benefits) {
      domain::BenefitEvidence e;
      e.benefit_id = b.benefit_id();
      if (b.has_baseline()) e.baseline = b.baseline();
      if (b.has_target()) e.target = b.target();
      e.unit = b.unit();
      e.target_date = FromProto(b.target_date());
      approval->benefits.benefits.push_back(std::move(e));
    }
  }

  auto outcome = domain::ApplyTransition(in, tr, approval ? &*approval : nullptr);
  if (!outcome.ok()) {
    if (counters_)
      for (const auto& f : domain::GateFailuresOf(outcome.status()))
        counters_->gate_refusals.Add({{"reason", std::string(domain::GateReasonName(f.reason))}}).Increment();
    return outcome.status();
  }
  v1::Initiative snapshot = ToProto(in);
  v1::InitiativeStageChanged event;
  *event.mutable_initiative() = snapshot;
  event.set_from(ToProto(outcome->from));
  event.set_to(ToProto(outcome->to));
  event.set_reason(req.reason());
  if (approving) event.set_override_reason(snapshot.override_reason());  // only the approval that needed it
  AtomicWrite w;
  GuardVersion(w, current->value);
  if (approving) {
    // Another approval or a portfolio change since the capacity check was made on
    // stale figures: refuse (the client retries) rather than over-commit.
    w.ExpectField(keys::Commitments(pid), "version", commitments == 0 ? "" : std::to_string(commitments),
                  absl::StatusCode::kAborted, "portfolio " + pid + " commitments changed during the approval; retry");
  }
  PutInitiative(w, snapshot, current->value.stage());
  w.Publish(InitiativeEvent(event, snapshot, ctx, clock_));
  auto r = outbox_.Commit(w);
  Forget(snapshot.id());
  if (!r.ok()) return r.status();
  return snapshot;
}

// ---- progress --------------------------------------------------------------------

absl::StatusOr<v1::Initiative> IntakeApp::ReportProgress(const v1::ReportProgressRequest& req, const CallContext& ctx,
                                                         std::string_view source, const std::string& event_id) {
  if (auto s = CheckProgressRequest(req); !s.ok()) return s;
  return RetryOnRace([&] { return ApplyProgressOnce(req, ctx, source, event_id); });
}

absl::Status IntakeApp::CheckProgressRequest(const v1::ReportProgressRequest& req) {
  if (req.initiative_id().empty()) return InvalidArgument("invalid progress report", {{"initiative_id", "is required"}});
  if (!req.has_report()) return InvalidArgument("invalid progress report", {{"report", "is required"}});
  return absl::OkStatus();
}

// The asynchronous twin of ReportProgress: the same plan and the same write, committed
// without holding the caller's thread; a lost race is planned again from a fresh read,
// as RetryOnRace does, on the retry queue's thread.
void IntakeApp::ReportProgressAsync(const v1::ReportProgressRequest& req, CallContext ctx, std::string source,
                                    ProgressDone done) {
  if (auto s = CheckProgressRequest(req); !s.ok()) {
    done(s);
    return;
  }
  struct Attempt {
    IntakeApp* app;
    const v1::ReportProgressRequest* req;
    CallContext ctx;
    std::string source;
    ProgressDone done;
    int attempt = 0;

    static void Run(std::shared_ptr<Attempt> a) {
      ++a->attempt;
      auto plan = a->app->PlanProgress(*a->req, a->ctx, a->source, "");
      if (!plan.ok()) return Answer(std::move(a), plan.status());
      if (!plan->write) return Answer(std::move(a), std::move(plan->answer));
      auto write = plan->write;
      a->app->outbox_.CommitAsync(std::move(write),
                                  [a, plan = std::move(*plan)](absl::StatusOr<WriteResult> r) mutable {
                                    Answer(a, a->app->AfterProgressCommit(plan, r, a->source));
                                  });
    }
    static void Answer(std::shared_ptr<Attempt> a, absl::StatusOr<v1::Initiative> out) {
      if (!out.ok() && out.status().code() == absl::StatusCode::kAborted && a->attempt < kRaceRetries) {
        IntakeApp* app = a->app;
        return app->retries_.Post([a = std::move(a)]() mutable { Run(std::move(a)); });
      }
      a->done(std::move(out));
    }
  };
  Attempt::Run(std::make_shared<Attempt>(Attempt{this, &req, std::move(ctx), std::move(source), std::move(done)}));
}

IntakeApp::RetryQueue::RetryQueue()
    : thread_([this] {
        std::unique_lock lock(mu_);
        for (;;) {
          cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
          if (tasks_.empty()) return;  // stopping, and nothing left to run
          auto task = std::move(tasks_.front());
          tasks_.pop_front();
          lock.unlock();
          task();
          lock.lock();
        }
      }) {}

IntakeApp::RetryQueue::~RetryQueue() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void IntakeApp::RetryQueue::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

absl::StatusOr<std::shared_ptr<const v1::Initiative>> IntakeApp::CachedInitiative(const std::string& id) {
  {
    std::lock_guard lock(snapshot_mu_);
    if (auto it = snapshots_.find(id); it != snapshots_.end()) return it->second;
  }
  auto fresh = store_.GetInitiative(id);
  if (!fresh.ok()) return fresh.status();
  auto shared = std::make_shared<const v1::Initiative>(std::move(fresh->value));
  std::lock_guard lock(snapshot_mu_);
  snapshots_[id] = shared;
  return shared;
}

void IntakeApp::Remember(const v1::Initiative& snapshot) {
  auto shared = std::make_shared<const v1::Initiative>(snapshot);
  std::lock_guard lock(snapshot_mu_);
  if (snapshots_.size() >= kSnapshotCacheSize && !snapshots_.contains(snapshot.id())) snapshots_.clear();
  snapshots_[snapshot.id()] = std::move(shared);
}

void IntakeApp::Forget(const std::string& id) {
  std::lock_guard lock(snapshot_mu_);
  snapshots_.erase(id);
}

absl::StatusOr<v1::Initiative> IntakeApp::ApplyProgressOnce(const v1::ReportProgressRequest& req,
                                                            const CallContext& ctx, std::string_view source,
                                                            const std::string& event_id) {
  auto plan = PlanProgress(req, ctx, source, event_id);
  if (!plan.ok()) return plan.status();
  if (!plan->write) return std::move(plan->answer);
  return AfterProgressCommit(*plan, outbox_.Commit(*plan->write), source);
}

absl::StatusOr<IntakeApp::ProgressPlan> IntakeApp::PlanProgress(const v1::ReportProgressRequest& req,
                                                                const CallContext& ctx, std::string_view source,
                                                                const std::string& event_id) {
  auto current = CachedInitiative(req.initiative_id());
  if (!current.ok()) return current.status();
  auto currency = PortfolioCurrency((**current).portfolio_id());
  if (!currency.ok()) return currency.status();
  Violations v, ignored;
  auto report = FromProto(req.report(), v);
  if (!v.empty()) return v.ToStatus("invalid progress report");
  adapters::DefaultCurrency(report, *currency);
  // A report changes only the latest report and the version: the domain rule runs on
  // those, and the new snapshot is the held one with them replaced, instead of
  // converting the whole initiative to the domain and back on every call.
  const v1::Initiative& held = **current;
  std::optional<domain::ProgressReport> latest;
  if (held.has_latest_progress()) latest = FromProto(held.latest_progress(), ignored);
  int64_t version = held.version();
  auto outcome = domain::ApplyProgress(latest, version, report, *currency);
  if (!outcome.ok()) return outcome.status();
  ProgressPlan plan;
  if (!outcome->applied) {
    // Nothing changes; answer with the stored snapshot, not a possibly older cached one.
    auto stored = store_.GetInitiative((**current).portfolio_id(), (**current).id());
    if (!stored.ok()) return stored.status();
    if (stored->version != (**current).version()) {
      Forget((**current).id());
      return absl::AbortedError("initiative changed concurrently; retry");  // re-run from a fresh read
    }
    plan.answer = std::move(stored->value);
    return plan;
  }
  plan.snapshot = held;
  *plan.snapshot.mutable_latest_progress() = ToProto(*latest);
  plan.snapshot.set_version(version);
  auto w = std::make_shared<AtomicWrite>();
  if (!event_id.empty()) w->OncePerMarker(keys::Processed(event_id), kProcessedMarkerTtlSeconds);
  GuardVersion(*w, (**current));
  PutInitiative(*w, plan.snapshot, (**current).stage());
  v1::ProgressReported event;
  event.set_source(std::string(source));
  // The event carries the snapshot, lent to it for the serialization instead of copied
  // (neither lives on an arena); it is taken back before the event goes away.
  event.unsafe_arena_set_allocated_initiative(&plan.snapshot);
  w->Publish(InitiativeEvent(event, plan.snapshot, ctx, clock_));
  event.unsafe_arena_release_initiative();
  plan.write = std::move(w);
  return plan;
}

absl::StatusOr<v1::Initiative> IntakeApp::AfterProgressCommit(ProgressPlan& plan, const absl::StatusOr<WriteResult>& r,
                                                              std::string_view source) {
  if (!r.ok()) {
    Forget(plan.snapshot.id());  // stale (ABORTED) or unknown outcome: read afresh next time
    return r.status();
  }
  if (*r == WriteResult::kApplied) {
    Remember(plan.snapshot);
    if (counters_) ProgressCounter(source).Increment();
  } else {
    Forget(plan.snapshot.id());
  }
  return std::move(plan.snapshot);
}

prometheus::Counter& IntakeApp::ProgressCounter(std::string_view source) {
  std::lock_guard lock(counter_mu_);
  auto it = progress_by_source_.find(source);
  if (it == progress_by_source_.end())
    it = progress_by_source_.emplace(std::string(source), &counters_->progress.Add({{"source", std::string(source)}}))
             .first;
  return *it->second;
}

// ---- events from other services ----------------------------------------------------

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
  Violations ignored;
  domain::Initiative in = FromProto(current->value, ignored);
  domain::Decision d;
  d.decision_id = decision.decision_id();
  d.initiative_id = decision.initiative_id();
  d.kind = decision.decision() == reporting::v1::DECISION_STOP    ? domain::DecisionKind::kStop
           : decision.decision() == reporting::v1::DECISION_PIVOT ? domain::DecisionKind::kPivot
                                                         : domain::DecisionKind::kContinue;
  d.rationale = decision.rationale();
  d.review_id = decision.review_id();
  d.decided_by = decision.decided_by();
  d.decided_on = FromProto(decision.decided_on());
  auto outcome = domain::ApplyDecision(in, d);
  if (!outcome.ok()) return outcome.status();
  if (outcome->already_applied) return absl::OkStatus();
  v1::Initiative snapshot = ToProto(in);
  AtomicWrite w;
  GuardVersion(w, current->value);
  PutInitiative(w, snapshot, current->value.stage());
  if (outcome->stage_changed) {
    v1::InitiativeStageChanged event;
    *event.mutable_initiative() = snapshot;
    event.set_from(ToProto(outcome->from));
    event.set_to(ToProto(outcome->to));
    event.set_reason("decision " + d.decision_id + ": " + d.rationale);
    event.set_decision_id(d.decision_id);
    w.Publish(InitiativeEvent(event, snapshot, ctx, clock_));
  } else {
    v1::InitiativeUpdated event;  // the decision is recorded on the initiative either way
    *event.mutable_initiative() = snapshot;
    w.Publish(InitiativeEvent(event, snapshot, ctx, clock_));
  }
  auto r = outbox_.Commit(w);
  Forget(snapshot.id());
  return r.status();
}

absl::Status IntakeApp::ApplyAlignment(const okr::v1::AlignmentChanged& alignment, int64_t version) {
  if (alignment.initiative_id().empty()) return InvalidArgument("invalid alignment", {{"initiative_id", "is required"}});
  AtomicWrite w;
  const auto key = keys::Alignment(alignment.initiative_id());
  w.SkipUnlessNewer(key, "version", version)
      .Command({"HSET", key, "version", std::to_string(version), "data", alignment.SerializeAsString()});
  return outbox_.Commit(w).status();
}

absl::Status IntakeApp::ApplyKeyResult(const okr::v1::KeyResultChanged& kr, int64_t version) {
  if (kr.key_result_id().empty()) return InvalidArgument("invalid key result", {{"key_result_id", "is required"}});
  AtomicWrite w;
  const auto key = keys::KeyResult(kr.key_result_id());
  w.SkipUnlessNewer(key, "version", version)
      .Command({"HSET", key, "version", std::to_string(version), "measurable",
                kr.measurable() && !kr.retired() ? "1" : "0"});
  return outbox_.Commit(w).status();
}

absl::Status IntakeApp::ApplyBenefit(const benefits::v1::BenefitChanged& changed, int64_t version) {
  const auto& b = changed.benefit();
  Violations v;
  if (b.benefit_id().empty()) v.Add("benefit.benefit_id", "is required");
  if (b.initiative_id().empty()) v.Add("benefit.initiative_id", "is required");
  if (!v.empty()) return v.ToStatus("invalid benefit");
  AtomicWrite w;
  const auto key = keys::Benefit(b.benefit_id());
  w.SkipUnlessNewer(key, "version", version)
      .Command({"HSET", key, "version", std::to_string(version), "initiative", b.initiative_id()});
  if (b.removed())
    w.Command({"HDEL", keys::InitiativeBenefits(b.initiative_id()), b.benefit_id()});
  else
    w.Command({"HSET", keys::InitiativeBenefits(b.initiative_id()), b.benefit_id(), b.SerializeAsString()});
  return outbox_.Commit(w).status();
}

absl::Status IntakeApp::RefreshGauges() {
  if (!counters_) return absl::OkStatus();
  auto counts = store_.StageCounts();
  if (!counts.ok()) return counts.status();
  for (const auto& [portfolio, stages] : *counts)
    for (int s = v1::STAGE_DRAFT; s <= v1::STAGE_STOPPED; ++s) {
      auto name = v1::Stage_Name(static_cast<v1::Stage>(s));
      auto it = stages.find(name);
      std::string label = name.substr(name.find('_') + 1);  // STAGE_IN_REVIEW → IN_REVIEW
      counters_->by_stage.Add({{"portfolio", portfolio}, {"stage", label}})
          .Set(it == stages.end() ? 0.0 : static_cast<double>(it->second));
    }
  return absl::OkStatus();
}

}  // namespace pmo::intake::app
