// Reporting's use cases in process, against a real redis-server through the store (no
// spawned service): a sequence of events routed into the read models and read back as a
// dashboard; an older snapshot never overwrites a newer one; a review opened, a decision
// recorded (bad input lists every violation) and published to the outbox stream; KPIs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/reporting/app/reporting_app.h"
#include "services/reporting/consumers/event_handlers.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/common/event_router.h"
#include "pmo/common/kafka.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "pmo/scoring/v1/events.pb.h"
#include "pmo/testing/status_matchers.h"
#include "support.h"

namespace pmo::reporting {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using pmo::testing::StatusIs;
namespace iv1 = ::pmo::intake::v1;
constexpr char kP[] = "pf-app";
constexpr char kOutbox[] = "pmo:reporting:outbox";

std::vector<std::string> Fields(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> out;
  for (const auto& v : violations) out.push_back(v.field);
  return out;
}

class ReportingAppTest : public ::testing::Test {
 protected:
  ReportingAppTest() {
    pool_ = pmo::testing::PoolOn(redis_);
    outbox_ = std::make_unique<Outbox>(*pool_, kOutbox);
    app_ = std::make_unique<app::ReportingApp>(*pool_, *outbox_, nullptr, clock_);
    consumers::RegisterProjection(router_, app_->projection());
    app_->feed().Subscribe([this](const app::Change& c) { changes_.push_back(c); });
  }

  // Routes an event the way the consumer does; occurred "now" on the test clock.
  absl::Status Consume(std::string_view topic, const google::protobuf::Message& payload, const std::string& subject,
                       int64_t version) {
    auto env = MakeEnvelope(payload,
                            {.source = "test", .subject = subject, .portfolio_id = kP, .aggregate_version = version,
                             .correlation_id = "corr-1", .causation_id = ""},
                            clock_);
    KafkaMessage record;
    record.topic = std::string(topic);
    record.key = subject;
    record.value = env.SerializeAsString();
    return router_.Route(record);
  }

  static iv1::Initiative Initiative(const std::string& id, const std::string& title, int64_t version) {
    iv1::Initiative in;
    in.set_id(id);
    in.set_portfolio_id(kP);
    in.set_title(title);
    in.set_stage(iv1::STAGE_ACTIVE);
    in.set_version(version);
    in.mutable_business_case()->mutable_financial()->mutable_total_cost()->set_minor_units(100'000'00);
    in.mutable_latest_progress()->mutable_actual_spend_to_date()->set_minor_units(100'000'00);
    return in;
  }

  // A portfolio with one active initiative "a", linked to a measurable key result with a
  // check-in, scored first, with a benefit measured.
  void Portfolio() {
    iv1::PortfolioChanged pc;
    pc.mutable_portfolio()->set_id(kP);
    pc.mutable_portfolio()->set_name("Digital");
    pc.mutable_portfolio()->set_currency("EUR");
    pc.mutable_portfolio()->set_wip_limit(2);
    pc.mutable_portfolio()->set_version(1);
    pc.mutable_portfolio()->add_budget_per_quarter()->mutable_amount()->set_minor_units(400'000'00);
    PMO_ASSERT_OK(Consume(topics::kIntakeEvents, pc, kP, 1));
    iv1::InitiativeStageChanged sc;
    *sc.mutable_initiative() = Initiative("a", "Self-service returns", 2);
    PMO_ASSERT_OK(Consume(topics::kIntakeEvents, sc, "a", 2));
    okr::v1::AlignmentChanged links;
    links.set_initiative_id("a");
    links.set_portfolio_id(kP);
    links.set_version(1);
    auto* l = links.add_links();
    l->set_key_result_id("kr1");
    l->set_objective_id("o1");
    l->set_contribution(1);
    l->set_measurable(true);
    PMO_ASSERT_OK(Consume(topics::kOkrEvents, links, "a", 1));
    okr::v1::KeyResultCheckedIn ci;
    ci.set_key_result_id("kr1");
    ci.set_portfolio_id(kP);
    ci.set_as_of("2027-02-01");
    ci.set_source_id("s1");
    ci.set_became_latest(true);
    ci.set_key_result_progress(0.6);
    ci.set_key_result_confidence(0.7);
    ci.set_version(2);
    PMO_ASSERT_OK(Consume(topics::kOkrEvents, ci, "kr1", 2));
    scoring::v1::InitiativeScored scored;
    scored.mutable_score()->set_initiative_id("a");
    scored.mutable_score()->set_portfolio_id(kP);
    scored.mutable_score()->set_score(80);
    scored.mutable_score()->set_rank(1);
    PMO_ASSERT_OK(Consume(topics::kScoringEvents, scored, "a", 1));
    benefits::v1::BenefitMeasured m;
    auto* b = m.mutable_benefit();
    b->set_benefit_id("ben-a");
    b->set_initiative_id("a");
    b->set_portfolio_id(kP);
    b->set_version(2);
    b->set_status(benefits::v1::BENEFIT_STATUS_ON_TRACK);
    b->mutable_realisation()->set_measurement_count(1);
    b->mutable_realisation()->set_share(0.5);
    PMO_ASSERT_OK(Consume(topics::kBenefitsEvents, m, "ben-a", 2));
  }

  v1::Dashboard Dashboard() {
    v1::GetDashboardRequest req;
    req.set_portfolio_id(kP);
    auto d = app_->GetDashboard(req);
    EXPECT_TRUE(d.ok()) << d.status();
    return d.ok() ? *d : v1::Dashboard();
  }

  // The envelopes in reporting's outbox stream, oldest first.
  std::vector<events::v1::Envelope> Outboxed() {
    std::vector<events::v1::Envelope> out;
    auto entries = pmo::testing::ReadOutbox(*pool_, kOutbox);
    EXPECT_TRUE(entries.ok()) << entries.status();
    if (entries.ok())
      for (auto& e : *entries) out.push_back(std::move(e.envelope));
    return out;
  }

  pmo::testing::RedisServer redis_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<Outbox> outbox_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2027, 2, 15, 12, 0, 0), absl::UTCTimeZone())};
  std::unique_ptr<app::ReportingApp> app_;
  EventRouter router_;
  std::vector<app::Change> changes_;
};

TEST_F(ReportingAppTest, ASequenceOfEventsBecomesTheDashboard) {
  Portfolio();
  auto d = Dashboard();
  EXPECT_EQ(d.name(), "Digital");
  EXPECT_EQ(d.totals().wip_limit(), 2);
  EXPECT_DOUBLE_EQ(d.totals().budget(), 400'000);
  EXPECT_EQ(d.totals().active(), 1);
  ASSERT_EQ(d.rows_size(), 1);
  const auto& row = d.rows(0);
  EXPECT_EQ(row.initiative_id(), "a");
  EXPECT_EQ(row.title(), "Self-service returns");
  EXPECT_EQ(row.stage(), "ACTIVE");
  EXPECT_DOUBLE_EQ(row.budget(), 100'000);
  EXPECT_DOUBLE_EQ(row.score(), 80);
  EXPECT_EQ(row.rank(), 1);
  ASSERT_EQ(row.key_results_size(), 1);
  EXPECT_DOUBLE_EQ(row.key_results(0).progress(), 0.6);
  EXPECT_DOUBLE_EQ(row.key_result_progress(), 0.6);
  EXPECT_DOUBLE_EQ(row.benefit_realisation(), 0.5);
  EXPECT_EQ(row.benefit_status(), "ON_TRACK");
  // Every applied event told the live feed, in order.
  std::vector<std::string> types;
  for (const auto& c : changes_) types.push_back(c.event_type);
  EXPECT_THAT(types, ElementsAre("PortfolioChanged", "InitiativeStageChanged", "AlignmentChanged",
                                 "KeyResultCheckedIn", "InitiativeScored", "BenefitMeasured"));
}

TEST_F(ReportingAppTest, AnOlderVersionDoesNotOverwriteANewerOne) {
  Portfolio();
  iv1::InitiativeUpdated newer, older;
  *newer.mutable_initiative() = Initiative("a", "Returns, renamed", 5);
  *older.mutable_initiative() = Initiative("a", "An old title", 4);
  PMO_ASSERT_OK(Consume(topics::kIntakeEvents, newer, "a", 5));
  size_t told = changes_.size();
  PMO_ASSERT_OK(Consume(topics::kIntakeEvents, older, "a", 4));
  PMO_ASSERT_OK(Consume(topics::kIntakeEvents, newer, "a", 5));  // a redelivery
  EXPECT_EQ(Dashboard().rows(0).title(), "Returns, renamed");
  EXPECT_EQ(changes_.size(), told);  // nothing changed, nothing told
}

TEST_F(ReportingAppTest, AnEventWithoutAPortfolioIsRefusedAndAnUnknownTypeIgnored) {
  okr::v1::KeyResultChanged k;
  k.set_key_result_id("kr1");
  k.set_version(1);
  EXPECT_THAT(Consume(topics::kOkrEvents, k, "kr1", 1),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("names no portfolio")));
  PMO_ASSERT_OK(Consume(topics::kOkrEvents, okr::v1::InitiativeLink(), "x", 1));
  EXPECT_TRUE(changes_.empty());
}

TEST_F(ReportingAppTest, AReviewRecordsADecisionAndPublishesIt) {
  Portfolio();
  v1::OpenReviewRequest open;
  open.set_portfolio_id(kP);
  open.set_quarter("2027Q1");
  auto review = app_->OpenReview(open, {"corr-9", ""});
  ASSERT_TRUE(review.ok()) << review.status();
  ASSERT_EQ(review->items_size(), 1);
  EXPECT_EQ(review->items(0).initiative_id(), "a");
  EXPECT_THAT(app_->OpenReview(open, {"", ""}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already has an open review")));

  v1::RecordDecisionRequest bad;
  bad.mutable_funding_change()->set_currency("euro");
  auto refused = app_->RecordDecision(bad, {"", ""});
  EXPECT_THAT(refused.status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid decision")));
  EXPECT_THAT(Fields(ViolationsOf(refused.status())),
              ElementsAre("review_id", "initiative_id", "decision", "rationale", "decided_by",
                          "funding_change.currency"));

  v1::RecordDecisionRequest decide;
  decide.set_review_id(review->id());
  decide.set_initiative_id("a");
  decide.set_decision(v1::DECISION_PIVOT);
  decide.set_rationale("benefits lag the plan");
  decide.set_decided_by("board");
  auto decided = app_->RecordDecision(decide, {"corr-9", ""});
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->version(), 2);
  EXPECT_EQ(decided->items(0).decision(), v1::DECISION_PIVOT);
  auto again = app_->RecordDecision(decide, {"corr-9", ""});  // the same call again
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->version(), 2);
  decide.set_decision(v1::DECISION_STOP);
  EXPECT_THAT(app_->RecordDecision(decide, {"", ""}),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already recorded")));

  auto events = Outboxed();
  ASSERT_EQ(events.size(), 2u);  // ReviewOpened, DecisionRecorded: one each
  auto recorded = UnpackPayload<v1::DecisionRecorded>(events[1]);
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_EQ(recorded->initiative_id(), "a");
  EXPECT_EQ(recorded->decision(), v1::DECISION_PIVOT);
  EXPECT_EQ(recorded->review_id(), review->id());
  EXPECT_EQ(recorded->decided_on().year(), 2027);
  EXPECT_EQ(events[1].subject(), "a");
  EXPECT_EQ(events[1].correlation_id(), "corr-9");
  EXPECT_EQ(events[1].aggregate_version(), absl::ToUnixMillis(clock_.Now()));

  // The decision comes back through reporting's own topic into the dashboard.
  PMO_ASSERT_OK(Consume(topics::kReportingEvents, *recorded, "a", events[1].aggregate_version()));
  EXPECT_EQ(Dashboard().rows(0).last_decision(), v1::DECISION_PIVOT);

  v1::CloseReviewRequest close;
  close.set_review_id(review->id());
  auto closed = app_->CloseReview(close, {"", ""});
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->state(), v1::REVIEW_STATE_CLOSED);
  v1::ListReviewsRequest list;
  list.set_portfolio_id(kP);
  auto listed = app_->ListReviews(list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->reviews_size(), 1);
  EXPECT_EQ(listed->reviews(0).state(), v1::REVIEW_STATE_CLOSED);
  EXPECT_TRUE(app_->OpenReview(open, {"", ""}).ok());  // the quarter is free again
}

TEST_F(ReportingAppTest, KpisFromTheReadModel) {
  Portfolio();
  v1::GetKpisRequest req;
  req.set_portfolio_id(kP);
  req.set_trend_quarters(1);
  auto kpis = app_->GetKpis(req);
  ASSERT_TRUE(kpis.ok()) << kpis.status();
  EXPECT_EQ(kpis->period(), "2027Q1");
  std::map<std::string, std::optional<double>> values;
  for (const auto& k : kpis->kpis()) values[k.key()] = k.has_value() ? std::optional(k.value()) : std::nullopt;
  EXPECT_EQ(values["measurable_kr_share"], 1.0);
  EXPECT_EQ(values["active_contributing_share"], 1.0);
  EXPECT_EQ(values["wip_vs_limit"], 0.5);
  EXPECT_EQ(values["budget_use"], 0.25);

  v1::GetKpisRequest bad;
  bad.set_period("soon");
  bad.set_trend_quarters(13);
  auto refused = app_->GetKpis(bad);
  EXPECT_THAT(Fields(ViolationsOf(refused.status())), ElementsAre("portfolio_id", "period", "trend_quarters"));
}

}  // namespace
}  // namespace pmo::reporting
