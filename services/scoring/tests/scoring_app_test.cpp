// Scoring's use cases in-process against a real redis-server, through the Redis store
// and the outbox (no pmo-scoring process, no broker): a model with every violation
// listed, initiative snapshots scored and ranked (and re-ranked by a model change), a
// score explained criterion by criterion with alignment from okr, a scenario solved and
// stored, and stale versions refused with ABORTED. Each checks the outbox got its events.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "services/scoring/app/scoring_app.h"
#include "services/scoring/store/redis_store.h"
#include "pmo/common/envelope.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/scoring/v1/events.pb.h"
#include "scoring_requests.h"
#include "support.h"

namespace pmo::scoring {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using pmo::testing::StatusIs;
using pmo::testing::ViolationFields;
namespace iv1 = ::pmo::intake::v1;

constexpr char kStream[] = "pmo:scoring:outbox";

class ScoringAppTest : public ::testing::Test {
 protected:
  ScoringAppTest() : metrics_("pmo-scoring-test") {
    pool_ = pmo::testing::PoolOn(redis_);
    outbox_ = std::make_unique<Outbox>(*pool_, kStream);
    store_ = std::make_unique<store::RedisScoringStore>(*pool_, *outbox_);
    app_ = std::make_unique<app::ScoringApp>(*store_, &metrics_);
  }

  // The events the outbox holds, oldest first.
  std::vector<events::v1::Envelope> Outboxed() {
    std::vector<events::v1::Envelope> out;
    auto entries = pmo::testing::ReadOutbox(*pool_, kStream);
    EXPECT_TRUE(entries.ok()) << entries.status();
    if (entries.ok())
      for (auto& e : *entries) out.push_back(std::move(e.envelope));
    return out;
  }
  std::vector<events::v1::Envelope> OutboxedOf(const google::protobuf::Descriptor* type) {
    std::vector<events::v1::Envelope> out;
    for (auto& e : Outboxed())
      if (e.type() == type->full_name()) out.push_back(std::move(e));
    return out;
  }

  static v1::ScoringModel Model(double value_weight, double risk_weight) {
    return test_data::TwoCriteriaModel(value_weight, risk_weight);
  }

  absl::StatusOr<v1::ScoringModel> SetModel(const v1::ScoringModel& m, int64_t expected) {
    v1::SetScoringModelRequest req;
    *req.mutable_model() = m;
    req.set_expected_version(expected);
    return app_->models.SetScoringModel(req, {"corr-model", ""});
  }

  static iv1::Initiative Initiative(const std::string& id, double value, double risk, int64_t cost,
                                    iv1::Stage stage = iv1::STAGE_SUBMITTED, int64_t version = 1) {
    return test_data::RatedInitiative(id, value, risk, cost, stage, version);
  }

  std::vector<std::string> RankedIds() {
    v1::GetRankingRequest req;
    req.set_portfolio_id("pf-1");
    std::vector<std::string> ids;
    auto ranking = app_->scores.GetRanking(req);
    if (ranking.ok())
      for (const auto& e : ranking->entries()) ids.push_back(e.initiative_id());
    return ids;
  }

  absl::StatusOr<v1::InitiativeScore> Explain(const std::string& id) {
    v1::ExplainScoreRequest req;
    req.set_initiative_id(id);
    return app_->scores.ExplainScore(req);
  }

  pmo::testing::RedisServer redis_;
  Metrics metrics_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<store::RedisScoringStore> store_;
  std::unique_ptr<app::ScoringApp> app_;
};

TEST_F(ScoringAppTest, AModelIsRefusedWithEveryViolationListedAndStoredWithItsEvent) {
  v1::ScoringModel bad = Model(0.5, 0.5);
  bad.clear_portfolio_id();
  bad.set_type(v1::MODEL_TYPE_UNSPECIFIED);
  bad.mutable_criteria(0)->set_category(v1::CATEGORY_UNSPECIFIED);
  bad.mutable_criteria(1)->set_key("value");  // duplicate key
  bad.mutable_criteria(1)->set_weight(-1);
  auto refused = SetModel(bad, 0);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid scoring model")));
  const auto fields = ViolationFields(refused);
  EXPECT_THAT(fields, Contains("model.portfolio_id"));
  EXPECT_THAT(fields, Contains("model.type"));
  EXPECT_THAT(fields, Contains("model.criteria[0].category"));
  EXPECT_THAT(fields, Contains("model.criteria[1].key"));
  EXPECT_THAT(fields, Contains("model.criteria[1].weight"));
  EXPECT_TRUE(Outboxed().empty()) << "a refused model publishes nothing";

  auto stored = SetModel(Model(0.7, 0.3), 0);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->version(), 1);
  v1::GetScoringModelRequest get;
  get.set_portfolio_id("pf-1");
  auto read = app_->models.GetScoringModel(get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->criteria_size(), 2);
  auto changed = OutboxedOf(v1::ScoringModelChanged::descriptor());
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].aggregate_version(), 1);
  EXPECT_EQ(changed[0].correlation_id(), "corr-model");
  EXPECT_EQ(changed[0].subject(), "pf-1");
}

TEST_F(ScoringAppTest, SnapshotsAreScoredAndRankedAndAModelChangeReRanks) {
  ASSERT_TRUE(SetModel(Model(0.7, 0.3), 0).ok());
  // a: 70 value, 0 safety → 70; b: 35 + 30 → 65; c: 14 + 24 → 38.
  PMO_ASSERT_OK(app_->read_models.ApplyInitiative(Initiative("a", 10, 10, 100), {"corr-a", "ev-a"}));
  PMO_ASSERT_OK(app_->read_models.ApplyInitiative(Initiative("b", 5, 0, 100), {"corr-b", "ev-b"}));
  PMO_ASSERT_OK(app_->read_models.ApplyInitiative(Initiative("c", 2, 2, 100), {"corr-c", "ev-c"}));
  EXPECT_THAT(RankedIds(), ElementsAre("a", "b", "c"));
  auto scored = OutboxedOf(v1::InitiativeScored::descriptor());
  ASSERT_EQ(scored.size(), 3u);
  EXPECT_EQ(scored[0].subject(), "a");
  EXPECT_EQ(scored[0].causation_id(), "ev-a");
  auto first = UnpackPayload<v1::InitiativeScored>(scored[0]);
  ASSERT_TRUE(first.ok());
  EXPECT_NEAR(first->score().score(), 70, 1e-9);
  EXPECT_EQ(first->score().rank(), 1);
  // The model's re-score found nothing to rank (an empty announcement); then each
  // newcomer entered the ranking: one move each.
  auto moves = OutboxedOf(v1::RankingChanged::descriptor());
  ASSERT_EQ(moves.size(), 4u);
  auto empty = UnpackPayload<v1::RankingChanged>(moves[0]);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->moves_size(), 0);
  auto c_entered = UnpackPayload<v1::RankingChanged>(moves[3]);
  ASSERT_TRUE(c_entered.ok());
  ASSERT_EQ(c_entered->moves_size(), 1);
  EXPECT_EQ(c_entered->moves(0).initiative_id(), "c");
  EXPECT_EQ(c_entered->moves(0).old_rank(), 0);
  EXPECT_EQ(c_entered->moves(0).new_rank(), 3);

  // Risk matters more now: 0.2 value + 0.8 safety → a 20, b 90, c 68.
  ASSERT_TRUE(SetModel(Model(0.2, 0.8), 1).ok());
  EXPECT_THAT(RankedIds(), ElementsAre("b", "c", "a"));
  auto pending = pool_->Command({"SCARD", "pmo:scoring:rescore-pending"});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->integer(), 0) << "the re-score completed and cleared its mark";
  moves = OutboxedOf(v1::RankingChanged::descriptor());
  ASSERT_EQ(moves.size(), 5u);
  auto rerank = UnpackPayload<v1::RankingChanged>(moves.back());
  ASSERT_TRUE(rerank.ok());
  EXPECT_EQ(rerank->model_version(), 2);
  ASSERT_EQ(rerank->moves_size(), 3);
  EXPECT_EQ(rerank->moves(0).initiative_id(), "b");
  EXPECT_EQ(rerank->moves(2).initiative_id(), "a");
  EXPECT_EQ(rerank->moves(2).new_rank(), 3);
  // Re-scores carry the score's next version: newer than the incremental ones.
  scored = OutboxedOf(v1::InitiativeScored::descriptor());
  ASSERT_EQ(scored.size(), 6u);
  EXPECT_EQ(scored.back().aggregate_version(), 2);

  // A stopped initiative leaves the ranking.
  PMO_ASSERT_OK(app_->read_models.ApplyInitiative(Initiative("c", 2, 2, 100, iv1::STAGE_STOPPED, 2), {}));
  EXPECT_THAT(RankedIds(), ElementsAre("b", "a"));
}

TEST_F(ScoringAppTest, AScoreIsExplainedCriterionByCriterionWithAlignmentFromOkr) {
  v1::ScoringModel m = Model(0.6, 0.2);
  auto* fit = m.add_criteria();
  fit->set_key("fit");
  fit->set_name("Strategic fit");
  fit->set_category(v1::CATEGORY_ALIGNMENT);
  fit->set_weight(0.2);
  fit->set_direction(v1::DIRECTION_HIGHER_IS_BETTER);
  fit->mutable_scale()->set_min(0);
  fit->mutable_scale()->set_max(1);
  ASSERT_TRUE(SetModel(m, 0).ok());
  okr::v1::ObjectiveChanged grow;
  grow.set_objective_id("grow");
  grow.set_portfolio_id("pf-1");
  grow.set_priority(2);
  grow.set_status("ACTIVE");
  grow.set_version(1);
  PMO_ASSERT_OK(app_->read_models.ApplyObjective(grow, {}));
  PMO_ASSERT_OK(app_->read_models.ApplyInitiative(Initiative("a", 8, 5, 10), {}));
  auto before = Explain("a");
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_TRUE(before->criteria(2).missing()) << "okr has said nothing of a yet";

  okr::v1::AlignmentChanged aligned;
  aligned.set_initiative_id("a");
  aligned.set_portfolio_id("pf-1");
  aligned.set_version(1);
  auto* link = aligned.add_links();
  link->set_key_result_id("kr-1");
  link->set_objective_id("grow");
  link->set_contribution(0.5);
  PMO_ASSERT_OK(app_->read_models.ApplyAlignment(aligned, {}));
  auto explained = Explain("a");
  ASSERT_TRUE(explained.ok()) << explained.status();
  // value 0.6 × 0.8, risk 0.2 × 0.5, fit 0.2 × 0.5 → 48 + 10 + 10.
  EXPECT_NEAR(explained->score(), 68, 1e-9);
  EXPECT_EQ(explained->rank(), 1);
  EXPECT_EQ(explained->model_version(), 1);
  ASSERT_EQ(explained->criteria_size(), 3);
  EXPECT_EQ(explained->criteria(0).key(), "value");
  EXPECT_NEAR(explained->criteria(0).contribution(), 48, 1e-9);
  EXPECT_NEAR(explained->criteria(1).normalised(), 0.5, 1e-9);
  EXPECT_NEAR(explained->criteria(1).contribution(), 10, 1e-9);
  EXPECT_TRUE(explained->criteria(2).computed());
  EXPECT_FALSE(explained->criteria(2).missing());
  EXPECT_NEAR(explained->criteria(2).rating(), 0.5, 1e-9);
  double sum = 0;
  for (const auto& c : explained->criteria()) sum += c.contribution();
  EXPECT_NEAR(sum, explained->score(), 1e-9);
  double value_points = 0;
  for (const auto& st : explained->subtotals())
    if (st.category() == v1::CATEGORY_VALUE) value_points = st.points();
  EXPECT_NEAR(value_points, 48, 1e-9);
  EXPECT_THAT(Explain("nobody"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("not known to scoring")));
  // Scored when it arrived, and again when its alignment did.
  EXPECT_EQ(OutboxedOf(v1::InitiativeScored::descriptor()).size(), 2u);
}

TEST_F(ScoringAppTest, AScenarioIsSolvedBesideGreedyStoredAndCompared) {
  iv1::Portfolio portfolio;
  portfolio.set_id("pf-1");
  portfolio.set_version(1);
  portfolio.set_currency("EUR");
  auto* budget = portfolio.add_budget_per_quarter();
  budget->mutable_quarter()->set_year(2027);
  budget->mutable_quarter()->set_quarter(1);
  budget->mutable_amount()->set_minor_units(100 * 100);
  PMO_ASSERT_OK(app_->read_models.ApplyPortfolio(portfolio));
  ASSERT_TRUE(SetModel(Model(1, 0), 0).ok());
  // Budget 100: greedy funds x (90, cost 60) and nothing else fits; y + z is optimal.
  PMO_ASSERT_OK(app_->read_models.ApplyInitiative(Initiative("x", 9, 0, 60), {}));
  PMO_ASSERT_OK(app_->read_models.ApplyInitiative(Initiative("y", 8, 0, 50), {}));
  PMO_ASSERT_OK(app_->read_models.ApplyInitiative(Initiative("z", 7, 0, 50), {}));
  v1::RunScenarioRequest req;
  req.set_portfolio_id("pf-1");
  req.set_name("Q1 funding");
  req.set_objective(v1::OBJECTIVE_TOTAL_SCORE);
  auto scenario = app_->scenarios.RunScenario(req, {"corr-scenario", ""});
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  EXPECT_EQ(scenario->status(), v1::SCENARIO_STATUS_OPTIMAL);
  EXPECT_THAT(scenario->optimal().initiative_ids(), ElementsAre("y", "z"));
  EXPECT_THAT(scenario->greedy().initiative_ids(), ElementsAre("x"));
  EXPECT_NEAR(scenario->gain_over_greedy(), 60, 1e-6);
  EXPECT_EQ(scenario->candidate_count(), 3);
  auto evaluated = OutboxedOf(v1::ScenarioEvaluated::descriptor());
  ASSERT_EQ(evaluated.size(), 1u);
  EXPECT_EQ(evaluated[0].subject(), scenario->scenario_id());
  EXPECT_EQ(evaluated[0].correlation_id(), "corr-scenario");

  v1::GetScenarioRequest get;
  get.set_scenario_id(scenario->scenario_id());
  auto stored = app_->scenarios.GetScenario(get);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->optimal().objective_value(), scenario->optimal().objective_value());
  req.set_name("without y");
  req.mutable_constraints()->add_excluded("y");
  auto without_y = app_->scenarios.RunScenario(req, {});
  ASSERT_TRUE(without_y.ok()) << without_y.status();
  v1::ListScenariosRequest list;
  list.set_portfolio_id("pf-1");
  auto listed = app_->scenarios.ListScenarios(list);
  ASSERT_TRUE(listed.ok());
  std::vector<std::string> names;
  for (const auto& listed_scenario : listed->scenarios()) names.push_back(listed_scenario.name());
  EXPECT_THAT(names, ::testing::UnorderedElementsAre("Q1 funding", "without y"));
  v1::CompareScenariosRequest compare;
  compare.set_scenario_a(scenario->scenario_id());
  compare.set_scenario_b(without_y->scenario_id());
  auto compared = app_->scenarios.CompareScenarios(compare);
  ASSERT_TRUE(compared.ok()) << compared.status();
  EXPECT_THAT(compared->removed(), Contains("y"));

  v1::RunScenarioRequest unknown;
  unknown.set_portfolio_id("pf-unknown");
  EXPECT_THAT(app_->scenarios.RunScenario(unknown, {}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not known to scoring yet")));
}

TEST_F(ScoringAppTest, StaleVersionsAreAbortedOrSkippedAndLeaveNoTrace) {
  ASSERT_TRUE(SetModel(Model(0.7, 0.3), 0).ok());
  EXPECT_THAT(SetModel(Model(0.5, 0.5), 0), StatusIs(absl::StatusCode::kAborted, HasSubstr("at version 1")));
  // The store's own guard: a write computed from a model that moved meanwhile.
  v1::ScoringModel late = Model(0.5, 0.5);
  late.set_version(2);
  EXPECT_THAT(store_->SaveModel(late, 0, {}), StatusIs(absl::StatusCode::kAborted, HasSubstr("changed concurrently")));
  EXPECT_EQ(OutboxedOf(v1::ScoringModelChanged::descriptor()).size(), 1u);

  PMO_ASSERT_OK(app_->read_models.ApplyInitiative(Initiative("a", 10, 0, 100, iv1::STAGE_SUBMITTED, 3), {}));
  const size_t events = Outboxed().size();
  // An older snapshot arriving late changes nothing and publishes nothing.
  PMO_ASSERT_OK(app_->read_models.ApplyInitiative(Initiative("a", 0, 10, 100, iv1::STAGE_STOPPED, 2), {}));
  EXPECT_EQ(Outboxed().size(), events);
  EXPECT_THAT(RankedIds(), ElementsAre("a"));
  auto a = Explain("a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->initiative_version(), 3);

  // A score computed from a ranking that moved meanwhile is refused as a whole.
  store::ScoreWrite stale;
  const iv1::Initiative newer = Initiative("a", 1, 1, 100, iv1::STAGE_SUBMITTED, 4);
  v1::InitiativeScore score;
  stale.snapshot = &newer;
  stale.score = &score;
  stale.before.score_version = 0;  // it has been scored once already
  stale.model_version = 1;
  stale.new_score_version = 1;
  EXPECT_THAT(store_->CommitScore(stale), StatusIs(absl::StatusCode::kAborted, HasSubstr("changed concurrently")));
  EXPECT_EQ(Outboxed().size(), events);
  auto still = Explain("a");
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->initiative_version(), 3);
}

}  // namespace
}  // namespace pmo::scoring
