// The benefits use cases in-process against a real redis-server, through the Redis
// store (no pmo-benefits process): a benefit created with every violation listed, a
// measurement applied once per source_id, realisation and status, promise
// reconciliation from intake's initiative snapshots (register, redelivery, update,
// withdrawal, delivery), stale versions ABORTED, and the consumers' handlers on the
// event router — and the events each left in the outbox stream for the relay.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/benefits/app/benefits_app.h"
#include "services/benefits/consumers/event_handlers.h"
#include "services/benefits/store/redis_store.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/common/event_router.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/common/outbox.h"
#include "pmo/common/proto_convert.h"
#include "pmo/common/redis.h"
#include "support.h"

namespace pmo::benefits {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using pmo::testing::StatusIs;
using pmo::testing::ViolationFields;

constexpr char kStream[] = "pmo:benefits:outbox";

common::v1::Date DateProto(int year, int month, int day) { return ToProto(calendar::Date{year, month, day}); }

class BenefitsAppTest : public ::testing::Test {
 protected:
  BenefitsAppTest() : clock_(absl::FromCivil(absl::CivilDay(2027, 3, 1), absl::UTCTimeZone())) {
    pool_ = pmo::testing::PoolOn(redis_);
    outbox_ = std::make_unique<Outbox>(*pool_, kStream);
    store_ = std::make_unique<store::RedisBenefitsStore>(*pool_, *outbox_, clock_);
    app_ = std::make_unique<app::BenefitsApp>(*store_, nullptr, app::BenefitsOptions{}, clock_);
  }

  // Every envelope in the outbox stream, oldest first.
  std::vector<events::v1::Envelope> Outboxed() {
    std::vector<events::v1::Envelope> out;
    auto entries = pmo::testing::ReadOutbox(*pool_, kStream);
    EXPECT_TRUE(entries.ok()) << entries.status();
    if (entries.ok())
      for (auto& e : *entries) out.push_back(std::move(e.envelope));
    return out;
  }

  // "<type without package> <subject>" of every outboxed event.
  std::vector<std::string> OutboxedEvents() {
    std::vector<std::string> out;
    for (const auto& env : Outboxed())
      out.push_back(env.type().substr(std::string_view("pmo.benefits.v1.").size()) + " " + env.subject());
    return out;
  }

  void ClearOutbox() { PMO_ASSERT_OK(pool_->Command({"DEL", kStream})); }

  static v1::CreateBenefitRequest Creation(const std::string& id, double baseline, double target) {
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
    *b->mutable_target_date() = DateProto(2027, 9, 1);
    b->set_owner("Service desk lead");
    b->set_indicator(v1::INDICATOR_LEADING);
    return req;
  }

  static v1::RecordMeasurementRequest Measurement(const std::string& benefit_id, double value, int month, int day,
                                                  const std::string& source_id) {
    v1::RecordMeasurementRequest req;
    req.set_benefit_id(benefit_id);
    req.set_value(value);
    *req.mutable_as_of() = DateProto(2027, month, day);
    req.set_source_id(source_id);
    return req;
  }

  static intake::v1::PromisedBenefit Promise(const std::string& metric, double baseline, double target) {
    intake::v1::PromisedBenefit b;
    b.set_category(intake::v1::BENEFIT_CATEGORY_CUSTOMER);
    b.set_metric(metric);
    b.set_unit("%");
    b.set_baseline(baseline);
    b.set_target(target);
    *b.mutable_target_date() = DateProto(2028, 3, 1);
    b.set_owner("Head of Onboarding");
    b.set_indicator(intake::v1::INDICATOR_LAGGING);
    return b;
  }

  // Intake's initiative promising conversion and retention, costing 1,000.00 EUR.
  static intake::v1::Initiative Initiative(intake::v1::Stage stage) {
    intake::v1::Initiative in;
    in.set_id("in-1");
    in.set_portfolio_id("pf-1");
    in.set_stage(stage);
    *in.add_benefits() = Promise("Conversion rate", 10, 30);
    *in.add_benefits() = Promise("Retention", 70, 80);
    auto* cost = in.mutable_business_case()->mutable_financial()->mutable_total_cost();
    cost->set_currency("EUR");
    cost->set_minor_units(100'000);
    return in;
  }

  v1::Benefit Get(const std::string& id) {
    v1::GetBenefitRequest req;
    req.set_benefit_id(id);
    auto b = app_->GetBenefit(req);
    EXPECT_TRUE(b.ok()) << b.status();
    return b.ok() ? *b : v1::Benefit();
  }

  pmo::testing::RedisServer redis_;
  FakeClock clock_;
  std::unique_ptr<RedisPool> pool_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<store::RedisBenefitsStore> store_;
  std::unique_ptr<app::BenefitsApp> app_;
};

TEST_F(BenefitsAppTest, CreateListsEveryViolationThenRegistersAndAnnounces) {
  v1::CreateBenefitRequest bad = Creation("bn-1", 5, 5);
  bad.mutable_benefit()->clear_category();
  bad.mutable_benefit()->set_metric("");
  bad.mutable_benefit()->set_tracking_window_months(99);
  bad.mutable_benefit()->mutable_value_per_unit()->set_currency("euro");
  bad.mutable_benefit()->mutable_value_per_unit()->set_minor_units(100);
  auto refused = app_->CreateBenefit(bad, {});
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid benefit")));
  EXPECT_THAT(ViolationFields(refused), UnorderedElementsAre("category", "metric", "target", "tracking_window_months",
                                                             "value_per_unit.currency"));
  EXPECT_THAT(Outboxed(), ::testing::IsEmpty()) << "nothing written for a refused call";

  auto created = app_->CreateBenefit(Creation("bn-1", 50, 70), {"corr-1", "req-1"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->version(), 1);
  EXPECT_EQ(created->origin(), v1::ORIGIN_API);
  EXPECT_EQ(created->status(), v1::BENEFIT_STATUS_NOT_STARTED);
  EXPECT_EQ(Get("bn-1").metric(), "first-contact resolution");
  EXPECT_THAT(app_->CreateBenefit(Creation("bn-1", 50, 70), {}),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("bn-1")));

  auto events = Outboxed();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type(), "pmo.benefits.v1.BenefitChanged");
  EXPECT_EQ(events[0].subject(), "bn-1");
  EXPECT_EQ(events[0].portfolio_id(), "pf-1");
  EXPECT_EQ(events[0].aggregate_version(), 1);
  EXPECT_EQ(events[0].correlation_id(), "corr-1");
  EXPECT_EQ(events[0].causation_id(), "req-1");
  auto changed = UnpackPayload<v1::BenefitChanged>(events[0]);
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(changed->created());
}

TEST_F(BenefitsAppTest, AMeasurementIsAppliedOncePerSourceIdAndMovesRealisationAndStatus) {
  ASSERT_TRUE(app_->CreateBenefit(Creation("bn-1", 50, 70), {}).ok());
  ClearOutbox();
  auto first = app_->RecordMeasurement(Measurement("bn-1", 71, 2, 1, "row-1"), {}, "grpc");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->applied());
  EXPECT_EQ(first->benefit().version(), 2);
  EXPECT_EQ(first->benefit().realisation().measurement_count(), 1);
  EXPECT_EQ(first->benefit().status(), v1::BENEFIT_STATUS_ON_TRACK) << first->benefit().status_reason();

  // The same source row again, with another value: not applied, nothing written.
  auto again = app_->RecordMeasurement(Measurement("bn-1", 99, 2, 1, "row-1"), {}, "grpc");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->applied());
  EXPECT_EQ(again->benefit().version(), 2);
  EXPECT_EQ(again->benefit().realisation().latest().value(), 71);

  // The target met on two consecutive measurements: realised.
  auto reached = app_->RecordMeasurement(Measurement("bn-1", 72, 2, 20, "row-2"), {}, "pmo.ingest.test");
  ASSERT_TRUE(reached.ok()) << reached.status();
  EXPECT_EQ(reached->benefit().status(), v1::BENEFIT_STATUS_REALISED) << reached->benefit().status_reason();
  v1::GetRealisationRequest rreq;
  rreq.set_benefit_id("bn-1");
  auto realisation = app_->GetRealisation(rreq);
  ASSERT_TRUE(realisation.ok()) << realisation.status();
  EXPECT_EQ(realisation->status(), v1::BENEFIT_STATUS_REALISED);
  EXPECT_EQ(realisation->version(), 3);
  EXPECT_EQ(realisation->realisation().measurement_count(), 2);
  EXPECT_EQ(realisation->direction(), v1::DIRECTION_INCREASE);

  EXPECT_THAT(OutboxedEvents(), ElementsAre("BenefitMeasured bn-1", "BenefitStatusChanged bn-1",
                                            "BenefitMeasured bn-1", "BenefitStatusChanged bn-1"));
  auto events = Outboxed();
  auto measured = UnpackPayload<v1::BenefitMeasured>(events[2]);
  ASSERT_TRUE(measured.ok());
  EXPECT_EQ(measured->source(), "pmo.ingest.test");
  EXPECT_EQ(measured->measurement().source_id(), "row-2");
  auto change = UnpackPayload<v1::BenefitStatusChanged>(events[3]);
  ASSERT_TRUE(change.ok());
  EXPECT_EQ(change->from(), v1::BENEFIT_STATUS_ON_TRACK);
  EXPECT_EQ(change->to(), v1::BENEFIT_STATUS_REALISED);
  EXPECT_EQ(change->benefit().realisation().latest().value(), 72);
  EXPECT_EQ(events[3].aggregate_version(), 3);
}

TEST_F(BenefitsAppTest, BadMeasurementsAreListedBeforeTheBenefitIsLookedUp) {
  v1::RecordMeasurementRequest bad = Measurement("nope", std::nan(""), 12, 1, "");
  auto refused = app_->RecordMeasurement(bad, {}, "grpc");
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid measurement")));
  EXPECT_THAT(ViolationFields(refused), UnorderedElementsAre("value", "as_of", "source_id"));
  EXPECT_THAT(app_->RecordMeasurement(Measurement("nope", 1, 2, 1, "row-1"), {}, "grpc"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
}

TEST_F(BenefitsAppTest, StaleVersionsAreAbortedAndAnotherReplicasWriteIsNotLost) {
  ASSERT_TRUE(app_->CreateBenefit(Creation("bn-1", 10, 20), {}).ok());
  v1::UpdateBenefitRequest upd;
  *upd.mutable_benefit() = Get("bn-1");
  upd.mutable_benefit()->set_target(25);
  upd.set_expected_version(1);
  auto updated = app_->UpdateBenefit(upd, {});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->version(), 2);
  EXPECT_THAT(app_->UpdateBenefit(upd, {}), StatusIs(absl::StatusCode::kAborted, HasSubstr("version")));
  EXPECT_EQ(Get("bn-1").target(), 25);

  // This replica keeps the benefit it last wrote; another replica (its own store and
  // memory, the same Redis) then measures it. The copy here is stale, so the guarded
  // write is refused and retried from a fresh read: both measurements count.
  ASSERT_TRUE(app_->RecordMeasurement(Measurement("bn-1", 12, 2, 1, "row-1"), {}, "grpc").ok());
  store::RedisBenefitsStore other_store(*pool_, *outbox_, clock_);
  app::BenefitsApp other(other_store, nullptr, app::BenefitsOptions{}, clock_);
  ASSERT_TRUE(other.RecordMeasurement(Measurement("bn-1", 14, 2, 2, "row-2"), {}, "grpc").ok());
  auto third = app_->RecordMeasurement(Measurement("bn-1", 16, 2, 3, "row-3"), {}, "grpc");
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->benefit().version(), 5);
  EXPECT_EQ(third->benefit().realisation().measurement_count(), 3);
}

TEST_F(BenefitsAppTest, AnInitiativeSnapshotRegistersUpdatesAndWithdrawsItsPromisedBenefits) {
  intake::v1::Portfolio portfolio;
  portfolio.set_id("pf-1");
  portfolio.set_currency("EUR");
  PMO_ASSERT_OK(app_->ApplyPortfolio(portfolio, 1));
  PMO_ASSERT_OK(app_->ApplyInitiative(Initiative(intake::v1::STAGE_SUBMITTED), 1, {2027, 3, 1}, {"c-1", "ev-1"}));
  auto conversion = Get("in-1.conversion-rate");
  EXPECT_EQ(conversion.origin(), v1::ORIGIN_SUBMISSION);
  EXPECT_EQ(conversion.version(), 1);
  EXPECT_EQ(conversion.target(), 30);
  EXPECT_FALSE(conversion.has_tracking_opens());
  EXPECT_EQ(Get("in-1.retention").direction(), v1::DIRECTION_INCREASE);
  EXPECT_THAT(OutboxedEvents(), ElementsAre("BenefitChanged in-1.conversion-rate", "BenefitChanged in-1.retention"));
  EXPECT_EQ(Outboxed()[0].causation_id(), "ev-1");

  // A redelivery of version 1, whatever it says, changes nothing.
  intake::v1::Initiative redelivered = Initiative(intake::v1::STAGE_SUBMITTED);
  redelivered.mutable_benefits(0)->set_target(1234);
  PMO_ASSERT_OK(app_->ApplyInitiative(redelivered, 1, {2027, 3, 1}, {}));
  EXPECT_EQ(Get("in-1.conversion-rate").target(), 30);
  EXPECT_EQ(Outboxed().size(), 2u);

  // Version 2: a new target for conversion, retention no longer promised.
  ClearOutbox();
  intake::v1::Initiative updated = Initiative(intake::v1::STAGE_SUBMITTED);
  updated.mutable_benefits(0)->set_target(40);
  updated.mutable_benefits()->RemoveLast();
  PMO_ASSERT_OK(app_->ApplyInitiative(updated, 2, {2027, 3, 2}, {}));
  conversion = Get("in-1.conversion-rate");
  EXPECT_EQ(conversion.target(), 40);
  EXPECT_EQ(conversion.version(), 2);
  EXPECT_TRUE(Get("in-1.retention").removed());
  EXPECT_THAT(OutboxedEvents(), ElementsAre("BenefitChanged in-1.conversion-rate", "BenefitChanged in-1.retention"));

  // Value: conversion is not monetised, the cost is known: 1,000.00 EUR.
  v1::GetInitiativeValueRequest vreq;
  vreq.set_initiative_id("in-1");
  auto value = app_->GetInitiativeValue(vreq);
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(value->currency(), "EUR");
  EXPECT_EQ(value->cost().minor_units(), 100'000);
  EXPECT_EQ(value->benefit_count(), 1) << "the withdrawn benefit no longer counts";

  // Delivered (version 3, same promises) as of an event nine days ago: the tracking
  // window of the promised benefit opens on that day; the withdrawn one stays as it is.
  ClearOutbox();
  intake::v1::Initiative delivered = updated;
  delivered.set_stage(intake::v1::STAGE_DELIVERED);
  PMO_ASSERT_OK(app_->ApplyInitiative(delivered, 3, {2027, 2, 20}, {}));
  conversion = Get("in-1.conversion-rate");
  EXPECT_EQ(OptionalDateFromProto(conversion.tracking_opens()), (calendar::Date{2027, 2, 20}));
  EXPECT_EQ(conversion.version(), 3);
  EXPECT_FALSE(Get("in-1.retention").has_tracking_opens());
  EXPECT_THAT(OutboxedEvents(), ElementsAre("BenefitChanged in-1.conversion-rate"));

  // A benefit created through the API for the delivered initiative starts tracked.
  v1::CreateBenefitRequest late = Creation("bn-late", 1, 2);
  late.mutable_benefit()->set_initiative_id("in-1");
  late.mutable_benefit()->clear_portfolio_id();
  auto created = app_->CreateBenefit(late, {});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->portfolio_id(), "pf-1");
  EXPECT_EQ(OptionalDateFromProto(created->tracking_opens()), (calendar::Date{2027, 2, 20}));
}

TEST_F(BenefitsAppTest, AnInvalidPromiseIsLeftOutWithoutFailingTheOthers) {
  intake::v1::Initiative in = Initiative(intake::v1::STAGE_SUBMITTED);
  in.mutable_benefits(1)->set_target(70);  // equal to its baseline
  PMO_ASSERT_OK(app_->ApplyInitiative(in, 1, {2027, 3, 1}, {}));
  EXPECT_EQ(Get("in-1.conversion-rate").version(), 1);
  v1::GetBenefitRequest get;
  get.set_benefit_id("in-1.retention");
  EXPECT_THAT(app_->GetBenefit(get), StatusIs(absl::StatusCode::kNotFound, HasSubstr("in-1.retention")));
  EXPECT_THAT(OutboxedEvents(), ElementsAre("BenefitChanged in-1.conversion-rate"));
  EXPECT_THAT(app_->ApplyInitiative(in, 0, {2027, 3, 1}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("aggregate_version")));
}

// The consumers on common's router, fed records directly: an ingested measurement without
// a source_id of its own is applied once per event id, an initiative event whose
// envelope carries no version takes the snapshot's, and its occurred-at day opens the
// tracking window.
TEST_F(BenefitsAppTest, ConsumersApplyIngestOncePerEventIdAndIntakeSnapshotsByVersion) {
  EventRouter router;
  consumers::RegisterHandlers(router, *app_);
  EXPECT_THAT(router.Topics(), ElementsAre("pmo.ingest.benefit-measurements.v1", "pmo.intake.events.v1"));
  auto record = [](std::string_view topic, const google::protobuf::Message& payload, const EventMeta& meta,
                   const Clock& clock) {
    KafkaMessage m;
    m.topic = std::string(topic);
    auto env = MakeEnvelope(payload, meta, clock);
    m.key = env.subject();
    m.value = env.SerializeAsString();
    m.headers = CloudEventHeaders(env);
    return m;
  };

  FakeClock delivered_at(absl::FromCivil(absl::CivilDay(2027, 2, 10), absl::UTCTimeZone()));
  intake::v1::InitiativeStageChanged stage;
  *stage.mutable_initiative() = Initiative(intake::v1::STAGE_DELIVERED);
  stage.mutable_initiative()->set_version(4);
  const EventMeta intake_meta{.source = "pmo-intake", .subject = "in-1", .portfolio_id = "pf-1",
                              .aggregate_version = 0, .correlation_id = "c-9", .causation_id = ""};
  PMO_ASSERT_OK(router.Route(record(topics::kIntakeEvents, stage, intake_meta, delivered_at)));
  auto conversion = Get("in-1.conversion-rate");
  EXPECT_EQ(OptionalDateFromProto(conversion.tracking_opens()), (calendar::Date{2027, 2, 10}));
  EXPECT_EQ(Outboxed()[0].correlation_id(), "c-9");
  stage.mutable_initiative()->mutable_benefits(0)->set_target(99);
  PMO_ASSERT_OK(router.Route(record(topics::kIntakeEvents, stage, intake_meta, delivered_at)));
  EXPECT_EQ(Get("in-1.conversion-rate").target(), 30) << "version 4 is held already";

  v1::RecordMeasurementRequest m = Measurement("in-1.conversion-rate", 12, 2, 20, "");
  const EventMeta ingest_meta{.source = "bi-export", .subject = m.benefit_id(), .portfolio_id = "",
                              .aggregate_version = 0, .correlation_id = "", .causation_id = ""};
  const KafkaMessage once = record(topics::kIngestBenefitMeasurements, m, ingest_meta, clock_);
  PMO_ASSERT_OK(router.Route(once));
  PMO_ASSERT_OK(router.Route(once));  // redelivered: the same event id
  PMO_ASSERT_OK(router.Route(record(topics::kIngestBenefitMeasurements, m, ingest_meta, clock_)));  // a new event
  conversion = Get("in-1.conversion-rate");
  EXPECT_EQ(conversion.realisation().measurement_count(), 2);
  EXPECT_EQ(conversion.version(), 3);

  // Anything but a measurement on the ingest topic is refused (and so dead-lettered).
  EXPECT_THAT(router.Route(record(topics::kIngestBenefitMeasurements, stage, ingest_meta, clock_)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("RecordMeasurementRequest")));
}

}  // namespace
}  // namespace pmo::benefits
