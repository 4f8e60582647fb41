// Every KPI from a hand-built event sequence, applied in process through the event router
// and the projection into a real redis-server; and replay equals live: the same events applied again to an
// empty database — redelivered twice, topics interleaved differently — give the same
// dashboard and the same KPIs.
#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include "services/reporting/app/reporting_app.h"
#include "services/reporting/consumers/event_handlers.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/common/event_router.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "pmo/scoring/v1/events.pb.h"
#include "support.h"

namespace pmo::reporting {
namespace {

namespace iv1 = ::pmo::intake::v1;
using google::protobuf::util::MessageDifferencer;
constexpr char kP[] = "pf-k";

absl::Time At(int y, int m, int d, int hour = 0, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hour, minute), absl::UTCTimeZone());
}

struct Timed {
  absl::Time at;
  events::v1::Envelope envelope;
  std::string group;  // "q4", "intake", "okr", "benefits", "decisions"
};

class KpiEvents : public ::testing::Test {
 protected:
  KpiEvents() {
    RedisPool::Options o;
    o.endpoint.port = redis_.port();
    o.pool_size = 4;
    pool_ = std::make_unique<RedisPool>(o);
    outbox_ = std::make_unique<Outbox>(*pool_, "pmo:reporting:outbox");
  }

  void Add(std::string group, absl::Time at, const google::protobuf::Message& payload, const std::string& subject,
           int64_t version = 1) {
    FakeClock clock(at);
    events_.push_back({at, MakeEnvelope(payload, {.source = "test", .subject = subject, .portfolio_id = kP,
                                                  .aggregate_version = version, .correlation_id = "",
                                                  .causation_id = ""},
                                        clock),
                       std::move(group)});
  }

  static iv1::Initiative Ini(const std::string& id, iv1::Stage stage, int64_t cost, int64_t version,
                             int64_t spend = -1) {
    iv1::Initiative in;
    in.set_id(id);
    in.set_portfolio_id(kP);
    in.set_title("Initiative " + id);
    in.set_stage(stage);
    in.set_version(version);
    in.mutable_business_case()->mutable_financial()->mutable_total_cost()->set_minor_units(cost * 100);
    if (spend >= 0) {
      in.mutable_latest_progress()->mutable_actual_spend_to_date()->set_minor_units(spend * 100);
      in.mutable_latest_progress()->mutable_as_of()->set_year(2027);
      in.mutable_latest_progress()->mutable_as_of()->set_month(2);
      in.mutable_latest_progress()->mutable_as_of()->set_day(1);
    }
    return in;
  }

  void Stage(const std::string& group, absl::Time at, const iv1::Initiative& in) {
    iv1::InitiativeStageChanged e;
    *e.mutable_initiative() = in;
    Add(group, at, e, in.id(), in.version());
  }

  void Align(const std::string& group, absl::Time at, const std::string& ini, const std::string& kr,
             const std::string& objective, bool measurable) {
    okr::v1::AlignmentChanged a;
    a.set_initiative_id(ini);
    a.set_portfolio_id(kP);
    a.set_version(1);
    auto* l = a.add_links();
    l->set_key_result_id(kr);
    l->set_objective_id(objective);
    l->set_contribution(1);
    l->set_measurable(measurable);
    Add(group, at, a, ini);
  }

  void KeyResult(const std::string& group, absl::Time at, const std::string& kr, const std::string& objective,
                 bool measurable) {
    okr::v1::KeyResultChanged k;
    k.set_key_result_id(kr);
    k.set_objective_id(objective);
    k.set_portfolio_id(kP);
    k.set_measurable(measurable);
    k.set_version(1);
    Add(group, at, k, kr);
  }

  void Benefit(absl::Time at, const std::string& ini, int64_t planned, int64_t realised) {
    benefits::v1::BenefitMeasured m;
    auto* b = m.mutable_benefit();
    b->set_benefit_id("ben-" + ini);
    b->set_initiative_id(ini);
    b->set_portfolio_id(kP);
    b->set_version(2);
    b->set_status(benefits::v1::BENEFIT_STATUS_ON_TRACK);
    b->mutable_realisation()->set_measurement_count(1);
    b->mutable_realisation()->mutable_planned_value()->set_minor_units(planned * 100);
    b->mutable_realisation()->mutable_realised_value()->set_minor_units(realised * 100);
    Add("benefits", at, m, b->benefit_id(), 2);
  }

  void Decision(absl::Time at, const std::string& ini, const std::string& review) {
    v1::DecisionRecorded d;
    d.set_decision_id("d-" + ini);
    d.set_review_id(review);
    d.set_initiative_id(ini);
    d.set_portfolio_id(kP);
    d.set_decision(v1::DECISION_CONTINUE);
    d.set_rationale("on track");
    d.set_decided_by("board");
    auto day = absl::ToCivilDay(at, absl::UTCTimeZone());
    d.mutable_decided_on()->set_year(static_cast<int>(day.year()));
    d.mutable_decided_on()->set_month(day.month());
    d.mutable_decided_on()->set_day(day.day());
    d.mutable_decided_at()->set_seconds(absl::ToUnixSeconds(at));
    Add("decisions", at, d, ini);
  }

  void StrategyUpdate(absl::Time at, const std::string& objective) {
    okr::v1::StrategyChanged s;
    s.set_objective_id(objective);
    s.set_portfolio_id(kP);
    s.set_priority_changed(true);
    s.set_priority(3);
    s.set_changed_at_ms(absl::ToUnixMillis(at));
    s.set_version(2);
    Add("okr", at, s, objective, 2);
  }

  // The sequence: a quarter (2026Q4) with one active, aligned initiative, then 2027Q1.
  void BuildSequence() {
    iv1::PortfolioChanged pc;
    pc.mutable_portfolio()->set_id(kP);
    pc.mutable_portfolio()->set_wip_limit(1);
    pc.mutable_portfolio()->set_version(1);
    pc.mutable_portfolio()->add_budget_per_quarter()->mutable_amount()->set_minor_units(1'000'000'00);
    Add("q4", At(2026, 12, 1), pc, kP);
    Stage("q4", At(2026, 12, 2), Ini("a", iv1::STAGE_ACTIVE, 100'000, 3));
    KeyResult("q4", At(2026, 12, 3), "kr1", "o1", true);
    Align("q4", At(2026, 12, 3, 1), "a", "kr1", "o1", true);

    absl::Time t0 = At(2027, 1, 10, 9);
    Stage("intake", t0, Ini("a", iv1::STAGE_ACTIVE, 100'000, 4, 60'000));
    Stage("intake", t0, Ini("b", iv1::STAGE_ACTIVE, 200'000, 3, 140'000));
    iv1::InitiativeSubmitted c, d;
    *c.mutable_initiative() = Ini("c", iv1::STAGE_SUBMITTED, 50'000, 1);
    *d.mutable_initiative() = Ini("d", iv1::STAGE_DRAFT, 10'000, 1);
    Add("intake", t0, c, "c");
    Add("intake", t0, d, "d");
    KeyResult("okr", t0, "kr2", "o2", false);
    Align("okr", t0, "b", "kr2", "o2", false);
    Align("okr", t0, "c", "kr1", "o1", true);
    Benefit(t0, "a", 300'000, 90'000);
    Benefit(t0, "b", 100'000, 10'000);
    StrategyUpdate(t0 + absl::Hours(1), "o1");
    Decision(t0 + absl::Minutes(90), "b", "");    // before o2's update, outside any review
    StrategyUpdate(t0 + absl::Hours(2), "o2");    // nothing adjusts b after it
    Decision(t0 + absl::Hours(4), "a", "rev-1");  // 3 h after o1's update
  }

  // The way the consumer applies a record: decoded and dispatched by the event router.
  static absl::Status Apply(app::ReportingApp& app, const events::v1::Envelope& envelope) {
    EventRouter router;
    consumers::RegisterProjection(router, app.projection());
    KafkaMessage record;
    record.topic = "pmo.test.events.v1";
    record.key = envelope.subject();
    record.value = envelope.SerializeAsString();
    return router.Route(record);
  }

  void ApplyAll(app::ReportingApp& app, const std::vector<const Timed*>& order) {
    for (const auto* e : order) PMO_ASSERT_OK(Apply(app, e->envelope));
  }

  v1::Dashboard Dashboard(app::ReportingApp& app) {
    v1::GetDashboardRequest req;
    req.set_portfolio_id(kP);
    auto d = app.GetDashboard(req);
    EXPECT_TRUE(d.ok()) << d.status();
    v1::Dashboard out = d.ok() ? *d : v1::Dashboard();
    out.clear_as_of();
    return out;
  }

  v1::GetKpisResponse Kpis(app::ReportingApp& app) {
    v1::GetKpisRequest req;
    req.set_portfolio_id(kP);
    req.set_trend_quarters(2);
    auto k = app.GetKpis(req);
    EXPECT_TRUE(k.ok()) << k.status();
    return k.ok() ? *k : v1::GetKpisResponse();
  }

  pmo::testing::RedisServer redis_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<Outbox> outbox_;
  std::vector<Timed> events_;
  FakeClock now_{At(2027, 2, 15)};
};

const v1::Kpi& Find(const v1::GetKpisResponse& r, const std::string& key) {
  for (const auto& k : r.kpis())
    if (k.key() == key) return k;
  ADD_FAILURE() << "no KPI " << key;
  return v1::Kpi::default_instance();
}

TEST_F(KpiEvents, EveryKpiFromAHandBuiltEventSequenceAndReplayEqualsLive) {
  BuildSequence();
  std::vector<const Timed*> live;
  for (const auto& e : events_) live.push_back(&e);
  app::ReportingApp app(*pool_, *outbox_, nullptr, now_);
  ApplyAll(app, live);

  auto kpis = Kpis(app);
  EXPECT_EQ(kpis.period(), "2027Q1");
  // live: a, b, c (d is a draft); measurable links: a and c.
  EXPECT_DOUBLE_EQ(Find(kpis, "measurable_kr_share").value(), 2.0 / 3);
  // 2026Q4 was frozen when the first 2027Q1 event arrived: a alone, aligned and measurable.
  ASSERT_EQ(Find(kpis, "measurable_kr_share").trend_size(), 2);
  EXPECT_EQ(Find(kpis, "measurable_kr_share").trend(0).quarter(), "2026Q4");
  EXPECT_DOUBLE_EQ(Find(kpis, "measurable_kr_share").trend(0).value(), 1.0);
  EXPECT_DOUBLE_EQ(Find(kpis, "wip_vs_limit").trend(0).value(), 1.0);
  // active a and b both contribute to an objective.
  EXPECT_DOUBLE_EQ(Find(kpis, "active_contributing_share").value(), 1.0);
  EXPECT_DOUBLE_EQ(Find(kpis, "benefits_realisation_rate").value(), 0.25);
  EXPECT_DOUBLE_EQ(Find(kpis, "wip_vs_limit").value(), 2.0);
  EXPECT_DOUBLE_EQ(Find(kpis, "budget_use").value(), 0.2);
  // realised 100k per 200k spent = 0.5 against planned 400k per 350k → 0.4375.
  EXPECT_NEAR(Find(kpis, "roi_realised_vs_planned").value(), 0.4375, 1e-9);
  EXPECT_DOUBLE_EQ(Find(kpis, "evidence_based_decisions").value(), 1);
  EXPECT_EQ(Find(kpis, "evidence_based_decisions").detail(), "1 of 2 decisions in the quarter");
  EXPECT_DOUBLE_EQ(Find(kpis, "strategy_to_adjustment_hours").value(), 3);
  EXPECT_EQ(Find(kpis, "strategy_to_adjustment_hours").detail(), "1 strategy updates adjusted to, 1 still waiting");
  auto dashboard = Dashboard(app);
  ASSERT_EQ(dashboard.rows_size(), 4);

  // Replay into an empty database with a fresh instance: 2026Q4 first (as the topics hold
  // it), then 2027Q1 with the topics interleaved the other way round, every event twice.
  PMO_ASSERT_OK(pool_->Command({"FLUSHDB"}));
  std::vector<const Timed*> replay;
  for (const auto& e : events_)
    if (e.group == "q4") replay.push_back(&e);
  for (const char* group : {"decisions", "benefits", "okr", "intake"})
    for (int copy = 0; copy < 2; ++copy)
      for (const auto& e : events_)
        if (e.group == group) replay.push_back(&e);
  app::ReportingApp replayed(*pool_, *outbox_, nullptr, now_);
  ApplyAll(replayed, replay);
  std::string diff;
  MessageDifferencer differ;
  differ.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differ.Compare(dashboard, Dashboard(replayed))) << diff;
  diff.clear();
  EXPECT_TRUE(differ.Compare(kpis, Kpis(replayed))) << diff;
}

TEST_F(KpiEvents, OkrEventsBeforeAnyIntakeEventDoNotShutThePortfolioOut) {
  // Objectives are often set up a quarter before intake hears of the portfolio.
  KeyResult("q4", At(2026, 12, 1), "kr1", "o1", true);
  StrategyUpdate(At(2026, 12, 2), "o1");
  iv1::PortfolioChanged pc;
  pc.mutable_portfolio()->set_id(kP);
  pc.mutable_portfolio()->set_wip_limit(3);
  pc.mutable_portfolio()->set_version(1);
  Add("intake", At(2027, 1, 5), pc, kP);
  Stage("intake", At(2027, 1, 6), Ini("a", iv1::STAGE_ACTIVE, 1'000, 2));
  app::ReportingApp app(*pool_, *outbox_, nullptr, now_);
  for (const auto& e : events_) PMO_ASSERT_OK(Apply(app, e.envelope));
  auto d = Dashboard(app);
  ASSERT_EQ(d.rows_size(), 1);
  EXPECT_EQ(d.totals().wip_limit(), 3);
}

TEST_F(KpiEvents, AnEventWithoutAPortfolioIsRefused) {
  okr::v1::KeyResultChanged k;
  k.set_key_result_id("kr1");
  k.set_version(1);
  app::ReportingApp app(*pool_, *outbox_, nullptr, now_);
  EXPECT_EQ(Apply(app, MakeEnvelope(k, {.source = "test", .subject = "kr1", .portfolio_id = "", .aggregate_version = 1,
                                       .correlation_id = "", .causation_id = ""}))
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pmo::reporting
