// Progress reports, from gRPC or the ingest topic: the newest report by as_of is kept,
// a redelivered or older one changes nothing. The hot path: the initiative comes from
// the snapshot cache, the report replaces only the latest report and the version, and
// the gRPC door commits asynchronously so no server thread waits for Redis.
#include "pmo/base/errors.h"
#include "pmo/common/use_cases.h"
#include "services/intake/app/convert.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/domain/progress.h"

namespace pmo::intake::app {
namespace {

// The ProgressReported event for a planned snapshot. It borrows the snapshot for the
// serialization instead of copying it (neither lives on an arena) and gives it back
// when it goes away, so the snapshot must outlive it.
class ProgressEvent {
 public:
  ProgressEvent(v1::Initiative& snapshot, std::string_view source) {
    event_.set_source(std::string(source));
    event_.unsafe_arena_set_allocated_initiative(&snapshot);
  }
  ~ProgressEvent() { event_.unsafe_arena_release_initiative(); }
  ProgressEvent(const ProgressEvent&) = delete;
  ProgressEvent& operator=(const ProgressEvent&) = delete;
  const v1::ProgressReported& event() const { return event_; }

 private:
  v1::ProgressReported event_;
};

store::InitiativeChange ProgressChange(const v1::Initiative& before, const v1::Initiative& after,
                                       const ProgressEvent& event, const std::string& event_id) {
  store::InitiativeChange change;
  change.before = &before;
  change.after = &after;
  change.event = &event.event();
  change.once_per_event_id = event_id;
  return change;
}

}  // namespace

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

// One asynchronous report: planned, committed without holding the caller's thread, and
// on a lost race planned again from a fresh read, as RetryOnRace does, on the retry
// queue's thread.
struct IntakeApp::ProgressAttempt {
  IntakeApp* app;
  const v1::ReportProgressRequest* req;
  CallContext ctx;
  std::string source;
  ProgressDone done;
  int attempt = 0;
  ProgressPlan plan;  // the attempt's plan; the commit's callback finishes it

  static void Run(std::shared_ptr<ProgressAttempt> a) {
    ++a->attempt;
    auto plan = a->app->PlanProgress(*a->req);
    if (!plan.ok()) return Answer(std::move(a), plan.status());
    if (!plan->write) return Answer(std::move(a), std::move(plan->answer));
    a->plan = std::move(*plan);
    ProgressEvent event(a->plan.snapshot, a->source);
    // The write (and the event's bytes) is built before this returns; `done` may run
    // on the committer thread, or on this one.
    a->app->store_.ChangeInitiativeAsync(ProgressChange(*a->plan.held, a->plan.snapshot, event, ""), a->ctx,
                                         [a](absl::StatusOr<WriteResult> r) {
                                           Answer(a, a->app->AfterProgressCommit(a->plan, r, a->source));
                                         });
  }

  static void Answer(std::shared_ptr<ProgressAttempt> a, absl::StatusOr<v1::Initiative> out) {
    if (!out.ok() && out.status().code() == absl::StatusCode::kAborted && a->attempt < kRaceRetries) {
      IntakeApp* app = a->app;
      return app->retries_.Post([a = std::move(a)]() mutable { Run(std::move(a)); });
    }
    a->done(std::move(out));
  }
};

void IntakeApp::ReportProgressAsync(const v1::ReportProgressRequest& req, CallContext ctx, std::string source,
                                    ProgressDone done) {
  if (auto s = CheckProgressRequest(req); !s.ok()) {
    done(s);
    return;
  }
  auto attempt = std::make_shared<ProgressAttempt>();
  attempt->app = this;
  attempt->req = &req;
  attempt->ctx = std::move(ctx);
  attempt->source = std::move(source);
  attempt->done = std::move(done);
  ProgressAttempt::Run(std::move(attempt));
}

absl::StatusOr<v1::Initiative> IntakeApp::ApplyProgressOnce(const v1::ReportProgressRequest& req,
                                                            const CallContext& ctx, std::string_view source,
                                                            const std::string& event_id) {
  auto plan = PlanProgress(req);
  if (!plan.ok()) return plan.status();
  if (!plan->write) return std::move(plan->answer);
  absl::StatusOr<WriteResult> result;
  {
    ProgressEvent event(plan->snapshot, source);
    result = store_.ChangeInitiative(ProgressChange(*plan->held, plan->snapshot, event, event_id), ctx);
  }
  return AfterProgressCommit(*plan, result, source);
}

absl::StatusOr<IntakeApp::ProgressPlan> IntakeApp::PlanProgress(const v1::ReportProgressRequest& req) {
  auto current = cache_.Initiative(req.initiative_id());
  if (!current.ok()) return current.status();
  const v1::Initiative& held = **current;
  auto currency = cache_.PortfolioCurrency(held.portfolio_id());
  if (!currency.ok()) return currency.status();
  Violations v;
  auto report = FromProto(req.report(), v);
  if (!v.empty()) return v.ToStatus("invalid progress report");
  DefaultCurrency(report, *currency);
  // A report changes only the latest report and the version: the domain rule runs on
  // those, and the new snapshot is the held one with them replaced, instead of
  // converting the whole initiative to the domain and back on every call.
  std::optional<domain::ProgressReport> latest;
  if (held.has_latest_progress()) latest = FromStored(held.latest_progress());
  int64_t version = held.version();
  auto outcome = domain::ApplyProgress(latest, version, report, *currency);
  if (!outcome.ok()) return outcome.status();
  ProgressPlan plan;
  if (!outcome->applied) {
    // Nothing changes; answer with the stored snapshot, not a possibly older cached one.
    auto stored = store_.GetInitiative(held.portfolio_id(), held.id());
    if (!stored.ok()) return stored.status();
    if (stored->version != held.version()) {
      cache_.Forget(held.id());
      return absl::AbortedError("initiative changed concurrently; retry");  // re-run from a fresh read
    }
    plan.answer = std::move(stored->value);
    return plan;
  }
  plan.held = *current;
  plan.snapshot = held;
  *plan.snapshot.mutable_latest_progress() = ToProto(*latest);
  plan.snapshot.set_version(version);
  plan.write = true;
  return plan;
}

absl::StatusOr<v1::Initiative> IntakeApp::AfterProgressCommit(ProgressPlan& plan, const absl::StatusOr<WriteResult>& r,
                                                              std::string_view source) {
  if (!r.ok()) {
    cache_.Forget(plan.snapshot.id());  // stale (ABORTED) or unknown outcome: read afresh next time
    return r.status();
  }
  if (*r == WriteResult::kApplied) {
    cache_.Remember(plan.snapshot);
    metrics_.ProgressApplied(source);
  } else {
    cache_.Forget(plan.snapshot.id());
  }
  return std::move(plan.snapshot);
}

}  // namespace pmo::intake::app
