// okr's use cases in-process against a real redis-server, through the store: each test
// drives OkrApp as the gRPC and Kafka handlers do and checks the answer, the state read
// back, and the events the write left in the outbox stream (what the relay publishes).
// No pmo-okr process and no broker.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "pmo/common/clock.h"
#include "pmo/common/envelope.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/intake/v1/intake.pb.h"
#include "services/okr/app/okr_app.h"
#include "services/okr/store/okr_store.h"
#include "okr_requests.h"
#include "support.h"

namespace pmo::okr {
namespace {

using ::pmo::testing::StatusIs;
using requests::CheckInOf;
using requests::KeyResultOf;
using requests::ObjectiveOf;
using ::pmo::testing::ViolationFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr char kOutboxStream[] = "pmo:okr:outbox";  // what the service host names it

class OkrAppTest : public ::testing::Test {
 protected:
  OkrAppTest() : metrics_("pmo-okr") {
    pool_ = pmo::testing::PoolOn(redis_);
    outbox_ = std::make_unique<Outbox>(*pool_, kOutboxStream);
    store_ = std::make_unique<store::OkrStore>(*pool_, *outbox_);
    app_ = std::make_unique<app::OkrApp>(*store_, &metrics_, clock_);
  }

  // The envelopes in the outbox stream, oldest first.
  std::vector<events::v1::Envelope> Outboxed() {
    std::vector<events::v1::Envelope> out;
    auto entries = pmo::testing::ReadOutbox(*pool_, kOutboxStream);
    EXPECT_TRUE(entries.ok()) << entries.status();
    if (entries.ok())
      for (auto& e : *entries) out.push_back(std::move(e.envelope));
    return out;
  }

  // The payload types of the outboxed events, oldest first.
  std::vector<std::string> OutboxedTypes() {
    std::vector<std::string> types;
    for (const auto& env : Outboxed()) types.emplace_back(PayloadType(env));
    return types;
  }

  // The payloads of type T in the outbox, oldest first.
  template <typename T>
  std::vector<T> OutboxedOf() {
    std::vector<T> out;
    for (const auto& env : Outboxed()) {
      if (PayloadType(env) != T::descriptor()->full_name()) continue;
      auto payload = UnpackPayload<T>(env);
      EXPECT_TRUE(payload.ok()) << payload.status();
      if (payload.ok()) out.push_back(*payload);
    }
    return out;
  }

  absl::StatusOr<v1::Objective> CreateObjective(const std::string& id, v1::Level level, const std::string& parent) {
    v1::CreateObjectiveRequest req;
    *req.mutable_objective() = ObjectiveOf(level, parent);
    req.set_objective_id(id);
    return app_->CreateObjective(req, ctx_);
  }

  absl::StatusOr<v1::KeyResult> CreateKeyResult(const std::string& id, const std::string& objective_id) {
    v1::CreateKeyResultRequest req;
    *req.mutable_key_result() = KeyResultOf(objective_id);
    req.set_key_result_id(id);
    return app_->CreateKeyResult(req, ctx_);
  }

  static intake::v1::Initiative InitiativeOf(const std::string& id, int64_t version,
                                             const std::vector<std::pair<std::string, double>>& proposed) {
    intake::v1::Initiative i;
    i.set_id(id);
    i.set_portfolio_id("pf-1");
    i.set_version(version);
    i.set_stage(intake::v1::STAGE_ACTIVE);
    for (const auto& [kr, weight] : proposed) {
      auto* k = i.mutable_business_case()->mutable_strategic()->add_key_results();
      k->set_key_result_id(kr);
      k->set_contribution_weight(weight);
    }
    return i;
  }

  // The cascade company -> portfolio -> program, each with one key result.
  void SeedCascade() {
    PMO_ASSERT_OK(CreateObjective("obj-company", v1::LEVEL_COMPANY, ""));
    PMO_ASSERT_OK(CreateObjective("obj-portfolio", v1::LEVEL_PORTFOLIO, "obj-company"));
    PMO_ASSERT_OK(CreateObjective("obj-program", v1::LEVEL_PROGRAM, "obj-portfolio"));
    PMO_ASSERT_OK(CreateKeyResult("kr-1", "obj-program"));
    PMO_ASSERT_OK(CreateKeyResult("kr-2", "obj-portfolio"));
  }

  pmo::testing::RedisServer redis_;
  Metrics metrics_;
  FakeClock clock_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<store::OkrStore> store_;
  std::unique_ptr<app::OkrApp> app_;
  CallContext ctx_{"corr-1", "req-1"};
};

TEST_F(OkrAppTest, CreatesTheObjectiveCascadeAndAnnouncesEachObjective) {
  v1::CreateObjectiveRequest create;
  *create.mutable_objective() = ObjectiveOf(v1::LEVEL_COMPANY, "");
  create.mutable_objective()->clear_status();
  create.mutable_objective()->clear_priority();
  create.set_objective_id("obj-company");
  auto company = app_->CreateObjective(create, ctx_);
  ASSERT_TRUE(company.ok()) << company.status();
  EXPECT_EQ(company->version(), 1);
  EXPECT_EQ(company->status(), v1::OBJECTIVE_STATUS_ACTIVE);  // the defaults of a new objective
  EXPECT_EQ(company->priority(), 1);
  PMO_ASSERT_OK(CreateObjective("obj-portfolio", v1::LEVEL_PORTFOLIO, "obj-company"));
  PMO_ASSERT_OK(CreateObjective("obj-team", v1::LEVEL_TEAM, "obj-portfolio"));

  // A child must sit below its parent; a parent must exist; an id is taken once.
  EXPECT_THAT(CreateObjective("obj-up", v1::LEVEL_COMPANY, "obj-team"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid objective")));
  EXPECT_THAT(CreateObjective("obj-orphan", v1::LEVEL_TEAM, "obj-ghost"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("obj-ghost")));
  EXPECT_THAT(CreateObjective("obj-team", v1::LEVEL_TEAM, "obj-portfolio"),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("obj-team already exists")));

  v1::GetObjectiveRequest get;
  get.set_objective_id("obj-team");
  auto team = app_->GetObjective(get);
  ASSERT_TRUE(team.ok()) << team.status();
  EXPECT_EQ(team->parent_id(), "obj-portfolio");

  // Only the three created objectives were announced, in order, with the caller's correlation.
  auto changed = OutboxedOf<v1::ObjectiveChanged>();
  ASSERT_EQ(changed.size(), 3u);
  EXPECT_EQ(changed[0].objective_id(), "obj-company");
  EXPECT_EQ(changed[1].parent_id(), "obj-company");
  EXPECT_EQ(changed[2].level(), "TEAM");
  for (const auto& e : changed) EXPECT_TRUE(e.created());
  auto envelopes = Outboxed();
  ASSERT_EQ(envelopes.size(), 3u);
  EXPECT_EQ(envelopes[2].subject(), "obj-team");
  EXPECT_EQ(envelopes[2].portfolio_id(), "pf-1");
  EXPECT_EQ(envelopes[2].aggregate_version(), 1);
  EXPECT_EQ(envelopes[2].correlation_id(), "corr-1");
  EXPECT_EQ(envelopes[2].causation_id(), "req-1");
}

TEST_F(OkrAppTest, RefusesAnUnmeasurableKeyResultListingEveryField) {
  PMO_ASSERT_OK(CreateObjective("obj-1", v1::LEVEL_PORTFOLIO, ""));
  const size_t before = Outboxed().size();
  v1::CreateKeyResultRequest req;
  req.set_key_result_id("kr-vague");
  req.mutable_key_result()->set_objective_id("obj-1");
  req.mutable_key_result()->set_baseline(std::numeric_limits<double>::infinity());
  auto r = app_->CreateKeyResult(req, ctx_);
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not measurable")));
  EXPECT_THAT(ViolationFields(r), UnorderedElementsAre("metric", "unit", "baseline", "direction", "due_date"));

  // Nothing stored, nothing announced.
  v1::GetKeyResultRequest get;
  get.set_key_result_id("kr-vague");
  EXPECT_THAT(app_->GetKeyResult(get), StatusIs(absl::StatusCode::kNotFound, HasSubstr("kr-vague")));
  EXPECT_EQ(Outboxed().size(), before);

  // The same key result made measurable is stored and announced with its verdict.
  auto kr = CreateKeyResult("kr-vague", "obj-1");
  ASSERT_TRUE(kr.ok()) << kr.status();
  EXPECT_TRUE(kr->measurable());
  auto changed = OutboxedOf<v1::KeyResultChanged>();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_TRUE(changed[0].measurable());
  EXPECT_THAT(changed[0].measurability_violations(), IsEmpty());
}

TEST_F(OkrAppTest, AppliesACheckInOncePerSourceIdAndRollsItUpTheCascade) {
  SeedCascade();
  auto first = app_->CheckIn(CheckInOf("kr-1", 40, 1, "sensor-7"), ctx_, "grpc");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->recorded());
  EXPECT_TRUE(first->became_latest());
  EXPECT_DOUBLE_EQ(first->key_result().progress(), 0.4);
  EXPECT_EQ(first->key_result().version(), 2);

  // Redelivered, even with another value: the first arrival is the record.
  auto again = app_->CheckIn(CheckInOf("kr-1", 90, 1, "sensor-7"), ctx_, "grpc");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->recorded());
  EXPECT_EQ(again->key_result().version(), 2);
  EXPECT_DOUBLE_EQ(again->key_result().progress(), 0.4);

  auto checked_in = OutboxedOf<v1::KeyResultCheckedIn>();
  ASSERT_EQ(checked_in.size(), 1u);
  EXPECT_EQ(checked_in[0].source_id(), "sensor-7");
  EXPECT_DOUBLE_EQ(checked_in[0].value(), 40);
  EXPECT_EQ(checked_in[0].version(), 2);
  // The key result's objective and every ancestor, nearest first.
  std::vector<std::string> rolled;
  for (const auto& o : checked_in[0].objectives()) rolled.push_back(o.objective_id());
  EXPECT_THAT(rolled, ElementsAre("obj-program", "obj-portfolio", "obj-company"));
  EXPECT_DOUBLE_EQ(checked_in[0].objectives(0).progress(), 0.4);

  // From the ingest topic without a source_id, the event id stands in for it.
  auto ingest = app_->CheckIn(CheckInOf("kr-1", 50, 1, ""), ctx_, "pmo.ingest.kr-checkins.v1", "evt-1");
  ASSERT_TRUE(ingest.ok()) << ingest.status();
  EXPECT_TRUE(ingest->recorded());
  EXPECT_EQ(ingest->key_result().latest_check_in().source_id(), "evt-1");
  EXPECT_FALSE(app_->CheckIn(CheckInOf("kr-1", 50, 1, ""), ctx_, "pmo.ingest.kr-checkins.v1", "evt-1")->recorded());
  EXPECT_EQ(OutboxedOf<v1::KeyResultCheckedIn>().size(), 2u);

  EXPECT_THAT(app_->CheckIn(CheckInOf("kr-ghost", 1, 1, "s"), ctx_, "grpc"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("kr-ghost")));
  EXPECT_THAT(metrics_.Scrape(),
              ::testing::ContainsRegex("pmo_okr_check_ins_total\\{[^}]*source=\"grpc\"[^}]*\\} 1\n"));
}

TEST_F(OkrAppTest, LinksInitiativesAndAnnouncesTheirAlignment) {
  SeedCascade();
  // Unknown to okr until intake's events told of it.
  v1::LinkInitiativeRequest link;
  link.set_key_result_id("kr-2");
  link.set_initiative_id("in-1");
  link.set_contribution(0.5);
  EXPECT_THAT(app_->LinkInitiative(link, ctx_), StatusIs(absl::StatusCode::kNotFound, HasSubstr("in-1")));

  // The submission proposes kr-1 (linked) and kr-ghost (unknown: not linked).
  PMO_ASSERT_OK(app_->ApplyInitiative(InitiativeOf("in-1", 1, {{"kr-1", 0.25}, {"kr-ghost", 1}}), 1, ctx_));
  auto aligned = OutboxedOf<v1::AlignmentChanged>();
  ASSERT_EQ(aligned.size(), 1u);
  ASSERT_EQ(aligned[0].links_size(), 1);
  EXPECT_EQ(aligned[0].links(0).key_result_id(), "kr-1");
  EXPECT_EQ(aligned[0].links(0).objective_id(), "obj-program");
  EXPECT_TRUE(aligned[0].links(0).measurable());
  EXPECT_EQ(aligned[0].version(), 1);

  // A person links kr-2: both links are announced, each with its objective.
  auto alignment = app_->LinkInitiative(link, ctx_);
  ASSERT_TRUE(alignment.ok()) << alignment.status();
  EXPECT_EQ(alignment->version(), 2);
  aligned = OutboxedOf<v1::AlignmentChanged>();
  ASSERT_EQ(aligned.size(), 2u);
  ASSERT_EQ(aligned[1].links_size(), 2);
  EXPECT_EQ(aligned[1].links(0).key_result_id(), "kr-1");
  EXPECT_EQ(aligned[1].links(1).key_result_id(), "kr-2");
  EXPECT_EQ(aligned[1].links(1).objective_id(), "obj-portfolio");
  EXPECT_DOUBLE_EQ(aligned[1].links(1).contribution(), 0.5);

  // An older or repeated version of the initiative changes nothing; the same link again neither.
  PMO_ASSERT_OK(app_->ApplyInitiative(InitiativeOf("in-1", 1, {}), 1, ctx_));
  ASSERT_TRUE(app_->LinkInitiative(link, ctx_).ok());
  EXPECT_EQ(OutboxedOf<v1::AlignmentChanged>().size(), 2u);

  // A newer submission that drops its proposal keeps the person's link.
  PMO_ASSERT_OK(app_->ApplyInitiative(InitiativeOf("in-1", 2, {}), 2, ctx_));
  aligned = OutboxedOf<v1::AlignmentChanged>();
  ASSERT_EQ(aligned.size(), 3u);
  ASSERT_EQ(aligned[2].links_size(), 1);
  EXPECT_EQ(aligned[2].links(0).key_result_id(), "kr-2");

  v1::GetCoverageRequest coverage;
  coverage.set_portfolio_id("pf-1");
  coverage.mutable_as_of()->set_year(2027);
  coverage.mutable_as_of()->set_month(3);
  coverage.mutable_as_of()->set_day(1);
  auto c = app_->GetCoverage(coverage);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->active_initiatives(), 1);
  EXPECT_EQ(c->active_with_measurable_key_result(), 1);
}

TEST_F(OkrAppTest, AStaleExpectedVersionIsAborted) {
  SeedCascade();
  v1::UpdateObjectiveRequest update;
  *update.mutable_objective() = ObjectiveOf(v1::LEVEL_PORTFOLIO, "obj-company");
  update.mutable_objective()->set_id("obj-portfolio");
  update.mutable_objective()->set_priority(3);
  update.set_expected_version(1);
  auto updated = app_->UpdateObjective(update, ctx_);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version(), 2);
  // A new priority is a strategy change, announced beside the objective's new snapshot.
  auto strategy = OutboxedOf<v1::StrategyChanged>();
  ASSERT_EQ(strategy.size(), 1u);
  EXPECT_TRUE(strategy[0].priority_changed());
  EXPECT_EQ(strategy[0].previous_priority(), 1);
  EXPECT_EQ(strategy[0].priority(), 3);
  EXPECT_EQ(strategy[0].changed_at_ms(), absl::ToUnixMillis(clock_.Now()));
  const size_t events = Outboxed().size();

  // The same update sent again still expects version 1.
  EXPECT_THAT(app_->UpdateObjective(update, ctx_),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("is at version 2, not the expected version 1")));

  v1::UpdateKeyResultRequest kr_update;
  *kr_update.mutable_key_result() = KeyResultOf("obj-program");
  kr_update.mutable_key_result()->set_id("kr-1");
  kr_update.set_expected_version(1);
  PMO_ASSERT_OK(app_->CheckIn(CheckInOf("kr-1", 10, 1, "s-1"), ctx_, "grpc"));  // moves kr-1 to version 2
  EXPECT_THAT(app_->UpdateKeyResult(kr_update, ctx_),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("is at version 2, not the expected version 1")));
  // Refused updates wrote nothing: only the check-in's event was added.
  EXPECT_EQ(Outboxed().size(), events + 1);
  EXPECT_THAT(OutboxedTypes(), ::testing::Contains("pmo.okr.v1.KeyResultCheckedIn"));
}

}  // namespace
}  // namespace pmo::okr
