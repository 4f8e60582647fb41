// Intake's use cases in-process, against a real redis-server through the store (no
// pmo-intake process, no broker): portfolios, submissions with every violation listed,
// the value gate refusing approval with every unmet condition, progress reports applied
// once, stale versions answering ABORTED, decisions — and each change's event in the
// outbox stream, written in the same step (nothing for a refused change).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "fixtures.h"
#include "requests.h"
#include "pmo/common/envelope.h"
#include "pmo/common/event_router.h"
#include "pmo/common/kafka.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/events/v1/envelope.pb.h"
#include "services/intake/app/convert.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/consumers/event_handlers.h"
#include "services/intake/domain/gates.h"
#include "services/intake/store/redis_store.h"
#include "support.h"

namespace pmo::intake {
namespace {

using ::testing::AllOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using pmo::testing::StatusIs;

constexpr char kOutboxStream[] = "pmo:intake:outbox";

// An event as the outbox stream holds it, for the relay to publish.
struct StreamedEvent {
  std::string topic;
  std::string key;
  events::v1::Envelope envelope;
  std::string type() const { return std::string(PayloadType(envelope)); }
};

class IntakeAppTest : public ::testing::Test {
 protected:
  IntakeAppTest() : metrics_("pmo-intake") {
    pool_ = pmo::testing::PoolOn(redis_);
    // Group commit as in the service, so asynchronous commits finish on the committer.
    outbox_ = std::make_unique<Outbox>(*pool_, kOutboxStream, /*group_commit=*/true);
    store_ = std::make_unique<store::RedisIntakeStore>(*pool_, *outbox_);
    app_ = std::make_unique<app::IntakeApp>(*store_, &metrics_);
  }

  // What the outbox stream holds, oldest first (no relay runs here, so nothing leaves).
  std::vector<StreamedEvent> Outboxed() {
    std::vector<StreamedEvent> out;
    auto entries = pmo::testing::ReadOutbox(*pool_, kOutboxStream);
    EXPECT_TRUE(entries.ok()) << entries.status();
    if (entries.ok())
      for (auto& e : *entries) out.push_back({std::move(e.topic), std::move(e.key), std::move(e.envelope)});
    return out;
  }

  std::vector<StreamedEvent> OutboxedOfType(std::string_view type) {
    std::vector<StreamedEvent> out;
    for (auto& e : Outboxed())
      if (e.type() == type) out.push_back(std::move(e));
    return out;
  }

  v1::Portfolio CreatePortfolio(const std::string& id = "pf-1") {
    v1::CreatePortfolioRequest req;
    *req.mutable_portfolio() = requests::ValidPortfolio();
    req.set_portfolio_id(id);
    auto p = app_->CreatePortfolio(req, {"corr-portfolio", ""});
    EXPECT_TRUE(p.ok()) << p.status();
    return p.ok() ? *p : v1::Portfolio();
  }

  static v1::SubmitInitiativeRequest Submission(const std::string& id) {
    v1::SubmitInitiativeRequest req;
    *req.mutable_initiative() = requests::ValidInitiative(id);
    req.set_initiative_id(id);
    return req;
  }

  v1::Initiative Submit(const std::string& id) {
    auto in = app_->SubmitInitiative(Submission(id), {"corr-" + id, ""});
    EXPECT_TRUE(in.ok()) << in.status();
    return in.ok() ? *in : v1::Initiative();
  }

  absl::StatusOr<v1::Initiative> Transition(const std::string& id, v1::Stage to, int64_t expected) {
    v1::TransitionInitiativeRequest req;
    req.set_initiative_id(id);
    req.set_to_stage(to);
    req.set_expected_version(expected);
    req.set_reason("test");
    return app_->TransitionInitiative(req, {"corr-transition", ""});
  }

  v1::Initiative Get(const std::string& id) {
    v1::GetInitiativeRequest req;
    req.set_initiative_id(id);
    auto in = app_->GetInitiative(req);
    EXPECT_TRUE(in.ok()) << in.status();
    return in.ok() ? *in : v1::Initiative();
  }

  static v1::ReportProgressRequest Progress(const std::string& id, int day, double percent) {
    return requests::Progress(id, day, percent);
  }

  // okr's and benefits' read models as their events would leave them: kr-1 linked and
  // measurable, one complete benefit.
  void FeedValueEvidence(const std::string& id) {
    okr::v1::AlignmentChanged alignment;
    alignment.set_initiative_id(id);
    alignment.set_portfolio_id("pf-1");
    alignment.set_version(1);
    auto* link = alignment.add_links();
    link->set_key_result_id("kr-1");
    link->set_measurable(true);
    PMO_ASSERT_OK(app_->ApplyAlignment(alignment, 1));
    benefits::v1::BenefitChanged changed;
    auto* b = changed.mutable_benefit();
    b->set_benefit_id("b-1");
    b->set_initiative_id(id);
    b->set_baseline(66);
    b->set_target(85);
    b->set_unit("%");
    b->mutable_target_date()->set_year(2028);
    b->mutable_target_date()->set_month(6);
    b->mutable_target_date()->set_day(30);
    b->set_version(1);
    PMO_ASSERT_OK(app_->ApplyBenefit(changed, 1));
  }

  // Submitted, then IN_REVIEW (version 2).
  void SubmitForReview(const std::string& id) {
    Submit(id);
    ASSERT_TRUE(Transition(id, v1::STAGE_IN_REVIEW, 1).ok());
  }

  pmo::testing::RedisServer redis_;
  Metrics metrics_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<store::RedisIntakeStore> store_;
  std::unique_ptr<app::IntakeApp> app_;
};

TEST_F(IntakeAppTest, CreatePortfolioStoresItAndOutboxesItsEvent) {
  v1::Portfolio created = CreatePortfolio();
  EXPECT_EQ(created.id(), "pf-1");
  EXPECT_EQ(created.version(), 1);
  v1::GetPortfolioRequest get;
  get.set_portfolio_id("pf-1");
  auto stored = app_->GetPortfolio(get);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->name(), "Digital channels");

  auto events = Outboxed();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].topic, topics::kIntakeEvents);
  EXPECT_EQ(events[0].key, "pf-1");
  EXPECT_EQ(events[0].type(), "pmo.intake.v1.PortfolioChanged");
  EXPECT_EQ(events[0].envelope.aggregate_version(), 1);
  EXPECT_EQ(events[0].envelope.correlation_id(), "corr-portfolio");
  v1::PortfolioChanged payload;
  ASSERT_TRUE(events[0].envelope.payload().UnpackTo(&payload));
  EXPECT_TRUE(payload.created());
  EXPECT_EQ(payload.portfolio().id(), "pf-1");

  // The same id again: refused, and no second event.
  v1::CreatePortfolioRequest again;
  *again.mutable_portfolio() = requests::ValidPortfolio();
  again.set_portfolio_id("pf-1");
  EXPECT_THAT(app_->CreatePortfolio(again, {}), StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("pf-1")));
  EXPECT_EQ(Outboxed().size(), 1u);
}

TEST_F(IntakeAppTest, SubmitInitiativeListsEveryViolationAndWritesNothing) {
  CreatePortfolio();
  const size_t events_before = Outboxed().size();
  auto req = Submission("in-1");
  req.mutable_initiative()->set_title(" ");
  req.mutable_initiative()->mutable_end_quarter()->set_year(2026);  // before the start
  req.mutable_initiative()->add_dependencies("in-ghost");
  auto refused = app_->SubmitInitiative(req, {});
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid initiative")));
  EXPECT_THAT(pmo::testing::ViolationFields(refused),
              IsSupersetOf({"title", "end_quarter", "dependencies[0]"}));
  EXPECT_EQ(Outboxed().size(), events_before);
  v1::GetInitiativeRequest get;
  get.set_initiative_id("in-1");
  EXPECT_THAT(app_->GetInitiative(get), StatusIs(absl::StatusCode::kNotFound, HasSubstr("in-1")));

  v1::Initiative in = Submit("in-1");
  EXPECT_EQ(in.stage(), v1::STAGE_SUBMITTED);
  EXPECT_EQ(in.version(), 1);
  EXPECT_GT(in.submitted_at().seconds(), 0);
  auto submitted = OutboxedOfType("pmo.intake.v1.InitiativeSubmitted");
  ASSERT_EQ(submitted.size(), 1u);
  EXPECT_EQ(submitted[0].key, "in-1");
  EXPECT_EQ(submitted[0].envelope.portfolio_id(), "pf-1");
  EXPECT_EQ(submitted[0].envelope.aggregate_version(), 1);
  EXPECT_EQ(submitted[0].envelope.correlation_id(), "corr-in-1");

  // Ids are unique across portfolios.
  CreatePortfolio("pf-2");
  auto elsewhere = Submission("in-1");
  elsewhere.mutable_initiative()->set_portfolio_id("pf-2");
  EXPECT_THAT(app_->SubmitInitiative(elsewhere, {}),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("another portfolio")));
}

TEST_F(IntakeAppTest, ValueGateRefusesApprovalListingEveryUnmetCondition) {
  CreatePortfolio();
  SubmitForReview("in-1");
  const size_t events_before = Outboxed().size();

  auto refused = Transition("in-1", v1::STAGE_APPROVED, 2);
  ASSERT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition, AllOf(HasSubstr("okr"), HasSubstr("benefit"))));
  std::vector<domain::GateReason> reasons;
  for (const auto& f : domain::GateFailuresOf(refused.status())) reasons.push_back(f.reason);
  EXPECT_THAT(reasons, ::testing::UnorderedElementsAre(domain::GateReason::kOkrNotCaughtUp,
                                                       domain::GateReason::kBenefitsNotCaughtUp));
  EXPECT_EQ(Get("in-1").stage(), v1::STAGE_IN_REVIEW);
  EXPECT_EQ(Outboxed().size(), events_before);
  EXPECT_THAT(metrics_.Scrape(),
              ContainsRegex("pmo_intake_gate_refusals_total\\{[^}]*reason=\"GATE_OKR_NOT_CAUGHT_UP\"[^}]*\\} 1"));

  // okr says the linked key result is not measurable after all: still refused, for that.
  FeedValueEvidence("in-1");
  okr::v1::KeyResultChanged kr;
  kr.set_key_result_id("kr-1");
  kr.set_measurable(false);
  PMO_ASSERT_OK(app_->ApplyKeyResult(kr, 3));
  refused = Transition("in-1", v1::STAGE_APPROVED, 2);
  ASSERT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::_));
  ASSERT_EQ(domain::GateFailuresOf(refused.status()).size(), 1u);
  EXPECT_EQ(domain::GateFailuresOf(refused.status())[0].reason, domain::GateReason::kNoMeasurableKeyResult);

  // An older verdict does not overwrite the newer one; a newer one does.
  kr.set_measurable(true);
  PMO_ASSERT_OK(app_->ApplyKeyResult(kr, 2));
  EXPECT_FALSE(Transition("in-1", v1::STAGE_APPROVED, 2).ok());
  PMO_ASSERT_OK(app_->ApplyKeyResult(kr, 4));
  auto approved = Transition("in-1", v1::STAGE_APPROVED, 2);
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->stage(), v1::STAGE_APPROVED);
  EXPECT_EQ(approved->version(), 3);
  auto changes = OutboxedOfType("pmo.intake.v1.InitiativeStageChanged");
  ASSERT_EQ(changes.size(), 2u);  // IN_REVIEW, then APPROVED
  v1::InitiativeStageChanged payload;
  ASSERT_TRUE(changes[1].envelope.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.from(), v1::STAGE_IN_REVIEW);
  EXPECT_EQ(payload.to(), v1::STAGE_APPROVED);
  EXPECT_EQ(changes[1].envelope.aggregate_version(), 3);
}

TEST_F(IntakeAppTest, ProgressReportAppliesOncePerEventAndNeverRegresses) {
  CreatePortfolio();
  Submit("in-1");
  const std::string ingest(topics::kIngestProgress);
  auto first = app_->ReportProgress(Progress("in-1", 10, 40), {}, ingest, "evt-1");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->version(), 2);
  EXPECT_EQ(first->latest_progress().percent_complete(), 40);

  // Redelivered with its event id, sent again without one, an older report: no change.
  EXPECT_TRUE(app_->ReportProgress(Progress("in-1", 10, 40), {}, ingest, "evt-1").ok());
  EXPECT_TRUE(app_->ReportProgress(Progress("in-1", 10, 40), {}, "grpc").ok());
  auto older = app_->ReportProgress(Progress("in-1", 5, 20), {}, "grpc");
  ASSERT_TRUE(older.ok()) << older.status();
  EXPECT_EQ(older->version(), 2);
  EXPECT_EQ(older->latest_progress().percent_complete(), 40);
  EXPECT_EQ(Get("in-1").version(), 2);
  auto reported = OutboxedOfType("pmo.intake.v1.ProgressReported");
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0].key, "in-1");
  EXPECT_EQ(reported[0].envelope.aggregate_version(), 2);
  v1::ProgressReported payload;
  ASSERT_TRUE(reported[0].envelope.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.source(), ingest);
  EXPECT_EQ(payload.initiative().version(), 2);

  // A newer report through the asynchronous door (the gRPC one), answered on commit.
  const auto req = Progress("in-1", 11, 45);
  std::promise<absl::StatusOr<v1::Initiative>> answered;
  app_->ReportProgressAsync(req, {}, "grpc", [&](absl::StatusOr<v1::Initiative> r) { answered.set_value(r); });
  auto later = answered.get_future().get();
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->version(), 3);
  EXPECT_EQ(OutboxedOfType("pmo.intake.v1.ProgressReported").size(), 2u);
  EXPECT_THAT(metrics_.Scrape(), ContainsRegex("pmo_intake_progress_reports_total\\{[^}]*source=\"grpc\"[^}]*\\} 1"));

  EXPECT_THAT(app_->ReportProgress(Progress("in-ghost", 12, 50), {}, "grpc"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("in-ghost")));
}

TEST_F(IntakeAppTest, StaleVersionsAreAbortedAndWriteNothing) {
  CreatePortfolio();
  Submit("in-1");
  const size_t events_before = Outboxed().size();

  v1::UpdateInitiativeRequest update;
  *update.mutable_initiative() = Get("in-1");
  update.mutable_initiative()->set_title("Renamed");
  update.set_expected_version(7);
  EXPECT_THAT(app_->UpdateInitiative(update, {}), StatusIs(absl::StatusCode::kAborted, HasSubstr("version")));
  EXPECT_THAT(Transition("in-1", v1::STAGE_IN_REVIEW, 0), StatusIs(absl::StatusCode::kAborted, HasSubstr("version")));
  v1::UpdatePortfolioRequest portfolio;
  *portfolio.mutable_portfolio() = requests::ValidPortfolio();
  portfolio.set_expected_version(2);
  EXPECT_THAT(app_->UpdatePortfolio(portfolio, {}), StatusIs(absl::StatusCode::kAborted, HasSubstr("version")));
  EXPECT_EQ(Outboxed().size(), events_before);
  EXPECT_EQ(Get("in-1").title(), "Self-service onboarding");

  // The store's own guard: a change decided on a snapshot another writer replaced.
  v1::Initiative read = Get("in-1");
  update.set_expected_version(1);
  ASSERT_TRUE(app_->UpdateInitiative(update, {}).ok());
  v1::Initiative next = read;
  next.set_version(2);
  v1::InitiativeUpdated event;
  *event.mutable_initiative() = next;
  store::InitiativeChange change;
  change.before = &read;
  change.after = &next;
  change.event = &event;
  EXPECT_THAT(store_->ChangeInitiative(change, {}),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("changed concurrently since version 1")));
  EXPECT_EQ(Get("in-1").title(), "Renamed");
  EXPECT_EQ(OutboxedOfType("pmo.intake.v1.InitiativeUpdated").size(), 1u);
}

TEST_F(IntakeAppTest, ProgressRetriesWhenAnotherReplicaChangedTheInitiative) {
  CreatePortfolio();
  Submit("in-1");
  ASSERT_TRUE(app_->ReportProgress(Progress("in-1", 10, 40), {}, "grpc").ok());  // cached at version 2
  app::IntakeApp replica(*store_, nullptr);
  ASSERT_TRUE(replica.ReportProgress(Progress("in-1", 11, 45), {}, "grpc").ok());  // version 3
  // This app's cached snapshot is stale: the guarded write is refused, re-read, retried.
  auto r = app_->ReportProgress(Progress("in-1", 12, 50), {}, "grpc");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->version(), 4);
  EXPECT_EQ(Get("in-1").latest_progress().percent_complete(), 50);
  EXPECT_EQ(OutboxedOfType("pmo.intake.v1.ProgressReported").size(), 3u);
}

TEST_F(IntakeAppTest, DecisionsMoveTheStageOnceAndAnnounceIt) {
  CreatePortfolio();
  Submit("in-1");
  reporting::v1::DecisionRecorded decision;
  decision.set_decision_id("dec-1");
  decision.set_initiative_id("in-1");
  decision.set_decision(reporting::v1::DECISION_STOP);
  decision.set_rationale("benefits no longer credible");
  PMO_ASSERT_OK(app_->ApplyDecision(decision, {"corr-dec", "evt-dec"}));
  PMO_ASSERT_OK(app_->ApplyDecision(decision, {"corr-dec", "evt-dec"}));  // redelivered
  v1::Initiative in = Get("in-1");
  EXPECT_EQ(in.stage(), v1::STAGE_STOPPED);
  EXPECT_EQ(in.version(), 2);
  EXPECT_EQ(in.last_decision().decision_id(), "dec-1");
  auto changes = OutboxedOfType("pmo.intake.v1.InitiativeStageChanged");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].envelope.causation_id(), "evt-dec");
  v1::InitiativeStageChanged payload;
  ASSERT_TRUE(changes[0].envelope.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.decision_id(), "dec-1");
  EXPECT_THAT(payload.reason(), HasSubstr("benefits no longer credible"));

  decision.set_decision_id("");
  EXPECT_THAT(app_->ApplyDecision(decision, {}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("decision")));
}

TEST_F(IntakeAppTest, ListsPageThroughPortfoliosAndFilterByStage) {
  CreatePortfolio("pf-1");
  CreatePortfolio("pf-2");
  v1::ListPortfoliosRequest list;
  list.mutable_page()->set_page_size(1);
  auto page = app_->ListPortfolios(list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->portfolios_size(), 1);
  EXPECT_EQ(page->portfolios(0).id(), "pf-1");
  list.mutable_page()->set_page_token(page->page().next_page_token());
  page = app_->ListPortfolios(list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->portfolios_size(), 1);
  EXPECT_EQ(page->portfolios(0).id(), "pf-2");
  EXPECT_TRUE(page->page().next_page_token().empty());

  Submit("in-1");
  Submit("in-2");
  ASSERT_TRUE(Transition("in-2", v1::STAGE_IN_REVIEW, 1).ok());
  v1::ListInitiativesRequest initiatives;
  initiatives.set_portfolio_id("pf-1");
  initiatives.add_stages(v1::STAGE_IN_REVIEW);
  auto found = app_->ListInitiatives(initiatives);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->initiatives_size(), 1);
  EXPECT_EQ(found->initiatives(0).id(), "in-2");

  PMO_ASSERT_OK(app_->RefreshGauges());
  EXPECT_THAT(metrics_.Scrape(),
              ContainsRegex("pmo_intake_initiatives\\{[^}]*portfolio=\"pf-1\"[^}]*stage=\"IN_REVIEW\"[^}]*\\} 1"));
}

// A record as another service's relay (or an ingesting system) would send it.
KafkaMessage Record(std::string_view topic, const google::protobuf::Message& payload, const std::string& subject,
                    int64_t version, bool with_event_id = true) {
  auto env = MakeEnvelope(payload, {.source = "test", .subject = subject, .portfolio_id = "pf-1",
                                    .aggregate_version = version, .correlation_id = "", .causation_id = ""});
  if (!with_event_id) env.clear_event_id();
  KafkaMessage record;
  record.topic = std::string(topic);
  record.key = subject;
  record.value = env.SerializeAsString();
  return record;
}

TEST_F(IntakeAppTest, ConsumersRouteEachEventToItsUseCase) {
  EventRouter router(&metrics_);
  consumers::RegisterHandlers(router, *app_);
  EXPECT_THAT(router.Topics(), ::testing::ElementsAre(topics::kIngestProgress, topics::kOkrEvents,
                                                      topics::kBenefitsEvents, topics::kReportingEvents));
  CreatePortfolio();
  Submit("in-1");

  // Ingest: applied once per event id; no event id, or another payload, is refused.
  const auto progress = Record(topics::kIngestProgress, Progress("in-1", 10, 40), "in-1", 0);
  PMO_ASSERT_OK(router.Route(progress));
  PMO_ASSERT_OK(router.Route(progress));
  EXPECT_EQ(Get("in-1").version(), 2);
  auto reported = OutboxedOfType("pmo.intake.v1.ProgressReported");
  ASSERT_EQ(reported.size(), 1u);
  v1::ProgressReported payload;
  ASSERT_TRUE(reported[0].envelope.payload().UnpackTo(&payload));
  EXPECT_EQ(payload.source(), topics::kIngestProgress);
  EXPECT_THAT(router.Route(Record(topics::kIngestProgress, Progress("in-1", 11, 45), "in-1", 0, false)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event_id")));
  okr::v1::AlignmentChanged alignment;
  alignment.set_initiative_id("in-1");
  EXPECT_THAT(router.Route(Record(topics::kIngestProgress, alignment, "in-1", 1)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ReportProgressRequest")));

  // okr's alignment: the envelope's version decides which one is newer.
  alignment.set_version(5);
  alignment.add_links()->set_key_result_id("kr-1");
  PMO_ASSERT_OK(router.Route(Record(topics::kOkrEvents, alignment, "in-1", 5)));
  okr::v1::AlignmentChanged older = alignment;
  older.set_version(4);
  older.clear_links();
  PMO_ASSERT_OK(router.Route(Record(topics::kOkrEvents, older, "in-1", 4)));
  auto held = store_->Alignment("in-1");
  ASSERT_TRUE(held.ok()) << held.status();
  ASSERT_TRUE(held->has_value());
  EXPECT_EQ((*held)->links_size(), 1);

  // Events intake has no use for are skipped and counted.
  okr::v1::ObjectiveChanged objective;
  PMO_ASSERT_OK(router.Route(Record(topics::kOkrEvents, objective, "obj-1", 1)));
  EXPECT_THAT(metrics_.Scrape(), ContainsRegex("pmo_events_ignored_total\\{[^}]*type=\"pmo.okr.v1.ObjectiveChanged\""));

  // reporting's decision: caused by the event that carried it.
  reporting::v1::DecisionRecorded decision;
  decision.set_decision_id("dec-1");
  decision.set_initiative_id("in-1");
  decision.set_decision(reporting::v1::DECISION_PIVOT);
  const auto record = Record(topics::kReportingEvents, decision, "in-1", 1);
  PMO_ASSERT_OK(router.Route(record));
  EXPECT_EQ(Get("in-1").stage(), v1::STAGE_SUBMITTED);  // SUBMITTED -> PIVOTING is not a transition: recorded only
  EXPECT_EQ(Get("in-1").last_decision().decision_id(), "dec-1");
  auto updated = OutboxedOfType("pmo.intake.v1.InitiativeUpdated");
  ASSERT_EQ(updated.size(), 1u);
  events::v1::Envelope sent;
  ASSERT_TRUE(sent.ParseFromString(record.value));
  EXPECT_EQ(updated[0].envelope.causation_id(), sent.event_id());
  EXPECT_EQ(updated[0].envelope.correlation_id(), sent.correlation_id());
}

}  // namespace
}  // namespace pmo::intake
