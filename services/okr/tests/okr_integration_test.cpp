// pmo-okr as a process, against a real redis-server and pmo-devbroker, driven over gRPC
// and through its Kafka topics: check-ins on the ingest topic (protobuf and JSON) move
// key results and their objectives and publish KeyResultCheckedIn; priority changes
// publish StrategyChanged; initiatives and proposed links come from intake's events and
// feed coverage; bad input lists every violation; bad ingest records are dead-lettered.
#include <httplib.h>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/okr/v1/okr.grpc.pb.h"
#include "okr_requests.h"
#include "support.h"

namespace pmo::okr {
namespace {

using namespace std::chrono_literals;
using ::testing::DoubleNear;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using pmo::testing::GrpcStatusIs;
using pmo::testing::WaitFor;
using requests::CheckInOf;
using requests::KeyResultOf;
using requests::ObjectiveOf;

constexpr double kEps = 1e-9;

std::vector<std::string> FieldsOf(const grpc::Status& s) {
  google::rpc::Status details;
  google::rpc::BadRequest br;
  std::vector<std::string> fields;
  if (!details.ParseFromString(s.error_details()) || details.details_size() == 0 ||
      !details.details(0).UnpackTo(&br))
    return fields;
  for (const auto& v : br.field_violations()) fields.push_back(v.field());
  return fields;
}

class OkrIntegration : public ::testing::Test {
 protected:
  OkrIntegration() : broker_(3, 3) {
    svc_ = std::make_unique<pmo::testing::ServiceProcess>(
        PMO_OKR_BIN, redis_.url(), broker_.bootstrap(), std::map<std::string, std::string>{{"PMO_RELAY_NAME", "okr-test"}},
        logs_.path() / "okr.log");
    stub_ = v1::OkrService::NewStub(grpc::CreateChannel(svc_->target(), grpc::InsecureChannelCredentials()));
    producer_ = std::move(*Producer::Create({.brokers = broker_.bootstrap(), .client_id = "test", .linger_ms = 1,
                                              .message_timeout_ms = 30000, .extra = {}, .metrics = nullptr}));
  }

  template <typename Req, typename Resp, typename Call>
  grpc::Status Do(Call call, const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    return ((*stub_).*call)(&ctx, req, resp);
  }

  v1::Objective CreateObjective(const std::string& id, v1::Level level, const std::string& parent, int quarter = 1) {
    v1::CreateObjectiveRequest req;
    *req.mutable_objective() = ObjectiveOf(level, parent, quarter);
    req.set_objective_id(id);
    v1::Objective out;
    auto s = Do(&v1::OkrService::Stub::CreateObjective, req, &out);
    EXPECT_TRUE(s.ok()) << id << ": " << s.error_message();
    return out;
  }

  v1::KeyResult CreateKeyResult(const std::string& id, const std::string& objective_id) {
    v1::CreateKeyResultRequest req;
    *req.mutable_key_result() = KeyResultOf(objective_id);
    req.set_key_result_id(id);
    v1::KeyResult out;
    auto s = Do(&v1::OkrService::Stub::CreateKeyResult, req, &out);
    EXPECT_TRUE(s.ok()) << id << ": " << s.error_message();
    return out;
  }

  v1::KeyResult GetKeyResult(const std::string& id) {
    v1::GetKeyResultRequest req;
    req.set_key_result_id(id);
    v1::KeyResult out;
    EXPECT_TRUE(Do(&v1::OkrService::Stub::GetKeyResult, req, &out).ok());
    return out;
  }

  v1::Objective GetObjective(const std::string& id) {
    v1::GetObjectiveRequest req;
    req.set_objective_id(id);
    v1::Objective out;
    EXPECT_TRUE(Do(&v1::OkrService::Stub::GetObjective, req, &out).ok());
    return out;
  }

  v1::Coverage Coverage() {
    v1::GetCoverageRequest req;
    req.set_portfolio_id("pf-1");
    req.mutable_as_of()->set_year(2027);
    req.mutable_as_of()->set_month(3);
    req.mutable_as_of()->set_day(15);
    v1::Coverage out;
    EXPECT_TRUE(Do(&v1::OkrService::Stub::GetCoverage, req, &out).ok());
    return out;
  }

  // Publishes an intake initiative event the way intake's relay would.
  void PublishInitiative(const std::string& id, intake::v1::Stage stage, int64_t version,
                         const std::vector<std::pair<std::string, double>>& proposed, bool submitted = true) {
    intake::v1::Initiative in;
    in.set_id(id);
    in.set_portfolio_id("pf-1");
    in.set_title("Initiative " + id);
    in.set_stage(stage);
    in.set_version(version);
    for (const auto& [kr, weight] : proposed) {
      auto* k = in.mutable_business_case()->mutable_strategic()->add_key_results();
      k->set_key_result_id(kr);
      k->set_contribution_weight(weight);
    }
    events::v1::Envelope env;
    if (submitted) {
      intake::v1::InitiativeSubmitted e;
      *e.mutable_initiative() = in;
      env = MakeEnvelope(e, {.source = "pmo-intake", .subject = id, .portfolio_id = "pf-1", .aggregate_version = version,
                             .correlation_id = "", .causation_id = ""});
    } else {
      intake::v1::InitiativeUpdated e;
      *e.mutable_initiative() = in;
      env = MakeEnvelope(e, {.source = "pmo-intake", .subject = id, .portfolio_id = "pf-1", .aggregate_version = version,
                             .correlation_id = "", .causation_id = ""});
    }
    PMO_ASSERT_OK(producer_->ProduceSync(topics::kIntakeEvents, id, env.SerializeAsString(), CloudEventHeaders(env)));
  }

  // okr's events of one type, as (key, payload).
  template <typename T>
  std::vector<std::pair<std::string, T>> OkrEvents(size_t at_least = 1) {
    std::vector<std::pair<std::string, T>> out;
    for (auto& r : pmo::testing::ReadTopic(broker_.bootstrap(), std::string(topics::kOkrEvents), at_least, 20s)) {
      events::v1::Envelope e;
      EXPECT_TRUE(e.ParseFromString(r.value));
      if (PayloadType(e) != T::descriptor()->full_name()) continue;
      auto payload = UnpackPayload<T>(e);
      EXPECT_TRUE(payload.ok());
      if (payload.ok()) out.emplace_back(r.key, std::move(*payload));
    }
    return out;
  }

  // A three-level cascade: co (COMPANY, 2027) > po (PORTFOLIO, 2027Q1) > pr (PROGRAM,
  // 2027Q1), with kr-1 under pr and kr-2 (never checked in) under po.
  void SeedCascade() {
    CreateObjective("co", v1::LEVEL_COMPANY, "", 0);
    CreateObjective("po", v1::LEVEL_PORTFOLIO, "co");
    CreateObjective("pr", v1::LEVEL_PROGRAM, "po");
    CreateKeyResult("kr-1", "pr");
    CreateKeyResult("kr-2", "po");
  }

  pmo::testing::TempDir logs_;
  pmo::testing::RedisServer redis_;
  pmo::testing::DevBroker broker_;
  std::unique_ptr<pmo::testing::ServiceProcess> svc_;
  std::unique_ptr<v1::OkrService::Stub> stub_;
  std::unique_ptr<Producer> producer_;
};

TEST_F(OkrIntegration, IngestedCheckInsMoveTheKeyResultAndEveryAncestorAndArePublished) {
  SeedCascade();
  // Protobuf envelope on the ingest topic, no source_id: the event id stands in.
  auto env = MakeEnvelope(CheckInOf("kr-1", 40, 10), {.source = "bi", .subject = "kr-1", .portfolio_id = "pf-1",
                                                      .aggregate_version = 0, .correlation_id = "", .causation_id = ""});
  PMO_ASSERT_OK(
      producer_->ProduceSync(topics::kIngestKrCheckins, "kr-1", env.SerializeAsString(), CloudEventHeaders(env)));
  ASSERT_TRUE(WaitFor([&] { return GetKeyResult("kr-1").check_ins() == 1; }, 20s));
  auto kr = GetKeyResult("kr-1");
  EXPECT_THAT(kr.progress(), DoubleNear(0.4, kEps));
  EXPECT_THAT(kr.confidence(), DoubleNear(0.7, kEps));
  EXPECT_EQ(kr.latest_check_in().source_id(), env.event_id());
  // pr holds kr-1 only; po weighs kr-2 (no check-in: 0) and pr (priority 1) equally; co has po.
  EXPECT_THAT(GetObjective("pr").progress(), DoubleNear(0.4, kEps));
  EXPECT_THAT(GetObjective("po").progress(), DoubleNear(0.2, kEps));
  EXPECT_THAT(GetObjective("co").progress(), DoubleNear(0.2, kEps));

  // The relay publishes after the write: wait for the event, not just the state.
  std::vector<std::pair<std::string, v1::KeyResultCheckedIn>> checked_in;
  ASSERT_TRUE(WaitFor([&] { return !(checked_in = OkrEvents<v1::KeyResultCheckedIn>()).empty(); }, 20s));
  ASSERT_EQ(checked_in.size(), 1u);
  EXPECT_EQ(checked_in[0].first, "kr-1") << "keyed by the key result";
  const auto& e = checked_in[0].second;
  EXPECT_EQ(e.as_of(), "2027-03-10");
  EXPECT_TRUE(e.became_latest());
  EXPECT_THAT(e.key_result_progress(), DoubleNear(0.4, kEps));
  ASSERT_EQ(e.objectives_size(), 3) << "the objective and both ancestors";
  EXPECT_EQ(e.objectives(0).objective_id(), "pr");
  EXPECT_EQ(e.objectives(2).objective_id(), "co");
  EXPECT_THAT(e.objectives(2).progress(), DoubleNear(0.2, kEps));

  // The same event redelivered (even with other content) is applied once; a JSON
  // envelope with a newer as_of moves everything again.
  auto tampered = env;
  tampered.mutable_payload()->PackFrom(CheckInOf("kr-1", 90, 11));
  PMO_ASSERT_OK(producer_->ProduceSync(topics::kIngestKrCheckins, "kr-1", tampered.SerializeAsString(),
                                       CloudEventHeaders(tampered)));
  auto json_env = MakeEnvelope(CheckInOf("kr-1", 80, 20, "bi-row-20"),
                               {.source = "bi", .subject = "kr-1", .portfolio_id = "pf-1", .aggregate_version = 0,
                                .correlation_id = "", .causation_id = ""});
  std::string json = ToJson(json_env);
  ASSERT_THAT(json, HasSubstr("\"@type\":\"type.googleapis.com/pmo.okr.v1.CheckInRequest\""));
  PMO_ASSERT_OK(producer_->ProduceSync(topics::kIngestKrCheckins, "kr-1", json, {{"content-type", "application/json"}}));
  ASSERT_TRUE(WaitFor([&] { return GetKeyResult("kr-1").check_ins() == 2; }, 20s));
  kr = GetKeyResult("kr-1");
  EXPECT_THAT(kr.progress(), DoubleNear(0.8, kEps)) << "the redelivered 90 was not applied";
  EXPECT_EQ(kr.latest_check_in().source_id(), "bi-row-20");
  EXPECT_THAT(GetObjective("po").progress(), DoubleNear(0.4, kEps));

  // Over gRPC: a late, older check-in is kept but does not overwrite; its source_id
  // twice is applied once.
  v1::CheckInResponse out;
  ASSERT_TRUE(Do(&v1::OkrService::Stub::CheckIn, CheckInOf("kr-1", 10, 5, "late-1"), &out).ok());
  EXPECT_TRUE(out.recorded());
  EXPECT_FALSE(out.became_latest());
  EXPECT_THAT(out.key_result().progress(), DoubleNear(0.8, kEps));
  ASSERT_TRUE(Do(&v1::OkrService::Stub::CheckIn, CheckInOf("kr-1", 10, 5, "late-1"), &out).ok());
  EXPECT_FALSE(out.recorded());
  EXPECT_EQ(GetKeyResult("kr-1").check_ins(), 3);
  // Overshooting the target counts as 1.
  ASSERT_TRUE(Do(&v1::OkrService::Stub::CheckIn, CheckInOf("kr-1", 130, 25, "over"), &out).ok());
  EXPECT_THAT(out.key_result().progress(), DoubleNear(1.0, kEps));
  EXPECT_THAT(GetObjective("po").progress(), DoubleNear(0.5, kEps));

  ASSERT_TRUE(WaitFor([&] { return OkrEvents<v1::KeyResultCheckedIn>(4).size() == 4; }, 20s))
      << "one event per recorded check-in, none for the duplicates";
}

TEST_F(OkrIntegration, BadIngestRecordsAreDeadLetteredWithTheirReasonAndCounted) {
  SeedCascade();
  PMO_ASSERT_OK(producer_->ProduceSync(topics::kIngestKrCheckins, "kr-1", "{\"value\": oops",
                                       {{"content-type", "application/json"}}));
  auto ghost = MakeEnvelope(CheckInOf("ghost", 5, 3, "g-1"), {.source = "bi", .subject = "ghost", .portfolio_id = "",
                                                              .aggregate_version = 0, .correlation_id = "",
                                                              .causation_id = ""});
  PMO_ASSERT_OK(
      producer_->ProduceSync(topics::kIngestKrCheckins, "ghost", ghost.SerializeAsString(), CloudEventHeaders(ghost)));
  auto invalid = MakeEnvelope(CheckInOf("kr-1", 5, 3, "bad-confidence"),
                              {.source = "bi", .subject = "kr-1", .portfolio_id = "", .aggregate_version = 0,
                               .correlation_id = "", .causation_id = ""});
  auto bad = CheckInOf("kr-1", 5, 3, "bad-confidence");
  bad.set_confidence(1.5);
  invalid.mutable_payload()->PackFrom(bad);
  PMO_ASSERT_OK(producer_->ProduceSync(topics::kIngestKrCheckins, "kr-1", invalid.SerializeAsString(),
                                       CloudEventHeaders(invalid)));
  auto dead = pmo::testing::ReadTopic(broker_.bootstrap(), std::string(topics::kDeadLetter), 3, 30s);
  ASSERT_EQ(dead.size(), 3u);
  std::vector<std::string> reasons;
  for (auto& r : dead) reasons.push_back(r.Header("pmo_dlq_reason").value_or(""));
  EXPECT_THAT(reasons, ::testing::UnorderedElementsAre(HasSubstr("JSON"), HasSubstr("ghost"), HasSubstr("confidence")));
  EXPECT_EQ(GetKeyResult("kr-1").check_ins(), 0);
  httplib::Client http("127.0.0.1", svc_->metrics_port());
  std::string body;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto res = http.Get("/metrics");
        body = res ? res->body : "";
        return body.find("pmo_events_dead_lettered_total{service=\"pmo-okr\",topic=\"pmo.ingest.kr-checkins.v1\"} 3") !=
               std::string::npos;
      },
      10s))
      << body;
}

TEST_F(OkrIntegration, PriorityAndStatusChangesPublishStrategyChangedOtherEditsDoNot) {
  SeedCascade();
  auto po = GetObjective("po");
  v1::UpdateObjectiveRequest upd;
  *upd.mutable_objective() = po;
  upd.mutable_objective()->set_priority(3);
  upd.set_expected_version(po.version());
  v1::Objective out;
  ASSERT_TRUE(Do(&v1::OkrService::Stub::UpdateObjective, upd, &out).ok());
  EXPECT_EQ(out.version(), 2);
  // A stale version is refused.
  EXPECT_THAT(Do(&v1::OkrService::Stub::UpdateObjective, upd, &out),
              GrpcStatusIs(grpc::StatusCode::ABORTED, HasSubstr("version")));
  // A title edit is not a strategy update; deprioritising is.
  *upd.mutable_objective() = GetObjective("po");
  upd.mutable_objective()->set_title("Grow the self-service channel");
  upd.set_expected_version(2);
  ASSERT_TRUE(Do(&v1::OkrService::Stub::UpdateObjective, upd, &out).ok());
  upd.mutable_objective()->set_status(v1::OBJECTIVE_STATUS_DEPRIORITISED);
  upd.set_expected_version(3);
  ASSERT_TRUE(Do(&v1::OkrService::Stub::UpdateObjective, upd, &out).ok());

  std::vector<std::pair<std::string, v1::StrategyChanged>> changes;
  ASSERT_TRUE(WaitFor([&] { return (changes = OkrEvents<v1::StrategyChanged>(10)).size() == 2; }, 20s));
  EXPECT_EQ(changes[0].first, "po");
  EXPECT_TRUE(changes[0].second.priority_changed());
  EXPECT_FALSE(changes[0].second.status_changed());
  EXPECT_EQ(changes[0].second.previous_priority(), 1);
  EXPECT_EQ(changes[0].second.priority(), 3);
  EXPECT_GT(changes[0].second.changed_at_ms(), 1'700'000'000'000);
  EXPECT_TRUE(changes[1].second.status_changed());
  EXPECT_EQ(changes[1].second.previous_status(), "ACTIVE");
  EXPECT_EQ(changes[1].second.status(), "DEPRIORITISED");
  // ObjectiveChanged carries what scoring reads: priority and the status name. Objectives
  // are spread over partitions, so po's latest is found by its version, not by position.
  v1::ObjectiveChanged last;
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const auto& [key, e] : OkrEvents<v1::ObjectiveChanged>(1))
          if (key == "po" && e.version() > last.version()) last = e;
        return last.version() == 4;
      },
      20s))
      << last.DebugString();
  EXPECT_EQ(last.objective_id(), "po");
  EXPECT_EQ(last.status(), "DEPRIORITISED");

  // Moving po to 2027Q2 would leave kr-2 (due 2027-03-31) before its objective's period,
  // quietly unmeasurable: refused, naming the key result. Without an expected version.
  *upd.mutable_objective() = GetObjective("po");
  upd.mutable_objective()->mutable_period()->set_quarter(2);
  upd.set_expected_version(0);
  EXPECT_THAT(Do(&v1::OkrService::Stub::UpdateObjective, upd, &out),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("would leave key result kr-2 unmeasurable")));
  EXPECT_EQ(GetObjective("po").version(), 4) << "nothing written";
  EXPECT_EQ(last.priority(), 3);
  EXPECT_EQ(last.version(), 4);
}

TEST_F(OkrIntegration, CoverageAndLinksFollowInitiativesLearnedFromIntakeEvents) {
  SeedCascade();
  CreateObjective("lonely", v1::LEVEL_PORTFOLIO, "co");
  // A link to an initiative okr has not heard of is NOT_FOUND.
  v1::LinkInitiativeRequest link;
  link.set_key_result_id("kr-2");
  link.set_initiative_id("in-2");
  link.set_contribution(0.5);
  v1::Alignment alignment;
  EXPECT_THAT(Do(&v1::OkrService::Stub::LinkInitiative, link, &alignment),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("in-2")));

  PublishInitiative("in-1", intake::v1::STAGE_SUBMITTED, 1, {{"kr-1", 0.6}, {"kr-unknown", 0.5}});
  PublishInitiative("in-2", intake::v1::STAGE_ACTIVE, 1, {});
  PublishInitiative("in-3", intake::v1::STAGE_DRAFT, 1, {});
  ASSERT_TRUE(WaitFor([&] { return Coverage().active_initiatives() == 2; }, 20s));
  auto c = Coverage();
  EXPECT_EQ(c.active_with_measurable_key_result(), 1);
  EXPECT_THAT(c.measurable_share(), DoubleNear(0.5, kEps));
  EXPECT_THAT(c.initiatives_linked_to_nothing(), ElementsAre("in-2"));
  EXPECT_THAT(c.objectives_without_initiative(), ElementsAre("lonely"))
      << "in-1 works towards pr, and through it po and co";
  EXPECT_THAT(c.stale_key_results(), ElementsAre("kr-1", "kr-2")) << "never checked in";

  // The proposal became a link, announced as intake and scoring expect it.
  std::vector<std::pair<std::string, v1::AlignmentChanged>> changes;
  ASSERT_TRUE(WaitFor([&] { return !(changes = OkrEvents<v1::AlignmentChanged>(1)).empty(); }, 20s));
  EXPECT_EQ(changes[0].first, "in-1");
  EXPECT_EQ(changes[0].second.version(), 1);
  EXPECT_EQ(changes[0].second.portfolio_id(), "pf-1");
  ASSERT_EQ(changes[0].second.links_size(), 1) << "the unknown key result is not linked";
  EXPECT_EQ(changes[0].second.links(0).key_result_id(), "kr-1");
  EXPECT_EQ(changes[0].second.links(0).objective_id(), "pr");
  EXPECT_TRUE(changes[0].second.links(0).measurable());
  EXPECT_EQ(changes[0].second.links(0).contribution(), 0.6);

  // A link made by a person, then a submission update that proposes only kr-2: the
  // proposal's link to kr-1 goes, the person's link stays.
  link.set_initiative_id("in-1");
  ASSERT_TRUE(Do(&v1::OkrService::Stub::LinkInitiative, link, &alignment).ok()) << "now in-1 is known";
  EXPECT_EQ(alignment.links_size(), 2);
  PublishInitiative("in-1", intake::v1::STAGE_IN_REVIEW, 2, {}, /*submitted=*/false);
  PublishInitiative("in-1", intake::v1::STAGE_SUBMITTED, 1, {{"kr-1", 0.6}});  // a stale redelivery
  PublishInitiative("in-2", intake::v1::STAGE_ACTIVE, 2, {{"kr-1", 1.0}}, /*submitted=*/false);
  ASSERT_TRUE(WaitFor([&] { return Coverage().initiatives_linked_to_nothing_size() == 0; }, 20s));
  ASSERT_TRUE(WaitFor([&] { return OkrEvents<v1::AlignmentChanged>(4).size() == 4; }, 20s));
  auto all = OkrEvents<v1::AlignmentChanged>(4);
  std::map<std::string, v1::AlignmentChanged> latest;
  for (auto& [key, a] : all)
    if (!latest.contains(key) || latest[key].version() < a.version()) latest[key] = a;
  ASSERT_EQ(latest["in-1"].version(), 3);
  ASSERT_EQ(latest["in-1"].links_size(), 1);
  EXPECT_EQ(latest["in-1"].links(0).key_result_id(), "kr-2");
  EXPECT_EQ(latest["in-1"].links(0).objective_id(), "po");
  EXPECT_EQ(latest["in-2"].links(0).key_result_id(), "kr-1");

  // The alignment tree shows the cascade, the key results and who works on them.
  v1::GetAlignmentTreeRequest tree_req;
  tree_req.set_portfolio_id("pf-1");
  v1::AlignmentTree tree;
  ASSERT_TRUE(Do(&v1::OkrService::Stub::GetAlignmentTree, tree_req, &tree).ok());
  EXPECT_EQ(tree.objectives(), 4);
  EXPECT_EQ(tree.key_results(), 2);
  EXPECT_EQ(tree.links(), 2);
  ASSERT_EQ(tree.roots_size(), 1);
  const auto& co = tree.roots(0);
  EXPECT_EQ(co.objective().id(), "co");
  ASSERT_EQ(co.children_size(), 2);
  const auto& po = co.children(1);  // children by id: "lonely", "po"
  EXPECT_EQ(po.objective().id(), "po");
  ASSERT_EQ(po.key_results_size(), 1);
  ASSERT_EQ(po.key_results(0).initiatives_size(), 1);
  EXPECT_EQ(po.key_results(0).initiatives(0).initiative_id(), "in-1");
  EXPECT_EQ(po.key_results(0).initiatives(0).origin(), v1::LINK_ORIGIN_API);
  EXPECT_EQ(po.key_results(0).initiatives(0).stage(), "IN_REVIEW");
  ASSERT_EQ(po.children_size(), 1);
  EXPECT_EQ(po.children(0).key_results(0).initiatives(0).initiative_id(), "in-2");

  // Unlinking removes the person's link; unlinking it again is NOT_FOUND.
  v1::UnlinkInitiativeRequest unlink;
  unlink.set_key_result_id("kr-2");
  unlink.set_initiative_id("in-1");
  ASSERT_TRUE(Do(&v1::OkrService::Stub::UnlinkInitiative, unlink, &alignment).ok());
  EXPECT_EQ(alignment.links_size(), 0);
  EXPECT_THAT(Do(&v1::OkrService::Stub::UnlinkInitiative, unlink, &alignment),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("not linked")));
  EXPECT_THAT(Coverage().initiatives_linked_to_nothing(), ElementsAre("in-1"));
}

TEST_F(OkrIntegration, BadInputListsEveryViolationAndWritesNothing) {
  SeedCascade();
  v1::CreateKeyResultRequest kr;
  *kr.mutable_key_result() = KeyResultOf("pr");
  kr.mutable_key_result()->set_unit("");
  kr.mutable_key_result()->set_target(0);  // equal to the baseline
  kr.mutable_key_result()->mutable_due_date()->set_year(2026);
  kr.set_key_result_id("kr-bad");
  v1::KeyResult out;
  grpc::Status s = Do(&v1::OkrService::Stub::CreateKeyResult, kr, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(FieldsOf(s), IsSupersetOf({"unit", "target", "due_date"}));
  v1::GetKeyResultRequest get;
  get.set_key_result_id("kr-bad");
  EXPECT_THAT(Do(&v1::OkrService::Stub::GetKeyResult, get, &out),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("kr-bad")));
  // A direction that contradicts baseline and target.
  *kr.mutable_key_result() = KeyResultOf("pr");
  kr.mutable_key_result()->set_direction(v1::DIRECTION_DECREASE);
  EXPECT_THAT(FieldsOf(Do(&v1::OkrService::Stub::CreateKeyResult, kr, &out)), ElementsAre("direction"));
  // A key result of an unknown objective.
  *kr.mutable_key_result() = KeyResultOf("nope");
  EXPECT_THAT(Do(&v1::OkrService::Stub::CreateKeyResult, kr, &out),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("nope")));

  // Cascade: a PORTFOLIO objective cannot sit below a PROGRAM one, and re-parenting
  // the company objective under its own grandchild would close a cycle.
  v1::CreateObjectiveRequest child;
  *child.mutable_objective() = ObjectiveOf(v1::LEVEL_PORTFOLIO, "pr");
  child.mutable_objective()->set_title("");
  child.set_objective_id("bad child");
  v1::Objective o;
  s = Do(&v1::OkrService::Stub::CreateObjective, child, &o);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(FieldsOf(s), IsSupersetOf({"objective_id", "title", "level"}));
  v1::UpdateObjectiveRequest cycle;
  *cycle.mutable_objective() = GetObjective("co");
  cycle.mutable_objective()->set_parent_id("pr");
  cycle.mutable_objective()->set_level(v1::LEVEL_TEAM);
  s = Do(&v1::OkrService::Stub::UpdateObjective, cycle, &o);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(FieldsOf(s), ::testing::Contains("parent_id"));
  EXPECT_THAT(s.error_message(), HasSubstr("cycle"));
  EXPECT_EQ(GetObjective("co").version(), 1);
  // Check-ins and links list every problem too.
  v1::CheckInRequest bad = CheckInOf("kr-1", std::nan(""), 0, "");
  bad.set_confidence(2);
  v1::CheckInResponse r;
  EXPECT_THAT(FieldsOf(Do(&v1::OkrService::Stub::CheckIn, bad, &r)),
              ::testing::UnorderedElementsAre("value", "confidence", "as_of", "source_id"));
  v1::LinkInitiativeRequest link;
  link.set_key_result_id("kr-1");
  link.set_contribution(1.5);
  v1::Alignment a;
  EXPECT_THAT(FieldsOf(Do(&v1::OkrService::Stub::LinkInitiative, link, &a)),
              ::testing::UnorderedElementsAre("initiative_id", "contribution"));
}

}  // namespace
}  // namespace pmo::okr
