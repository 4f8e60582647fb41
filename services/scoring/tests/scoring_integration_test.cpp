// pmo-scoring as a process against a real redis-server and pmo-devbroker: intake's events
// (published here the way intake's relay does) are scored and ranked, InitiativeScored is
// published, a model change re-ranks the portfolio, a stopped initiative leaves the
// ranking, scenarios are solved and stored, and bad models and inconsistent pairwise
// comparisons are refused with what is wrong.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "pmo/common/envelope.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/scoring/v1/events.pb.h"
#include "pmo/scoring/v1/scoring.grpc.pb.h"
#include "scoring_requests.h"
#include "support.h"

namespace pmo::scoring {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using pmo::testing::GrpcStatusIs;
using pmo::testing::WaitFor;
namespace iv1 = ::pmo::intake::v1;

class ScoringIntegration : public ::testing::Test {
 protected:
  ScoringIntegration()
      : broker_(1, 3),
        svc_(PMO_SCORING_BIN, redis_.url(), broker_.bootstrap(), {}, logs_.path() / "scoring.log") {
    stub_ = v1::ScoringService::NewStub(grpc::CreateChannel(svc_.target(), grpc::InsecureChannelCredentials()));
    producer_ = std::move(*Producer::Create({.brokers = broker_.bootstrap(), .client_id = "test", .linger_ms = 1,
                                              .message_timeout_ms = 30000, .extra = {}, .metrics = nullptr}));
  }

  void PublishIntake(const google::protobuf::Message& payload, const std::string& subject, int64_t version) {
    auto env = MakeEnvelope(payload, {.source = "pmo-intake", .subject = subject, .portfolio_id = "pf-1",
                                      .aggregate_version = version, .correlation_id = "", .causation_id = ""});
    PMO_ASSERT_OK(producer_->ProduceSync(topics::kIntakeEvents, subject, env.SerializeAsString(), CloudEventHeaders(env)));
  }

  void PublishOkr(const google::protobuf::Message& payload, const std::string& subject) {
    auto env = MakeEnvelope(payload, {.source = "pmo-okr", .subject = subject, .portfolio_id = "pf-1",
                                      .aggregate_version = 1, .correlation_id = "", .causation_id = ""});
    PMO_ASSERT_OK(producer_->ProduceSync(topics::kOkrEvents, subject, env.SerializeAsString(), CloudEventHeaders(env)));
  }

  static iv1::Initiative Initiative(const std::string& id, double value, double risk, int64_t cost,
                                    iv1::Stage stage = iv1::STAGE_SUBMITTED, int64_t version = 1) {
    return test_data::RatedInitiative(id, value, risk, cost, stage, version);
  }

  v1::ScoringModel Model(double value_weight, double risk_weight) {
    return test_data::TwoCriteriaModel(value_weight, risk_weight);
  }

  grpc::Status SetModel(const v1::ScoringModel& m, int64_t expected, v1::ScoringModel* out) {
    grpc::ClientContext ctx;
    v1::SetScoringModelRequest req;
    *req.mutable_model() = m;
    req.set_expected_version(expected);
    return stub_->SetScoringModel(&ctx, req, out);
  }

  std::vector<std::string> RankedIds() {
    grpc::ClientContext ctx;
    v1::GetRankingRequest req;
    req.set_portfolio_id("pf-1");
    v1::GetRankingResponse resp;
    std::vector<std::string> ids;
    if (stub_->GetRanking(&ctx, req, &resp).ok())
      for (const auto& e : resp.entries()) ids.push_back(e.initiative_id());
    return ids;
  }

  pmo::testing::TempDir logs_;
  pmo::testing::RedisServer redis_;
  pmo::testing::DevBroker broker_;
  pmo::testing::ServiceProcess svc_;
  std::unique_ptr<v1::ScoringService::Stub> stub_;
  std::unique_ptr<Producer> producer_;
};

TEST_F(ScoringIntegration, SubmittedInitiativesAreScoredRankedAndAModelChangeReRanks) {
  v1::ScoringModel model;
  ASSERT_TRUE(SetModel(Model(0.7, 0.3), 0, &model).ok());
  EXPECT_EQ(model.version(), 1);
  // a: high value, high risk; b: medium value, no risk; c: low value, low risk.
  iv1::InitiativeSubmitted s;
  *s.mutable_initiative() = Initiative("a", 10, 10, 100);
  PublishIntake(s, "a", 1);
  *s.mutable_initiative() = Initiative("b", 6, 0, 100);
  PublishIntake(s, "b", 1);
  *s.mutable_initiative() = Initiative("c", 2, 2, 100);
  PublishIntake(s, "c", 1);
  // scores (0.7 value + 0.3 (1 - risk/10)) × 100: a 70, b 72, c 38.
  ASSERT_TRUE(WaitFor([&] { return RankedIds().size() == 3; }, 30s)) << svc_.process().Log();
  EXPECT_THAT(RankedIds(), ::testing::ElementsAre("b", "a", "c"));

  grpc::ClientContext ctx;
  v1::ExplainScoreRequest er;
  er.set_initiative_id("a");
  v1::InitiativeScore explained;
  ASSERT_TRUE(stub_->ExplainScore(&ctx, er, &explained).ok());
  EXPECT_NEAR(explained.score(), 70, 1e-9);
  EXPECT_EQ(explained.rank(), 2);
  double sum = 0;
  for (const auto& c : explained.criteria()) sum += c.contribution();
  EXPECT_NEAR(sum, explained.score(), 1e-9) << "contributions add up to the score";

  // InitiativeScored is on the scoring topic, keyed by initiative (the relay publishes
  // it shortly after the ranking changed, so wait for it).
  std::set<std::string> scored;
  ASSERT_TRUE(WaitFor(
      [&] {
        scored.clear();
        for (const auto& r : pmo::testing::ReadTopic(broker_.bootstrap(), std::string(topics::kScoringEvents), 1, 2s)) {
          events::v1::Envelope e;
          if (e.ParseFromString(r.value) && e.type() == "pmo.scoring.v1.InitiativeScored" && r.key == e.subject())
            scored.insert(r.key);
        }
        return scored.size() == 3;
      },
      20s));
  EXPECT_THAT(scored, ::testing::ElementsAre("a", "b", "c"));

  // Risk matters more now: 0.2 value + 0.8 (1 - risk/10) → a 20, b 92, c 68.
  ASSERT_TRUE(SetModel(Model(0.2, 0.8), 1, &model).ok());
  EXPECT_THAT(RankedIds(), ::testing::ElementsAre("b", "c", "a"));
  EXPECT_THAT(SetModel(Model(0.5, 0.5), 1, &model), GrpcStatusIs(grpc::StatusCode::ABORTED, HasSubstr("version 2")));
  bool ranking_changed = false;
  for (const auto& r : pmo::testing::ReadTopic(broker_.bootstrap(), std::string(topics::kScoringEvents), 8, 10s)) {
    events::v1::Envelope e;
    e.ParseFromString(r.value);
    if (e.type() == "pmo.scoring.v1.RankingChanged") {
      auto c = UnpackPayload<v1::RankingChanged>(e);
      if (c.ok() && c->model_version() == 2 && c->moves_size() == 3 && c->moves(2).initiative_id() == "a")
        ranking_changed = true;
    }
  }
  EXPECT_TRUE(ranking_changed);

  // A stopped initiative leaves the ranking; an older snapshot arriving late changes nothing.
  iv1::InitiativeStageChanged stopped;
  *stopped.mutable_initiative() = Initiative("c", 2, 2, 100, iv1::STAGE_STOPPED, 2);
  PublishIntake(stopped, "c", 2);
  ASSERT_TRUE(WaitFor([&] { return RankedIds().size() == 2; }, 20s));
  *s.mutable_initiative() = Initiative("c", 2, 2, 100);
  PublishIntake(s, "c", 1);  // late and older: ignored
  // Same key, so same partition: once version 3 is seen, the late one was handled first.
  iv1::InitiativeUpdated marker;
  *marker.mutable_initiative() = Initiative("c", 3, 3, 100, iv1::STAGE_STOPPED, 3);
  PublishIntake(marker, "c", 3);
  ASSERT_TRUE(WaitFor(
      [&] {
        grpc::ClientContext c2;
        er.set_initiative_id("c");
        v1::InitiativeScore c;
        return stub_->ExplainScore(&c2, er, &c).ok() && c.initiative_version() == 3;
      },
      20s));
  EXPECT_THAT(RankedIds(), ::testing::ElementsAre("b", "a")) << "the late SUBMITTED snapshot must not bring c back";
}

TEST_F(ScoringIntegration, ScenarioIsOptimalBesideGreedyAndStored) {
  iv1::PortfolioChanged pc;
  auto* p = pc.mutable_portfolio();
  p->set_id("pf-1");
  p->set_version(1);
  p->set_currency("EUR");
  auto* b = p->add_budget_per_quarter();
  b->mutable_quarter()->set_year(2027);
  b->mutable_quarter()->set_quarter(1);
  b->mutable_amount()->set_minor_units(100 * 100);
  PublishIntake(pc, "pf-1", 1);
  v1::ScoringModel model;
  ASSERT_TRUE(SetModel(Model(1, 0), 0, &model).ok());
  // Budget 100: greedy by score funds x (score 90, cost 60) and then nothing fits;
  // the optimum is y + z (80 + 70, cost 50 + 50).
  iv1::InitiativeSubmitted s;
  *s.mutable_initiative() = Initiative("x", 9, 0, 60);
  PublishIntake(s, "x", 1);
  *s.mutable_initiative() = Initiative("y", 8, 0, 50);
  PublishIntake(s, "y", 1);
  *s.mutable_initiative() = Initiative("z", 7, 0, 50);
  PublishIntake(s, "z", 1);
  ASSERT_TRUE(WaitFor([&] { return RankedIds().size() == 3; }, 30s));
  grpc::ClientContext ctx;
  v1::RunScenarioRequest req;
  req.set_portfolio_id("pf-1");
  req.set_name("Q1 funding");
  req.set_objective(v1::OBJECTIVE_TOTAL_SCORE);
  v1::Scenario sc;
  auto st = stub_->RunScenario(&ctx, req, &sc);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(sc.status(), v1::SCENARIO_STATUS_OPTIMAL);
  EXPECT_THAT(sc.optimal().initiative_ids(), ::testing::ElementsAre("y", "z"));
  EXPECT_THAT(sc.greedy().initiative_ids(), ::testing::ElementsAre("x"));
  EXPECT_NEAR(sc.gain_over_greedy(), 60, 1e-6);
  grpc::ClientContext c2;
  v1::GetScenarioRequest g;
  g.set_scenario_id(sc.scenario_id());
  v1::Scenario stored;
  ASSERT_TRUE(stub_->GetScenario(&c2, g, &stored).ok());
  EXPECT_EQ(stored.optimal().objective_value(), sc.optimal().objective_value());

  // A second scenario with y excluded, compared with the first.
  grpc::ClientContext c3;
  req.set_name("without y");
  req.mutable_constraints()->add_excluded("y");
  v1::Scenario without_y;
  ASSERT_TRUE(stub_->RunScenario(&c3, req, &without_y).ok());
  EXPECT_THAT(without_y.optimal().initiative_ids(), ::testing::ElementsAre("x"));
  grpc::ClientContext c4;
  v1::CompareScenariosRequest cmp;
  cmp.set_scenario_a(sc.scenario_id());
  cmp.set_scenario_b(without_y.scenario_id());
  v1::CompareScenariosResponse diff;
  ASSERT_TRUE(stub_->CompareScenarios(&c4, cmp, &diff).ok());
  EXPECT_THAT(diff.added(), ::testing::ElementsAre("x"));
  EXPECT_THAT(diff.removed(), ::testing::ElementsAre("y", "z"));
  EXPECT_NEAR(diff.objective_delta(), 90 - 150, 1e-6);
  // Maximising expected benefit: the register says z is worth 1,000 (10 units × 100),
  // x and y nothing registered (their business cases say 0): z is picked first.
  benefits::v1::BenefitChanged benefit;
  auto* bz = benefit.mutable_benefit();
  bz->set_benefit_id("bz");
  bz->set_initiative_id("z");
  bz->set_portfolio_id("pf-1");
  bz->set_baseline(5);
  bz->set_target(15);
  bz->mutable_value_per_unit()->set_currency("EUR");
  bz->mutable_value_per_unit()->set_minor_units(100 * 100);
  bz->set_version(1);
  auto env = MakeEnvelope(benefit, {.source = "pmo-benefits", .subject = "bz", .portfolio_id = "pf-1",
                                    .aggregate_version = 1, .correlation_id = "", .causation_id = ""});
  PMO_ASSERT_OK(producer_->ProduceSync(topics::kBenefitsEvents, "bz", env.SerializeAsString(), CloudEventHeaders(env)));
  req.clear_constraints();
  req.set_objective(v1::OBJECTIVE_EXPECTED_BENEFIT);
  v1::Scenario by_benefit;
  ASSERT_TRUE(WaitFor(
      [&] {
        grpc::ClientContext c6;
        return stub_->RunScenario(&c6, req, &by_benefit).ok() && by_benefit.optimal().objective_value() > 0;
      },
      20s));
  EXPECT_NEAR(by_benefit.optimal().objective_value(), 1000, 1e-6);
  EXPECT_THAT(by_benefit.optimal().initiative_ids(), ::testing::Contains("z"));

  // The efficient frontier: at half the budget (50) only one of y or z fits (80); at the
  // full budget y + z (150); at double, all three (240).
  grpc::ClientContext c7;
  v1::EfficientFrontierRequest fr;
  fr.set_portfolio_id("pf-1");
  fr.add_budget_levels(0.5);
  fr.add_budget_levels(1);
  fr.add_budget_levels(2);
  fr.set_objective(v1::OBJECTIVE_TOTAL_SCORE);
  v1::EfficientFrontierResponse frontier;
  ASSERT_TRUE(stub_->EfficientFrontier(&c7, fr, &frontier).ok());
  ASSERT_EQ(frontier.points_size(), 3);
  EXPECT_NEAR(frontier.points(0).objective_value(), 80, 1e-6);
  EXPECT_NEAR(frontier.points(1).objective_value(), 150, 1e-6);
  EXPECT_NEAR(frontier.points(2).objective_value(), 240, 1e-6);
  for (const auto& point : frontier.points()) EXPECT_EQ(point.status(), v1::SCENARIO_STATUS_OPTIMAL);

  grpc::ClientContext c5;
  v1::ListScenariosRequest list;
  list.set_portfolio_id("pf-1");
  v1::ListScenariosResponse listed;
  ASSERT_TRUE(stub_->ListScenarios(&c5, list, &listed).ok());
  EXPECT_GE(listed.scenarios_size(), 3);
}

TEST_F(ScoringIntegration, UnchangedScoringInputsKeepTheScoreAndUnscorableLinksAreDeadLettered) {
  v1::ScoringModel model;
  ASSERT_TRUE(SetModel(Model(0.7, 0.3), 0, &model).ok());
  auto score_of = [&](const std::string& id) {
    grpc::ClientContext ctx;
    v1::ExplainScoreRequest er;
    er.set_initiative_id(id);
    v1::InitiativeScore out;
    return stub_->ExplainScore(&ctx, er, &out).ok() ? out.score() : -1;
  };
  iv1::InitiativeSubmitted s;
  *s.mutable_initiative() = Initiative("a", 10, 10, 100);
  PublishIntake(s, "a", 1);
  ASSERT_TRUE(WaitFor([&] { return std::abs(score_of("a") - 70) < 1e-9; }, 30s));
  // Version 2 changes the description only (as a progress report would); version 3 the
  // value rating. Both on a's partition, so once 3 is scored, 2 was consumed.
  iv1::InitiativeUpdated u;
  *u.mutable_initiative() = Initiative("a", 10, 10, 100, iv1::STAGE_SUBMITTED, 2);
  u.mutable_initiative()->set_description("now with a longer description");
  PublishIntake(u, "a", 2);
  *u.mutable_initiative() = Initiative("a", 5, 10, 100, iv1::STAGE_SUBMITTED, 3);
  PublishIntake(u, "a", 3);
  ASSERT_TRUE(WaitFor([&] { return std::abs(score_of("a") - 35) < 1e-9; }, 30s));
  auto scored_versions = [&] {
    std::vector<int64_t> versions;
    for (const auto& r : pmo::testing::ReadTopic(broker_.bootstrap(), std::string(topics::kScoringEvents), 1, 5s)) {
      events::v1::Envelope e;
      if (e.ParseFromString(r.value) && e.type() == "pmo.scoring.v1.InitiativeScored" && r.key == "a")
        versions.push_back(UnpackPayload<v1::InitiativeScored>(e)->score().initiative_version());
    }
    return versions;
  };
  std::vector<int64_t> versions;
  ASSERT_TRUE(WaitFor([&] { return (versions = scored_versions()).size() >= 2; }, 20s));
  EXPECT_THAT(versions, ::testing::ElementsAre(1, 3)) << "version 2 changed nothing a score reads";

  // Links okr could never have sent (a contribution of 2) are refused, not stored to fail
  // every later score of the initiative.
  okr::v1::AlignmentChanged bad;
  bad.set_initiative_id("a");
  bad.set_portfolio_id("pf-1");
  bad.set_version(1);
  auto* l = bad.add_links();
  l->set_key_result_id("kr-1");
  l->set_objective_id("grow");
  l->set_contribution(2);
  PublishOkr(bad, "a");
  std::string reason;
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& r : pmo::testing::ReadTopic(broker_.bootstrap(), std::string(topics::kDeadLetter), 1, 2s))
          if (auto h = r.Header("pmo_dlq_reason")) reason = *h;
        return !reason.empty();
      },
      30s));
  EXPECT_THAT(reason, HasSubstr("contribution"));
  *u.mutable_initiative() = Initiative("a", 10, 10, 100, iv1::STAGE_SUBMITTED, 4);
  PublishIntake(u, "a", 4);
  EXPECT_TRUE(WaitFor([&] { return std::abs(score_of("a") - 70) < 1e-9; }, 30s)) << "a is still scored";
}

TEST_F(ScoringIntegration, AlignmentIsComputedFromOkrLinksAndObjectivePriorities) {
  // Alignment only: 100 × alignment. Objective "grow" has priority 3, "keep" 1.
  v1::ScoringModel m;
  m.set_portfolio_id("pf-1");
  m.set_type(v1::MODEL_TYPE_WEIGHTED_SUM);
  auto* c = m.add_criteria();
  c->set_key("strategic_fit");
  c->set_name("Strategic fit");
  c->set_category(v1::CATEGORY_ALIGNMENT);
  c->set_weight(1);
  c->set_direction(v1::DIRECTION_HIGHER_IS_BETTER);
  c->mutable_scale()->set_min(0);
  c->mutable_scale()->set_max(1);
  v1::ScoringModel out;
  ASSERT_TRUE(SetModel(m, 0, &out).ok());
  auto objective = [&](const char* id, double priority, int64_t version) {
    okr::v1::ObjectiveChanged o;
    o.set_objective_id(id);
    o.set_portfolio_id("pf-1");
    o.set_priority(priority);
    o.set_status("ACTIVE");
    o.set_version(version);
    PublishOkr(o, id);
  };
  objective("grow", 3, 1);
  objective("keep", 1, 1);
  iv1::InitiativeSubmitted s;
  *s.mutable_initiative() = Initiative("p", 0, 0, 10);
  (*s.mutable_initiative()->mutable_ratings())["strategic_fit"] = 1;  // typed in: ignored
  PublishIntake(s, "p", 1);
  *s.mutable_initiative() = Initiative("q", 0, 0, 10);
  PublishIntake(s, "q", 1);
  auto align = [&](const char* initiative, const char* objective_id, double contribution) {
    okr::v1::AlignmentChanged a;
    a.set_initiative_id(initiative);
    a.set_portfolio_id("pf-1");
    a.set_version(1);
    auto* l = a.add_links();
    l->set_key_result_id(std::string("kr-") + objective_id);
    l->set_objective_id(objective_id);
    l->set_contribution(contribution);
    PublishOkr(a, initiative);
  };
  align("p", "keep", 1.0);   // 1 × 1/3
  align("q", "grow", 0.5);   // 0.5 × 3/3
  auto score_of = [&](const char* id) {
    grpc::ClientContext ctx;
    v1::ExplainScoreRequest er;
    er.set_initiative_id(id);
    v1::InitiativeScore sc;
    return stub_->ExplainScore(&ctx, er, &sc).ok() ? sc.score() : -1.0;
  };
  ASSERT_TRUE(WaitFor([&] { return std::abs(score_of("p") - 100.0 / 3) < 1e-6 && std::abs(score_of("q") - 50) < 1e-6; },
                      30s))
      << score_of("p") << " " << score_of("q");
  // The strategy changes: "keep" becomes the top priority; p overtakes q.
  objective("keep", 6, 2);
  ASSERT_TRUE(WaitFor([&] { return std::abs(score_of("p") - 100) < 1e-6; }, 30s)) << score_of("p");
  EXPECT_NEAR(score_of("q"), 25, 1e-6);
  EXPECT_THAT(RankedIds(), ::testing::ElementsAre("p", "q"));
}

TEST_F(ScoringIntegration, BadModelsAndInconsistentComparisonsAreRefusedWithReasons) {
  v1::ScoringModel bad = Model(0.5, 0.5);
  bad.mutable_criteria(1)->set_key("value");  // duplicate key
  bad.mutable_criteria(0)->set_weight(-1);
  v1::ScoringModel out;
  grpc::Status s = SetModel(bad, 0, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("criteria[1].key"));
  EXPECT_THAT(s.error_message(), HasSubstr("criteria[0].weight"));

  grpc::ClientContext ctx;
  v1::DeriveWeightsRequest dw;
  auto add = [&](const char* a, const char* b, double v) {
    auto* c = dw.add_comparisons();
    c->set_a(a);
    c->set_b(b);
    c->set_value(v);
  };
  add("value", "risk", 9);
  add("risk", "cost", 9);
  add("value", "cost", 1.0 / 9);  // circular: inconsistent
  v1::DeriveWeightsResponse resp;
  grpc::Status refused = stub_->DeriveWeights(&ctx, dw, &resp);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << refused.error_message();
  EXPECT_THAT(refused.error_message(), HasSubstr("value"));
}

}  // namespace
}  // namespace pmo::scoring
