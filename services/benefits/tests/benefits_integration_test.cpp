// pmo-benefits as a process, against a real redis-server and pmo-devbroker, driven over
// gRPC and through its Kafka topics: benefits registered from intake's submission
// events, measurements on the ingest topic (protobuf and JSON, duplicates, dead
// letters) moving a benefit through REALISED to AT_RISK with BenefitStatusChanged, the
// tracking window opened by a DELIVERED stage change, bad input, stale versions and
// value with ROI. The STALE sweep runs in-process on a fake clock against real Redis.
#include <httplib.h>

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "absl/time/civil_time.h"
#include "pmo/common/proto_convert.h"
#include "services/benefits/app/benefits_app.h"
#include "services/benefits/store/redis_store.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pmo/benefits/v1/benefits.grpc.pb.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"
#include "pmo/common/outbox.h"
#include "pmo/intake/v1/events.pb.h"
#include "support.h"

namespace pmo::benefits {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using pmo::testing::GrpcStatusIs;
using pmo::testing::WaitFor;

domain::Date DateOf(absl::Time t) {
  const absl::CivilDay d = absl::ToCivilDay(t, absl::UTCTimeZone());
  return {static_cast<int32_t>(d.year()), d.month(), d.day()};
}
domain::Date Today() { return DateOf(absl::Now()); }
common::v1::Date DaysFromToday(int days) { return pmo::ToProto(domain::AddDays(Today(), days)); }

std::vector<std::string> ViolationFields(const grpc::Status& s) {
  google::rpc::Status details;
  google::rpc::BadRequest br;
  std::vector<std::string> fields;
  if (!details.ParseFromString(s.error_details()) || details.details_size() == 0 || !details.details(0).UnpackTo(&br))
    return fields;
  for (const auto& v : br.field_violations()) fields.push_back(v.field());
  return fields;
}

class BenefitsIntegration : public ::testing::Test {
 protected:
  BenefitsIntegration() : broker_(3, 3) {
    svc_ = std::make_unique<pmo::testing::ServiceProcess>(
        PMO_BENEFITS_BIN, redis_.url(), broker_.bootstrap(),
        std::map<std::string, std::string>{{"PMO_RELAY_NAME", "benefits-test"}},
        logs_.path() / "benefits.log");
    stub_ = v1::BenefitsService::NewStub(grpc::CreateChannel(svc_->target(), grpc::InsecureChannelCredentials()));
    producer_ = std::move(*Producer::Create({.brokers = broker_.bootstrap(), .client_id = "test", .linger_ms = 1,
                                              .message_timeout_ms = 30000, .extra = {}, .metrics = nullptr}));
  }

  template <typename Req, typename Resp, typename Call>
  grpc::Status Do(Call call, const Req& req, Resp* resp) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    return ((*stub_).*call)(&ctx, req, resp);
  }

  // Publishes intake's event the way intake's relay would, optionally as of `at`.
  void PublishIntake(const google::protobuf::Message& payload, const std::string& subject, int64_t version,
                     absl::Time at = absl::Now()) {
    FakeClock clock(at);
    auto env = MakeEnvelope(payload,
                            {.source = "pmo-intake", .subject = subject, .portfolio_id = "pf-1",
                             .aggregate_version = version, .correlation_id = "", .causation_id = ""},
                            clock);
    PMO_ASSERT_OK(producer_->ProduceSync(topics::kIntakeEvents, subject, env.SerializeAsString(), CloudEventHeaders(env)));
  }

  void Measure(const std::string& benefit_id, double value, int days_from_today, const std::string& source_id,
               bool json = false) {
    v1::RecordMeasurementRequest req;
    req.set_benefit_id(benefit_id);
    req.set_value(value);
    *req.mutable_as_of() = DaysFromToday(days_from_today);
    req.set_source_id(source_id);
    auto env = MakeEnvelope(req, {.source = "bi-export", .subject = benefit_id, .portfolio_id = "",
                                  .aggregate_version = 0, .correlation_id = "", .causation_id = ""});
    if (json) {
      PMO_ASSERT_OK(producer_->ProduceSync(topics::kIngestBenefitMeasurements, benefit_id, ToJson(env),
                                           {{"content-type", "application/json"}}));
    } else {
      PMO_ASSERT_OK(producer_->ProduceSync(topics::kIngestBenefitMeasurements, benefit_id, env.SerializeAsString(),
                                           CloudEventHeaders(env)));
    }
  }

  static intake::v1::PromisedBenefit Promise(const std::string& metric, intake::v1::BenefitCategory category,
                                             double baseline, double target) {
    intake::v1::PromisedBenefit b;
    b.set_category(category);
    b.set_metric(metric);
    b.set_unit("%");
    b.set_baseline(baseline);
    b.set_target(target);
    *b.mutable_target_date() = DaysFromToday(365);
    b.set_owner("Head of Onboarding");
    b.set_indicator(intake::v1::INDICATOR_LAGGING);
    return b;
  }

  // Intake's initiative with two promised benefits: conversion (customer) and saved
  // reworks (financial, 50.00 EUR per rework), costing 100,000.00 EUR.
  static intake::v1::Initiative Initiative(const std::string& id, intake::v1::Stage stage, int64_t version) {
    intake::v1::Initiative in;
    in.set_id(id);
    in.set_portfolio_id("pf-1");
    in.set_title("Self-service onboarding");
    in.set_stage(stage);
    in.set_version(version);
    *in.add_benefits() = Promise("Application completion rate", intake::v1::BENEFIT_CATEGORY_CUSTOMER, 60, 80);
    auto reworks = Promise("Manual reworks per month", intake::v1::BENEFIT_CATEGORY_FINANCIAL, 500, 100);
    reworks.set_unit("reworks");
    reworks.mutable_value_per_unit()->set_currency("EUR");
    reworks.mutable_value_per_unit()->set_minor_units(5000);
    *in.add_benefits() = reworks;
    auto* cost = in.mutable_business_case()->mutable_financial()->mutable_total_cost();
    cost->set_currency("EUR");
    cost->set_minor_units(10'000'000);
    return in;
  }

  v1::ListBenefitsResponse ListByInitiative(const std::string& id, bool include_removed = false) {
    v1::ListBenefitsRequest req;
    req.set_initiative_id(id);
    req.set_include_removed(include_removed);
    v1::ListBenefitsResponse out;
    (void)Do(&v1::BenefitsService::Stub::ListBenefits, req, &out);
    return out;
  }

  v1::Benefit Get(const std::string& id) {
    v1::GetBenefitRequest req;
    req.set_benefit_id(id);
    v1::Benefit out;
    (void)Do(&v1::BenefitsService::Stub::GetBenefit, req, &out);
    return out;
  }

  v1::Benefit Create(const std::string& id, double baseline, double target) {
    v1::CreateBenefitRequest req;
    req.set_benefit_id(id);
    auto* b = req.mutable_benefit();
    b->set_initiative_id("in-api");
    b->set_portfolio_id("pf-1");
    b->set_category(v1::CATEGORY_OPERATIONAL);
    b->set_metric("first-contact resolution");
    b->set_unit("%");
    b->set_baseline(baseline);
    b->set_target(target);
    *b->mutable_target_date() = DaysFromToday(200);
    b->set_owner("Service desk lead");
    b->set_indicator(v1::INDICATOR_LEADING);
    v1::Benefit out;
    auto s = Do(&v1::BenefitsService::Stub::CreateBenefit, req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<std::pair<std::string, events::v1::Envelope>> BenefitEvents(size_t at_least) {
    std::vector<std::pair<std::string, events::v1::Envelope>> out;
    for (auto& r : pmo::testing::ReadTopic(broker_.bootstrap(), std::string(topics::kBenefitsEvents), at_least, 20s)) {
      events::v1::Envelope e;
      EXPECT_TRUE(e.ParseFromString(r.value));
      out.emplace_back(r.key, std::move(e));
    }
    return out;
  }

  pmo::testing::TempDir logs_;
  pmo::testing::RedisServer redis_;
  pmo::testing::DevBroker broker_;
  std::unique_ptr<pmo::testing::ServiceProcess> svc_;
  std::unique_ptr<v1::BenefitsService::Stub> stub_;
  std::unique_ptr<Producer> producer_;
};

TEST_F(BenefitsIntegration, SubmissionWithTwoBenefitsRegistersBothOnceAndAnUpdateChangesThem) {
  intake::v1::PortfolioChanged portfolio;
  portfolio.mutable_portfolio()->set_id("pf-1");
  portfolio.mutable_portfolio()->set_currency("EUR");
  PublishIntake(portfolio, "pf-1", 1);
  intake::v1::InitiativeSubmitted submitted;
  *submitted.mutable_initiative() = Initiative("in-1", intake::v1::STAGE_SUBMITTED, 1);
  PublishIntake(submitted, "in-1", 1);
  // Redelivered: the same version again, here with a different target, which must not
  // be applied (version 1 is already held).
  intake::v1::InitiativeSubmitted redelivered = submitted;
  redelivered.mutable_initiative()->mutable_benefits(1)->set_target(1234);
  PublishIntake(redelivered, "in-1", 1);
  ASSERT_TRUE(WaitFor([&] { return ListByInitiative("in-1").benefits_size() == 2; }, 20s));
  auto conversion = Get("in-1.application-completion-rate");
  EXPECT_EQ(conversion.version(), 1);
  EXPECT_EQ(conversion.origin(), v1::ORIGIN_SUBMISSION);
  EXPECT_EQ(conversion.category(), v1::CATEGORY_CUSTOMER);
  EXPECT_EQ(conversion.direction(), v1::DIRECTION_INCREASE);
  EXPECT_EQ(conversion.status(), v1::BENEFIT_STATUS_NOT_STARTED);
  EXPECT_EQ(conversion.tracking_window_months(), 12);
  auto reworks = Get("in-1.manual-reworks-per-month");
  EXPECT_EQ(reworks.direction(), v1::DIRECTION_DECREASE);
  EXPECT_EQ(reworks.value_per_unit().minor_units(), 5000);


  // Value from the registered benefits and intake's cost: 400 reworks × 50.00 EUR
  // planned against a cost of 100,000.00 EUR.
  v1::GetInitiativeValueRequest vreq;
  vreq.set_initiative_id("in-1");
  v1::ValueSummary value;
  ASSERT_TRUE(Do(&v1::BenefitsService::Stub::GetInitiativeValue, vreq, &value).ok());
  EXPECT_EQ(value.currency(), "EUR");
  EXPECT_EQ(value.planned().minor_units(), 2'000'000);
  EXPECT_EQ(value.cost().minor_units(), 10'000'000);
  EXPECT_DOUBLE_EQ(value.planned_roi(), -0.8);
  EXPECT_EQ(value.benefit_count(), 2);

  // A later update of the submission: a new target for one, the other dropped.
  intake::v1::InitiativeUpdated updated;
  *updated.mutable_initiative() = Initiative("in-1", intake::v1::STAGE_SUBMITTED, 2);
  updated.mutable_initiative()->mutable_benefits(0)->set_target(90);
  updated.mutable_initiative()->mutable_benefits()->RemoveLast();
  PublishIntake(updated, "in-1", 2);
  ASSERT_TRUE(WaitFor([&] { return ListByInitiative("in-1").benefits_size() == 1; }, 20s));
  conversion = Get("in-1.application-completion-rate");
  EXPECT_EQ(conversion.target(), 90);
  EXPECT_EQ(conversion.version(), 2);
  reworks = Get("in-1.manual-reworks-per-month");
  EXPECT_TRUE(reworks.removed());
  EXPECT_EQ(ListByInitiative("in-1", true).benefits_size(), 2);
  ASSERT_TRUE(Do(&v1::BenefitsService::Stub::GetInitiativeValue, vreq, &value).ok());
  EXPECT_EQ(value.planned().minor_units(), 0) << "the withdrawn benefit no longer counts";

  // Version 2 was consumed after the redelivery on the same partition, so by now the
  // redelivery was too. BenefitChanged, keyed by benefit id: two creations, then the
  // update and the withdrawal — nothing from the redelivered copy.
  auto events = BenefitEvents(4);
  int created = 0;
  for (auto& [key, env] : events) {
    ASSERT_EQ(env.type(), "pmo.benefits.v1.BenefitChanged");
    auto changed = UnpackPayload<v1::BenefitChanged>(env);
    ASSERT_TRUE(changed.ok());
    EXPECT_EQ(key, changed->benefit().benefit_id());
    EXPECT_EQ(env.aggregate_version(), changed->benefit().version());
    EXPECT_NE(changed->benefit().target(), 1234) << "the redelivered copy was applied";
    created += changed->created();
  }
  EXPECT_EQ(created, 2);
  EXPECT_EQ(events.size(), 4u);
}

TEST_F(BenefitsIntegration, IngestedMeasurementsRealiseThenErodeToAtRiskOnceEachWithDeadLetters) {
  Create("bn-fcr", 50, 70);
  Measure("bn-fcr", 71, -30, "row-1");
  Measure("bn-fcr", 72, -20, "row-2", /*json=*/true);
  Measure("bn-fcr", 99, -20, "row-2");  // the same source row again: applied once, the first value stands
  ASSERT_TRUE(WaitFor([&] { return Get("bn-fcr").status() == v1::BENEFIT_STATUS_REALISED; }, 20s));
  Measure("bn-fcr", 64, -10, "row-3");
  ASSERT_TRUE(WaitFor([&] { return Get("bn-fcr").status() == v1::BENEFIT_STATUS_AT_RISK; }, 20s));
  auto b = Get("bn-fcr");
  EXPECT_THAT(b.status_reason(), StartsWith("eroding:"));
  EXPECT_EQ(b.realisation().measurement_count(), 3);
  EXPECT_EQ(b.realisation().latest().value(), 64);
  EXPECT_DOUBLE_EQ(b.realisation().share(), 0.7);

  v1::GetRealisationRequest rreq;
  rreq.set_benefit_id("bn-fcr");
  v1::GetRealisationResponse realisation;
  ASSERT_TRUE(Do(&v1::BenefitsService::Stub::GetRealisation, rreq, &realisation).ok());
  EXPECT_EQ(realisation.status(), v1::BENEFIT_STATUS_AT_RISK);
  ASSERT_TRUE(realisation.realisation().has_forecast()) << "three points give a forecast";
  EXPECT_EQ(realisation.realisation().forecast().points(), 3);
  EXPECT_LT(realisation.realisation().forecast().lower(), realisation.realisation().forecast().upper());

  // Bad ingest records: a non-finite value, a date far in the future, an unknown
  // benefit, and JSON that is no envelope. Each lands on the dead-letter topic.
  Measure("bn-fcr", std::numeric_limits<double>::infinity(), -5, "row-inf");
  Measure("bn-fcr", 60, 400, "row-future");
  Measure("ghost", 60, -1, "row-ghost");
  PMO_ASSERT_OK(producer_->ProduceSync(topics::kIngestBenefitMeasurements, "bn-fcr", "{\"value\": oops",
                                       {{"content-type", "application/json"}}));
  auto dead = pmo::testing::ReadTopic(broker_.bootstrap(), std::string(topics::kDeadLetter), 4, 30s);
  ASSERT_EQ(dead.size(), 4u);
  std::vector<std::string> reasons;
  for (auto& r : dead) reasons.push_back(r.Header("pmo_dlq_reason").value_or(""));
  EXPECT_THAT(reasons, ::testing::UnorderedElementsAre(HasSubstr("finite"), HasSubstr("future"), HasSubstr("ghost"),
                                                       HasSubstr("JSON")));
  httplib::Client http("127.0.0.1", svc_->metrics_port());
  std::string body;
  EXPECT_TRUE(WaitFor(
      [&] {
        auto res = http.Get("/metrics");
        body = res ? res->body : "";
        return body.find("pmo_events_dead_lettered_total{service=\"pmo-benefits\",topic=\"pmo.ingest.benefit-"
                         "measurements.v1\"} 4") != std::string::npos;
      },
      10s))
      << body;
  EXPECT_EQ(Get("bn-fcr").version(), 4) << "created, then three measurements; nothing else applied";

  // The events: three BenefitMeasured and the status changes, ending with AT_RISK.
  auto events = BenefitEvents(1 + 3 + 3);
  std::vector<std::pair<int, int>> changes;
  int measured = 0;
  for (auto& [key, env] : events) {
    EXPECT_EQ(key, "bn-fcr");
    if (env.type() == "pmo.benefits.v1.BenefitMeasured") ++measured;
    if (env.type() == "pmo.benefits.v1.BenefitStatusChanged") {
      auto c = UnpackPayload<v1::BenefitStatusChanged>(env);
      ASSERT_TRUE(c.ok());
      changes.emplace_back(c->from(), c->to());
      if (c->to() == v1::BENEFIT_STATUS_AT_RISK) {
        EXPECT_THAT(c->reason(), StartsWith("eroding:"));
      }
    }
  }
  EXPECT_EQ(measured, 3);
  EXPECT_THAT(changes, ::testing::ElementsAre(
                           std::pair<int, int>{v1::BENEFIT_STATUS_NOT_STARTED, v1::BENEFIT_STATUS_ON_TRACK},
                           std::pair<int, int>{v1::BENEFIT_STATUS_ON_TRACK, v1::BENEFIT_STATUS_REALISED},
                           std::pair<int, int>{v1::BENEFIT_STATUS_REALISED, v1::BENEFIT_STATUS_AT_RISK}));
}

TEST_F(BenefitsIntegration, DeliveredStageChangeOpensTheTrackingWindow) {
  intake::v1::InitiativeSubmitted submitted;
  *submitted.mutable_initiative() = Initiative("in-2", intake::v1::STAGE_SUBMITTED, 1);
  PublishIntake(submitted, "in-2", 1);
  ASSERT_TRUE(WaitFor([&] { return ListByInitiative("in-2").benefits_size() == 2; }, 20s));
  // Delivered 60 days ago (the event's time), with no measurement since: the window
  // is open, and with 45 quiet days allowed both benefits are STALE at once.
  const absl::Time delivered_at = absl::Now() - absl::Hours(24 * 60);
  intake::v1::InitiativeStageChanged delivered;
  *delivered.mutable_initiative() = Initiative("in-2", intake::v1::STAGE_DELIVERED, 2);
  delivered.set_from(intake::v1::STAGE_ACTIVE);
  delivered.set_to(intake::v1::STAGE_DELIVERED);
  PublishIntake(delivered, "in-2", 2, delivered_at);
  ASSERT_TRUE(WaitFor([&] { return Get("in-2.application-completion-rate").has_tracking_opens(); }, 20s));
  auto b = Get("in-2.application-completion-rate");
  const domain::Date opens = DateOf(delivered_at);
  EXPECT_EQ(OptionalDateFromProto(b.tracking_opens()), opens);
  EXPECT_EQ(OptionalDateFromProto(b.tracking_closes()), domain::AddMonths(opens, 12));
  EXPECT_EQ(b.status(), v1::BENEFIT_STATUS_STALE);
  EXPECT_THAT(b.status_reason(), StartsWith("stale:"));

  // A measurement inside the window ends the staleness.
  v1::RecordMeasurementRequest m;
  m.set_benefit_id(b.benefit_id());
  m.set_value(70);
  *m.mutable_as_of() = DaysFromToday(0);
  m.set_source_id("survey-1");
  v1::RecordMeasurementResponse out;
  ASSERT_TRUE(Do(&v1::BenefitsService::Stub::RecordMeasurement, m, &out).ok());
  EXPECT_TRUE(out.applied());
  EXPECT_EQ(out.benefit().status(), v1::BENEFIT_STATUS_ON_TRACK) << out.benefit().status_reason();
  ASSERT_TRUE(Do(&v1::BenefitsService::Stub::RecordMeasurement, m, &out).ok());
  EXPECT_FALSE(out.applied()) << "the same source_id is applied once";

  auto events = BenefitEvents(2 + 2 + 2 + 2);
  int stale = 0;
  for (auto& [key, env] : events)
    if (env.type() == "pmo.benefits.v1.BenefitStatusChanged") {
      auto c = UnpackPayload<v1::BenefitStatusChanged>(env);
      ASSERT_TRUE(c.ok());
      stale += c->to() == v1::BENEFIT_STATUS_STALE && c->from() == v1::BENEFIT_STATUS_NOT_STARTED;
    }
  EXPECT_EQ(stale, 2);
}

TEST_F(BenefitsIntegration, BadInputListsEveryViolationAndStaleUpdatesAreAborted) {
  v1::CreateBenefitRequest bad;
  auto* b = bad.mutable_benefit();
  b->set_initiative_id("in-api");
  b->set_portfolio_id("pf-1");
  b->set_metric("");
  b->set_unit("%");
  b->set_baseline(5);
  b->set_target(5);
  *b->mutable_target_date() = DaysFromToday(30);
  b->set_tracking_window_months(99);
  b->mutable_value_per_unit()->set_currency("euro");
  b->mutable_value_per_unit()->set_minor_units(100);
  v1::Benefit out;
  grpc::Status s = Do(&v1::BenefitsService::Stub::CreateBenefit, bad, &out);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(ViolationFields(s), ::testing::UnorderedElementsAre("category", "metric", "target", "tracking_window_months",
                                                                  "value_per_unit.currency"));

  auto created = Create("bn-1", 10, 20);
  EXPECT_EQ(created.version(), 1);
  v1::UpdateBenefitRequest upd;
  *upd.mutable_benefit() = created;
  upd.mutable_benefit()->set_target(25);
  upd.set_expected_version(1);
  ASSERT_TRUE(Do(&v1::BenefitsService::Stub::UpdateBenefit, upd, &out).ok());
  EXPECT_EQ(out.version(), 2);
  EXPECT_EQ(out.target(), 25);
  EXPECT_THAT(Do(&v1::BenefitsService::Stub::UpdateBenefit, upd, &out),
              GrpcStatusIs(grpc::StatusCode::ABORTED, HasSubstr("version")));

  v1::RecordMeasurementRequest m;
  m.set_benefit_id("bn-1");
  m.set_value(std::nan(""));
  *m.mutable_as_of() = DaysFromToday(30);
  v1::RecordMeasurementResponse mout;
  s = Do(&v1::BenefitsService::Stub::RecordMeasurement, m, &mout);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(ViolationFields(s), ::testing::UnorderedElementsAre("value", "as_of", "source_id"));
  // An unknown benefit does not hide what is wrong with the measurement itself.
  m.set_benefit_id("nope");
  m.clear_as_of();
  s = Do(&v1::BenefitsService::Stub::RecordMeasurement, m, &mout);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_THAT(ViolationFields(s), ::testing::UnorderedElementsAre("value", "as_of", "source_id"));
  EXPECT_THAT(s.error_message(), HasSubstr("is required"));
  m.set_value(12);
  *m.mutable_as_of() = DaysFromToday(0);
  m.set_source_id("reading-1");
  EXPECT_THAT(Do(&v1::BenefitsService::Stub::RecordMeasurement, m, &mout),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND, HasSubstr("nope")));
  EXPECT_EQ(Get("bn-1").version(), 2) << "nothing half-written";

  v1::ListBenefitsRequest list;
  v1::ListBenefitsResponse lout;
  EXPECT_THAT(Do(&v1::BenefitsService::Stub::ListBenefits, list, &lout),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("exactly one")));
}

TEST_F(BenefitsIntegration, BatchMeasurementsAndPortfolioValueWithStatusFilter) {
  Create("bn-a", 10, 20);
  Create("bn-b", 10, 20);
  v1::RecordMeasurementsRequest batch;
  batch.set_benefit_id("bn-a");
  for (int i = 0; i < 5; ++i) {
    auto* m = batch.add_measurements();
    m->set_value(10 + 4 * i);
    *m->mutable_as_of() = DaysFromToday(-50 + 10 * i);
    m->set_source_id("day-" + std::to_string(i));
  }
  *batch.add_measurements() = batch.measurements(0);  // a duplicate inside the batch
  v1::RecordMeasurementsResponse out;
  ASSERT_TRUE(Do(&v1::BenefitsService::Stub::RecordMeasurements, batch, &out).ok());
  EXPECT_EQ(out.applied(), 5);
  EXPECT_EQ(out.duplicates(), 1);
  EXPECT_EQ(out.benefit().status(), v1::BENEFIT_STATUS_REALISED) << out.benefit().status_reason();
  ASSERT_TRUE(Do(&v1::BenefitsService::Stub::RecordMeasurements, batch, &out).ok());
  EXPECT_EQ(out.applied(), 0) << "a replayed batch changes nothing";
  EXPECT_EQ(out.benefit().version(), 2);

  v1::ListBenefitsRequest list;
  list.set_portfolio_id("pf-1");
  list.add_statuses(v1::BENEFIT_STATUS_REALISED);
  v1::ListBenefitsResponse lout;
  ASSERT_TRUE(Do(&v1::BenefitsService::Stub::ListBenefits, list, &lout).ok());
  ASSERT_EQ(lout.benefits_size(), 1);
  EXPECT_EQ(lout.benefits(0).benefit_id(), "bn-a");

  v1::GetPortfolioValueRequest preq;
  preq.set_portfolio_id("pf-1");
  v1::PortfolioValue value;
  ASSERT_TRUE(Do(&v1::BenefitsService::Stub::GetPortfolioValue, preq, &value).ok());
  EXPECT_EQ(value.total().benefit_count(), 2);
  std::map<int, int> by_status;
  for (const auto& c : value.total().benefits_by_status()) by_status[c.status()] = c.count();
  EXPECT_EQ(by_status[v1::BENEFIT_STATUS_REALISED], 1);
  EXPECT_EQ(by_status[v1::BENEFIT_STATUS_NOT_STARTED], 1);
  ASSERT_EQ(value.by_initiative_size(), 1);
  EXPECT_EQ(value.by_initiative(0).initiative_id(), "in-api");
}

// The STALE sweep, in-process on a fake clock against a real redis-server: a delivered
// benefit turns STALE when the quiet period passes, with BenefitStatusChanged in the
// outbox, and the sweep then leaves it alone.
TEST(BenefitsSweep, TurnsAQuietDeliveredBenefitStaleAndPublishesTheChange) {
  pmo::testing::RedisServer redis;
  RedisPool::Options ro;
  ro.endpoint.port = redis.port();
  RedisPool pool(ro);
  Outbox outbox(pool, "pmo:benefits:outbox");
  FakeClock clock(absl::FromCivil(absl::CivilDay(2027, 3, 1), absl::UTCTimeZone()));
  app::BenefitsOptions options;
  options.stale_after_days = 30;
  store::RedisBenefitsStore store(pool, outbox, clock);
  app::BenefitsApp app(store, nullptr, options, clock);
  intake::v1::Initiative in;
  in.set_id("in-9");
  in.set_portfolio_id("pf-9");
  in.set_stage(intake::v1::STAGE_DELIVERED);
  auto* promise = in.add_benefits();
  promise->set_category(intake::v1::BENEFIT_CATEGORY_OPERATIONAL);
  promise->set_metric("cycle time");
  promise->set_unit("days");
  promise->set_baseline(20);
  promise->set_target(10);
  promise->mutable_target_date()->set_year(2027);
  promise->mutable_target_date()->set_month(12);
  promise->mutable_target_date()->set_day(31);
  PMO_ASSERT_OK(app.ApplyInitiative(in, 5, {2027, 3, 1}, {}));
  v1::RecordMeasurementRequest m;
  m.set_benefit_id("in-9.cycle-time");
  m.set_value(18);
  *m.mutable_as_of() = pmo::ToProto(domain::Date{2027, 3, 2});
  m.set_source_id("m-1");
  clock.Advance(absl::Hours(24));
  auto r = app.RecordMeasurement(m, {}, "grpc");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NE(r->benefit().status(), v1::BENEFIT_STATUS_STALE);

  clock.Advance(absl::Hours(24 * 30));  // 2027-04-01: 30 quiet days, not more
  auto changed = app.ReviewDue();
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 0);
  clock.Advance(absl::Hours(24));  // 31 quiet days
  changed = app.ReviewDue();
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 1);
  v1::GetBenefitRequest get;
  get.set_benefit_id("in-9.cycle-time");
  auto b = app.GetBenefit(get);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->status(), v1::BENEFIT_STATUS_STALE);
  EXPECT_THAT(b->status_reason(), HasSubstr("31 days"));
  changed = app.ReviewDue();
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed, 0) << "already STALE: the next change is the window closing";

  // The outbox holds the change for the relay: BenefitStatusChanged ON_TRACK → STALE.
  auto entries = pool.Command({"XRANGE", "pmo:benefits:outbox", "-", "+"});
  ASSERT_TRUE(entries.ok()) << entries.status();
  int stale_changes = 0;
  for (size_t i = 0; i < entries->size(); ++i) {
    auto fields = entries->at(i).at(1);
    for (size_t f = 0; f + 1 < fields.size(); f += 2) {
      if (fields.at(f).str() != "v") continue;
      events::v1::Envelope env;
      ASSERT_TRUE(env.ParseFromArray(fields.at(f + 1).str().data(), static_cast<int>(fields.at(f + 1).str().size())));
      if (env.type() != "pmo.benefits.v1.BenefitStatusChanged") continue;
      auto c = UnpackPayload<v1::BenefitStatusChanged>(env);
      ASSERT_TRUE(c.ok());
      if (c->to() == v1::BENEFIT_STATUS_STALE) {
        ++stale_changes;
        EXPECT_EQ(env.subject(), "in-9.cycle-time");
        EXPECT_EQ(env.aggregate_version(), c->benefit().version());
      }
    }
  }
  EXPECT_EQ(stale_changes, 1);
}

}  // namespace
}  // namespace pmo::benefits
