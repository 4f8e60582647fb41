#include "seed.h"

#include <grpcpp/grpcpp.h>

#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pmo/benefits/v1/benefits.grpc.pb.h"
#include "pmo/base/errors.h"
#include "pmo/common/grpc_status.h"
#include "pmo/intake/v1/intake.grpc.pb.h"
#include "pmo/okr/v1/okr.grpc.pb.h"
#include "pmo/reporting/v1/reporting.grpc.pb.h"
#include "pmo/scoring/v1/scoring.grpc.pb.h"

namespace pmo::demo {
namespace {

namespace iv1 = intake::v1;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Clients {
  std::shared_ptr<grpc::Channel> intake_ch, scoring_ch, okr_ch, benefits_ch, reporting_ch;
  std::unique_ptr<iv1::IntakeService::Stub> intake;
  std::unique_ptr<scoring::v1::ScoringService::Stub> scoring;
  std::unique_ptr<okr::v1::OkrService::Stub> okr;
  std::unique_ptr<benefits::v1::BenefitsService::Stub> benefits;
  std::unique_ptr<reporting::v1::ReportingService::Stub> reporting;

  explicit Clients(const Endpoints& e)
      : intake_ch(grpc::CreateChannel(e.intake, grpc::InsecureChannelCredentials())),
        scoring_ch(grpc::CreateChannel(e.scoring, grpc::InsecureChannelCredentials())),
        okr_ch(grpc::CreateChannel(e.okr, grpc::InsecureChannelCredentials())),
        benefits_ch(grpc::CreateChannel(e.benefits, grpc::InsecureChannelCredentials())),
        reporting_ch(grpc::CreateChannel(e.reporting, grpc::InsecureChannelCredentials())),
        intake(iv1::IntakeService::NewStub(intake_ch)),
        scoring(scoring::v1::ScoringService::NewStub(scoring_ch)),
        okr(okr::v1::OkrService::NewStub(okr_ch)),
        benefits(benefits::v1::BenefitsService::NewStub(benefits_ch)),
        reporting(reporting::v1::ReportingService::NewStub(reporting_ch)) {}
};

// One call with a deadline, mapped to absl::Status.
template <typename Fn>
absl::Status Call(Fn&& fn) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 20s);
  ctx.AddMetadata("x-correlation-id", "pmo-demo-seed");
  return FromGrpcStatus(fn(&ctx));
}

// Repeats `fn` while it answers a catch-up refusal (or `also` says so), up to `timeout`.
template <typename Fn>
absl::Status UntilCaughtUp(const std::string& what, std::chrono::seconds timeout, Fn&& fn,
                           const std::function<bool(const absl::Status&)>& also = {}) {
  const auto deadline = Clock::now() + timeout;
  auto pause = 20ms;
  for (;;) {
    absl::Status s = fn();
    if (s.ok()) return s;
    const bool retry = IsCatchingUp(s) || (also && also(s));
    if (!retry) return absl::Status(s.code(), absl::StrCat(what, ": ", s.message()));
    if (Clock::now() > deadline)
      return absl::DeadlineExceededError(
          absl::StrCat(what, ": still refused after ", timeout.count(), " s: ", s.message()));
    std::this_thread::sleep_for(pause);  // polling another service's progress, bounded by the deadline
    pause = std::min(pause * 2, std::chrono::milliseconds(500));
  }
}

// Polls `check` until it holds (OK), up to `timeout`; the last answer explains a failure.
absl::Status WaitUntil(const std::string& what, std::chrono::seconds timeout, const std::function<absl::Status()>& check) {
  const auto deadline = Clock::now() + timeout;
  absl::Status last;
  while (Clock::now() < deadline) {
    last = check();
    if (last.ok()) return last;
    std::this_thread::sleep_for(100ms);
  }
  return absl::DeadlineExceededError(absl::StrCat("timed out waiting for ", what, ": ", last.message()));
}

absl::Status WaitServing(Clients& c, std::chrono::seconds timeout) {
  struct Target {
    const char* name;
    std::shared_ptr<grpc::Channel> channel;
  };
  const Target targets[] = {{"intake", c.intake_ch},
                            {"scoring", c.scoring_ch},
                            {"okr", c.okr_ch},
                            {"benefits", c.benefits_ch},
                            {"reporting", c.reporting_ch}};
  for (const auto& t : targets) {
    auto stub = grpc::health::v1::Health::NewStub(t.channel);
    auto s = WaitUntil(absl::StrCat(t.name, " to report SERVING"), timeout, [&]() -> absl::Status {
      grpc::health::v1::HealthCheckRequest req;
      grpc::health::v1::HealthCheckResponse resp;
      auto st = Call([&](grpc::ClientContext* ctx) { return stub->Check(ctx, req, &resp); });
      if (!st.ok()) return st;
      if (resp.status() != grpc::health::v1::HealthCheckResponse::SERVING)
        return absl::UnavailableError(grpc::health::v1::HealthCheckResponse::ServingStatus_Name(resp.status()));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

std::string Reason(iv1::Stage to) {
  switch (to) {
    case iv1::STAGE_IN_REVIEW: return "intake review scheduled";
    case iv1::STAGE_APPROVED: return "value gate passed at the investment board";
    case iv1::STAGE_ACTIVE: return "team staffed, delivery started";
    case iv1::STAGE_DELIVERED: return "released to all customers";
    case iv1::STAGE_SUSTAINING: return "handed over to operations; benefits tracked";
    case iv1::STAGE_CLOSED: return "benefits realised and tracking window over";
    case iv1::STAGE_PAUSED: return "paused while the branch network strategy is revisited";
    case iv1::STAGE_PIVOTING: return "pivot: social storefront becomes a creator affiliate programme";
    case iv1::STAGE_STOPPED: return "stopped: cost and risk outgrew the case";
    default: return "demo";
  }
}

}  // namespace

bool IsCatchingUp(const absl::Status& s) {
  if (s.code() == absl::StatusCode::kUnavailable || s.code() == absl::StatusCode::kAborted) return true;
  if (s.code() != absl::StatusCode::kFailedPrecondition) return false;
  const auto violations = PreconditionViolationsOf(s);
  if (violations.empty()) return false;
  for (const auto& v : violations)
    if (!absl::EndsWith(v.type, "_NOT_CAUGHT_UP")) return false;
  return true;
}

namespace {

// The seeding steps in the order a PMO works; each answers the first failure, naming
// the step and the object.
class Seeder {
 public:
  Seeder(const Plan& plan, const SeedOptions& options)
      : c_(options.endpoints), plan_(plan), timeout_(options.catch_up_timeout), log_(options.log) {}

  absl::StatusOr<SeedResult> Run() {
    if (auto s = WaitServing(c_, timeout_); !s.ok()) return s;
    log_("every service is SERVING");
    if (auto s = CreatePortfolio(); !s.ok() || result_.already_seeded) {
      if (!s.ok()) return s;
      return result_;
    }
    for (auto step : {&Seeder::CreateStrategy, &Seeder::SetModel, &Seeder::SubmitInitiatives, &Seeder::WalkLifecycles,
                      &Seeder::RecordDeliveryData, &Seeder::WaitRanked, &Seeder::RunScenarios,
                      &Seeder::WaitEvidence, &Seeder::OpenReview}) {
      if (auto s = (this->*step)(); !s.ok()) return s;
    }
    return result_;
  }

 private:
  // ---- strategy: the portfolio, objectives and key results ----------------------------
  absl::Status CreatePortfolio() {
    iv1::Portfolio out;
    auto s = Call([&](grpc::ClientContext* ctx) { return c_.intake->CreatePortfolio(ctx, plan_.portfolio, &out); });
    if (s.code() == absl::StatusCode::kAlreadyExists) {
      log_(absl::StrCat("portfolio ", plan_.portfolio_id, " already exists: not seeding again"));
      result_.already_seeded = true;
      return absl::OkStatus();
    }
    if (!s.ok()) return absl::Status(s.code(), absl::StrCat("create portfolio: ", s.message()));
    return absl::OkStatus();
  }

  absl::Status CreateStrategy() {
    for (const auto& o : plan_.objectives) {
      okr::v1::Objective out;
      auto s = Call([&](grpc::ClientContext* ctx) { return c_.okr->CreateObjective(ctx, o, &out); });
      if (!s.ok()) return absl::Status(s.code(), absl::StrCat("objective ", o.objective_id(), ": ", s.message()));
    }
    for (const auto& k : plan_.key_results) {
      okr::v1::KeyResult out;
      auto s = Call([&](grpc::ClientContext* ctx) { return c_.okr->CreateKeyResult(ctx, k, &out); });
      if (!s.ok()) return absl::Status(s.code(), absl::StrCat("key result ", k.key_result_id(), ": ", s.message()));
    }
    for (const auto& ci : plan_.check_ins) {
      okr::v1::CheckInResponse out;
      auto s = Call([&](grpc::ClientContext* ctx) { return c_.okr->CheckIn(ctx, ci, &out); });
      if (!s.ok()) return absl::Status(s.code(), absl::StrCat("check-in ", ci.source_id(), ": ", s.message()));
    }
    log_(absl::StrCat(plan_.objectives.size(), " objectives, ", plan_.key_results.size(), " key results, ",
                      plan_.check_ins.size(), " check-ins"));
    return absl::OkStatus();
  }

  // ---- the scoring model (scoring learns the portfolio from intake's event) -----------
  absl::Status SetModel() {
    scoring::v1::ScoringModel out;
    return UntilCaughtUp(
        "scoring model", timeout_,
        [&] { return Call([&](grpc::ClientContext* ctx) { return c_.scoring->SetScoringModel(ctx, plan_.model, &out); }); },
        NotFound);
  }

  // ---- intake: every initiative with its business case --------------------------------
  absl::Status SubmitInitiatives() {
    for (const auto& ip : plan_.initiatives) {
      iv1::Initiative out;
      auto s = Call([&](grpc::ClientContext* ctx) { return c_.intake->SubmitInitiative(ctx, ip.submit, &out); });
      if (!s.ok()) return absl::Status(s.code(), absl::StrCat("submit ", ip.id(), ": ", s.message()));
      versions_[ip.id()] = out.version();
      ++result_.initiatives;
    }
    log_(absl::StrCat(result_.initiatives, " initiatives submitted"));
    return absl::OkStatus();
  }

  // ---- the lifecycle, through the value gates -------------------------------------------
  absl::Status WalkLifecycles() {
    for (const auto& ip : plan_.initiatives)
      for (iv1::Stage to : ip.path)
        if (auto s = Transition(ip.id(), to); !s.ok()) return s;
    log_("lifecycle stages set (value gates passed where approval was needed)");
    return absl::OkStatus();
  }

  absl::Status Transition(const std::string& id, iv1::Stage to) {
    iv1::TransitionInitiativeRequest req;
    req.set_initiative_id(id);
    req.set_to_stage(to);
    req.set_reason(Reason(to));
    iv1::Initiative out;
    auto s = UntilCaughtUp(absl::StrCat(id, " → ", iv1::Stage_Name(to)), timeout_, [&]() -> absl::Status {
      req.set_expected_version(versions_[id]);
      auto st = Call([&](grpc::ClientContext* ctx) { return c_.intake->TransitionInitiative(ctx, req, &out); });
      if (st.code() == absl::StatusCode::kAborted) {
        // Changed meanwhile (a decision or progress from the stream): read it afresh.
        iv1::GetInitiativeRequest get;
        get.set_initiative_id(id);
        iv1::Initiative fresh;
        if (Call([&](grpc::ClientContext* ctx) { return c_.intake->GetInitiative(ctx, get, &fresh); }).ok())
          versions_[id] = fresh.version();
      }
      return st;
    });
    if (s.ok()) versions_[id] = out.version();
    return s;
  }

  // ---- delivery data: progress and benefit measurements ------------------------------------
  absl::Status RecordDeliveryData() {
    for (const auto& pr : plan_.progress) {
      iv1::Initiative out;
      auto s = Call([&](grpc::ClientContext* ctx) { return c_.intake->ReportProgress(ctx, pr, &out); });
      if (!s.ok()) return absl::Status(s.code(), absl::StrCat("progress of ", pr.initiative_id(), ": ", s.message()));
    }
    size_t measurement_count = 0;
    for (const auto& m : plan_.measurements) {
      benefits::v1::RecordMeasurementsResponse out;
      // Promised benefits are registered from intake's event: NOT_FOUND until then.
      auto s = UntilCaughtUp(
          absl::StrCat("measurements of ", m.benefit_id()), timeout_,
          [&] { return Call([&](grpc::ClientContext* ctx) { return c_.benefits->RecordMeasurements(ctx, m, &out); }); },
          NotFound);
      if (!s.ok()) return s;
      measurement_count += static_cast<size_t>(m.measurements_size());
    }
    log_(absl::StrCat(plan_.progress.size(), " progress reports, ", measurement_count, " benefit measurements"));
    return absl::OkStatus();
  }

  // ---- scoring has ranked what is in play --------------------------------------------------
  absl::Status WaitRanked() {
    std::set<std::string> in_play;
    for (const auto& ip : plan_.initiatives)
      // Drafts are not submitted yet; stopped and closed initiatives leave the ranking.
      if (ip.target != iv1::STAGE_DRAFT && ip.target != iv1::STAGE_STOPPED && ip.target != iv1::STAGE_CLOSED)
        in_play.insert(ip.id());
    return WaitUntil("scoring to rank every initiative in play", timeout_, [&]() -> absl::Status {
      scoring::v1::GetRankingRequest req;
      req.set_portfolio_id(plan_.portfolio_id);
      req.mutable_page()->set_page_size(500);
      scoring::v1::GetRankingResponse out;
      auto st = Call([&](grpc::ClientContext* ctx) { return c_.scoring->GetRanking(ctx, req, &out); });
      if (!st.ok()) return st;
      std::set<std::string> ranked;
      for (const auto& e : out.entries()) ranked.insert(e.initiative_id());
      for (const auto& id : in_play)
        if (!ranked.contains(id)) return absl::NotFoundError(id + " is not ranked yet");
      return absl::OkStatus();
    });
  }

  // ---- two scenarios --------------------------------------------------------------------------
  absl::Status RunScenarios() {
    for (const auto& sc : plan_.scenarios) {
      scoring::v1::Scenario out;
      auto s = UntilCaughtUp(
          absl::StrCat("scenario '", sc.name(), "'"), timeout_,
          [&] { return Call([&](grpc::ClientContext* ctx) { return c_.scoring->RunScenario(ctx, sc, &out); }); },
          NotFound);
      if (!s.ok()) return s;
      result_.scenario_ids.push_back(out.scenario_id());
      log_(absl::StrCat("scenario '", out.name(), "': ", scoring::v1::ScenarioStatus_Name(out.status()), ", ",
                        out.optimal().initiative_ids_size(), " funded, objective ", out.optimal().objective_value(),
                        " against greedy ", out.greedy().objective_value()));
    }
    return absl::OkStatus();
  }

  // ---- the evidence review, once reporting holds the evidence ---------------------------------
  absl::Status WaitEvidence() {
    std::set<std::string> eroding;
    for (const auto& ip : plan_.initiatives)
      if (ip.story == BenefitStory::kEroding && ip.target == iv1::STAGE_ACTIVE) eroding.insert(ip.id());
    return WaitUntil("reporting to show the eroding benefits AT_RISK", timeout_, [&]() -> absl::Status {
      reporting::v1::GetDashboardRequest req;
      req.set_portfolio_id(plan_.portfolio_id);
      reporting::v1::Dashboard out;
      auto st = Call([&](grpc::ClientContext* ctx) { return c_.reporting->GetDashboard(ctx, req, &out); });
      if (!st.ok()) return st;
      std::set<std::string> seen;
      for (const auto& row : out.rows()) {
        if (row.stage() != "ACTIVE" && row.stage() != "STAGE_ACTIVE") continue;
        for (const auto& b : row.benefits())
          if (b.status() == "AT_RISK" || b.status() == "BENEFIT_STATUS_AT_RISK") seen.insert(row.initiative_id());
      }
      for (const auto& id : eroding)
        if (!seen.contains(id)) return absl::NotFoundError(id + " is not AT_RISK on the dashboard yet");
      return absl::OkStatus();
    });
  }

  absl::Status OpenReview() {
    reporting::v1::Review out;
    auto s = Call([&](grpc::ClientContext* ctx) { return c_.reporting->OpenReview(ctx, plan_.review, &out); });
    if (!s.ok()) return absl::Status(s.code(), absl::StrCat("open review: ", s.message()));
    result_.review_id = out.id();
    int pivot = 0, stop = 0;
    for (const auto& item : out.items()) {
      if (item.recommendation() == reporting::v1::RECOMMENDATION_PIVOT) ++pivot;
      if (item.recommendation() == reporting::v1::RECOMMENDATION_STOP) ++stop;
    }
    log_(absl::StrCat("review ", out.id(), " for ", out.quarter(), ": ", out.items_size(), " initiatives, ", pivot,
                      " PIVOT and ", stop, " STOP recommended"));
    return absl::OkStatus();
  }

  static bool NotFound(const absl::Status& st) { return st.code() == absl::StatusCode::kNotFound; }

  Clients c_;
  const Plan& plan_;
  std::chrono::seconds timeout_;
  const std::function<void(const std::string&)>& log_;
  SeedResult result_;
  std::map<std::string, int64_t> versions_;
};

}  // namespace

absl::StatusOr<SeedResult> Seed(const Plan& plan, const SeedOptions& options) { return Seeder(plan, options).Run(); }

}  // namespace pmo::demo
