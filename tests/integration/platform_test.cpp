// The platform's guarantees end to end, with a real redis-server, pmo-devbroker, the
// pmo-testsvc process on the common service host, and kcat as an independent client:
//  (a) outbox → consumer is exactly-once from the consumer's view even when the relay
//      dies between Kafka's acknowledgement and removing the entry (failpoint), and
//      another relay takes the entry over; the duplicate is published and suppressed by
//      idempotent apply;
//  (b) a poison record is dead-lettered with its reason and the next record is handled;
//  (c) with the partition leader down for 5 s writes keep succeeding, the outbox holds
//      the events, and all are published in order per key once the broker is back;
//  (d) kcat reads a published event with its CloudEvents headers;
//  (e) health is NOT_SERVING while Redis is down, SERVING after, and SIGTERM exits 0
//      within the bound.
#include <signal.h>

#include <httplib.h>

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/common/failpoint.h"
#include "pmo/common/kafka.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/testing/v1/widgets.grpc.pb.h"
#include "support.h"

namespace pmo {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using pmo::testing::WaitFor;
using pmo::testing::v1::PutWidgetRequest;
using pmo::testing::v1::Widget;
using pmo::testing::v1::WidgetChanged;

constexpr char kTopic[] = "pmo.testing.events.v1";

class PlatformTest : public ::testing::Test {
 protected:
  PlatformTest() : broker_(3, 3, {kTopic}), metrics_("pmo-test-consumer") {
    RedisPool::Options o;
    o.endpoint.port = redis_.port();
    pool_ = std::make_unique<RedisPool>(o);
  }

  std::unique_ptr<pmo::testing::ServiceProcess> StartService(std::map<std::string, std::string> env = {}) {
    env.try_emplace("PMO_RELAY_NAME", "relay-a");
    return std::make_unique<pmo::testing::ServiceProcess>(PMO_TESTSVC_BIN, redis_.url(), broker_.bootstrap(), env,
                                                          log_dir_.path() / ("svc-" + std::to_string(++starts_) + ".log"));
  }

  static std::unique_ptr<pmo::testing::v1::WidgetService::Stub> Stub(const std::string& target) {
    return pmo::testing::v1::WidgetService::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()));
  }

  static grpc::Status Put(pmo::testing::v1::WidgetService::Stub& stub, const std::string& id, int64_t expected,
                          Widget* out = nullptr, const std::string& portfolio = "p1") {
    PutWidgetRequest req;
    req.mutable_widget()->set_id(id);
    req.mutable_widget()->set_portfolio_id(portfolio);
    req.mutable_widget()->set_name("widget " + id);
    req.set_expected_version(expected);
    Widget w;
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 5s);
    auto s = stub.PutWidget(&ctx, req, &w);
    if (out) *out = w;
    return s;
  }

  int64_t OutboxLen() {
    auto r = pool_->Command({"XLEN", "pmo:testsvc:outbox"});
    return r.ok() ? r->integer() : -1;
  }

  std::unique_ptr<Producer> MakeProducer() {
    ProducerOptions po;
    po.brokers = broker_.bootstrap();
    auto p = Producer::Create(po);
    EXPECT_TRUE(p.ok()) << p.status();
    return std::move(*p);
  }

  pmo::testing::TempDir log_dir_;
  pmo::testing::RedisServer redis_;
  pmo::testing::DevBroker broker_;
  std::unique_ptr<RedisPool> pool_;
  Metrics metrics_;
  int starts_ = 0;
};

// A read model fed by WidgetChanged events: applies a snapshot only if its version is
// newer, in one atomic step, and counts what it applied and what it suppressed.
struct WidgetReadModel {
  RedisPool& redis;
  Outbox store{redis, "pmo:readmodel:unused-outbox"};
  std::atomic<int> applied{0}, suppressed{0};

  absl::Status Handle(const KafkaMessage& msg) {
    auto env = DecodeEnvelope(msg);
    if (!env.ok()) return env.status();
    auto changed = UnpackPayload<WidgetChanged>(*env);
    if (!changed.ok()) return changed.status();
    std::string key = "rm:widget:" + changed->widget().id();
    AtomicWrite w;
    w.SkipUnlessNewer(key, "version", env->aggregate_version())
        .Command({"HSET", key, "version", std::to_string(env->aggregate_version()), "name", changed->widget().name()});
    auto r = store.Commit(w);
    if (!r.ok()) return r.status();
    (*r == WriteResult::kApplied ? applied : suppressed)++;
    return absl::OkStatus();
  }
};

TEST_F(PlatformTest, A_RelayKilledBetweenKafkaAckAndRemovalPublishesAgainAndConsumerAppliesOnce) {
  auto svc = StartService({{"PMO_FAILPOINTS", "relay.after_ack_before_xdel"}});
  auto stub = Stub(svc->target());
  Widget w;
  ASSERT_TRUE(Put(*stub, "w-a", 0, &w).ok());
  EXPECT_EQ(w.version(), 1);

  // The relay publishes, Kafka acknowledges, and the process dies before removing the entry.
  auto code = svc->process().WaitExit(20s);
  ASSERT_TRUE(code.has_value()) << svc->process().Log();
  EXPECT_EQ(*code, kFailpointExitCode);
  EXPECT_EQ(pmo::testing::ReadTopic(broker_.bootstrap(), kTopic, 1, 10s).size(), 1u);
  EXPECT_EQ(OutboxLen(), 1) << "the acknowledged entry must still be in the outbox";

  // The same relay instance restarts, reads the stream from its start and publishes it again.
  auto svc2 = StartService();
  ASSERT_TRUE(WaitFor([&] { return OutboxLen() == 0; }, 20s)) << svc2->process().Log();
  auto records = pmo::testing::ReadTopic(broker_.bootstrap(), kTopic, 3, 3s);
  ASSERT_EQ(records.size(), 2u) << "published exactly twice: once before the crash, once after";
  EXPECT_EQ(records[0].key, "w-a");
  EXPECT_EQ(records[0].value, records[1].value) << "the same event, published twice";

  // The consumer sees both and applies one.
  WidgetReadModel model{*pool_};
  ConsumerOptions co;
  co.brokers = broker_.bootstrap();
  co.group_id = "readmodel-a";
  co.topics = {kTopic};
  co.metrics = &metrics_;
  auto dlq = MakeProducer();
  auto consumer = Consumer::Create(co, [&](const KafkaMessage& m) { return model.Handle(m); }, dlq.get());
  ASSERT_TRUE(consumer.ok()) << consumer.status();
  (*consumer)->Start();
  ASSERT_TRUE(WaitFor([&] { return (*consumer)->handled() >= 2; }, 30s));
  EXPECT_EQ(model.applied.load(), 1);
  EXPECT_EQ(model.suppressed.load(), 1);
  EXPECT_EQ(pool_->Command({"HGET", "rm:widget:w-a", "version"})->str(), "1");
  (*consumer)->Stop(2s);
}

TEST_F(PlatformTest, A2_AnotherRelayTakesOverADeadRelaysEntriesAfterItsLeaseExpires) {
  auto svc = StartService({{"PMO_FAILPOINTS", "relay.after_ack_before_xdel"}, {"PMO_OUTBOX_LEASE_MS", "1000"}});
  auto stub = Stub(svc->target());
  ASSERT_TRUE(Put(*stub, "w-a2", 0).ok());
  ASSERT_TRUE(svc->process().WaitExit(20s).has_value());
  ASSERT_EQ(OutboxLen(), 1);
  // A different instance: it waits for relay-a's lease to expire, then reads the stream
  // from its start and publishes what relay-a left there.
  auto other = StartService({{"PMO_RELAY_NAME", "relay-b"}, {"PMO_OUTBOX_LEASE_MS", "1000"}});
  ASSERT_TRUE(WaitFor([&] { return OutboxLen() == 0; }, 20s)) << other->process().Log();
  auto records = pmo::testing::ReadTopic(broker_.bootstrap(), kTopic, 3, 3s);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].value, records[1].value) << "relay-b published the event relay-a left behind";
}

TEST_F(PlatformTest, B_PoisonRecordIsDeadLetteredWithItsReasonAndTheNextIsHandled) {
  auto producer = MakeProducer();
  const std::string topic(topics::kIngestProgress);
  PMO_ASSERT_OK(producer->ProduceSync(topic, "k1", "\x08\x96\x01 this is not an envelope \xff", {}));
  Widget widget;
  widget.set_id("w-b");
  WidgetChanged good;
  *good.mutable_widget() = widget;
  auto env = MakeEnvelope(good, {.source = "test", .subject = "k1", .portfolio_id = "", .aggregate_version = 1,
                                 .correlation_id = "", .causation_id = ""});
  PMO_ASSERT_OK(producer->ProduceSync(topic, "k1", env.SerializeAsString(), CloudEventHeaders(env)));

  std::atomic<int> attempts_on_poison{0};
  std::vector<std::string> handled_ids;
  std::mutex mu;
  ConsumerOptions co;
  co.brokers = broker_.bootstrap();
  co.group_id = "ingest-b";
  co.topics = {topic};
  co.max_attempts = 3;
  co.metrics = &metrics_;
  auto consumer = Consumer::Create(
      co,
      [&](const KafkaMessage& m) -> absl::Status {
        auto e = DecodeEnvelope(m);
        if (!e.ok()) {
          ++attempts_on_poison;
          return e.status();
        }
        std::lock_guard lock(mu);
        handled_ids.push_back(e->event_id());
        return absl::OkStatus();
      },
      producer.get());
  ASSERT_TRUE(consumer.ok());
  (*consumer)->Start();
  ASSERT_TRUE(WaitFor([&] { return (*consumer)->handled() >= 2; }, 30s));
  EXPECT_EQ(attempts_on_poison.load(), 3) << "bounded retries before dead-lettering";
  {
    std::lock_guard lock(mu);
    EXPECT_THAT(handled_ids, ::testing::ElementsAre(env.event_id()));
  }
  (*consumer)->Stop(2s);

  // What other systems see on the dead-letter topic, read with kcat.
  auto out = pmo::testing::Run(std::string(PMO_KCAT_BIN) + " -C -b " + broker_.bootstrap() + " -t " +
                               std::string(topics::kDeadLetter) + " -o beginning -e -q -f '%k|%h\\n'");
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_THAT(out.output, HasSubstr("k1|"));
  EXPECT_THAT(out.output, HasSubstr("pmo_dlq_reason=INVALID_ARGUMENT: record is not a protobuf envelope"));
  EXPECT_THAT(out.output, HasSubstr("pmo_dlq_source_topic=" + topic));
  EXPECT_THAT(out.output, HasSubstr("pmo_dlq_attempts=3"));
  EXPECT_THAT(out.output, HasSubstr("pmo_dlq_consumer_group=ingest-b"));
  EXPECT_EQ(std::count(out.output.begin(), out.output.end(), '\n'), 1) << "exactly one dead letter: " << out.output;
  // Metrics are behaviour: the dead letter is counted.
  EXPECT_THAT(metrics_.Scrape(),
              HasSubstr("pmo_events_dead_lettered_total{service=\"pmo-test-consumer\",topic=\"pmo.ingest.progress.v1\"} 1"));
}

TEST_F(PlatformTest, C_LeaderDownFiveSecondsWritesSucceedOutboxHoldsEventsThenAllPublishedInOrder) {
  // Entries stay in flight for seconds: the relay must not read them again while they
  // are (that would publish them twice, out of order).
  auto svc = StartService();
  auto stub = Stub(svc->target());
  ASSERT_TRUE(Put(*stub, "warmup", 0).ok());
  ASSERT_TRUE(WaitFor([&] { return OutboxLen() == 0; }, 20s)) << "relay publishes the warm-up event";

  ASSERT_EQ(broker_.Control(std::string("leader ") + kTopic + " * 1"), "ok");
  ASSERT_EQ(broker_.Control("down 1"), "ok");
  const std::vector<std::string> keys = {"k0", "k1", "k2", "k3", "k4"};
  std::map<std::string, int64_t> version;
  int writes = 0;
  int64_t max_backlog = 0;
  auto down_until = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < down_until) {
    const auto& key = keys[writes % keys.size()];
    Widget w;
    grpc::Status s = Put(*stub, key, version[key], &w);
    ASSERT_TRUE(s.ok()) << "write " << writes << " failed while the broker was down: " << s.error_message();
    version[key] = w.version();
    ++writes;
    max_backlog = std::max(max_backlog, OutboxLen());
    std::this_thread::sleep_for(50ms);  // pacing the writers, not waiting for a condition
  }
  EXPECT_GE(writes, 20);
  EXPECT_GT(max_backlog, 0) << "the outbox holds the events while the leader is down";
  EXPECT_GT(OutboxLen(), 0);
  ASSERT_EQ(broker_.Control("up 1"), "ok");

  ASSERT_TRUE(WaitFor([&] { return OutboxLen() == 0; }, 60s)) << "backlog " << OutboxLen();
  auto records = pmo::testing::ReadTopic(broker_.bootstrap(), kTopic, writes + 1, 30s);
  std::map<std::string, std::vector<int64_t>> seen;
  for (const auto& r : records) {
    events::v1::Envelope e;
    ASSERT_TRUE(e.ParseFromString(r.value));
    if (r.key == "warmup") continue;
    seen[r.key].push_back(e.aggregate_version());
  }
  int total = 0;
  for (const auto& key : keys) {
    std::vector<int64_t> expected;
    for (int64_t v = 1; v <= version[key]; ++v) expected.push_back(v);
    EXPECT_EQ(seen[key], expected) << "events of " << key << " in order, each once";
    total += static_cast<int>(seen[key].size());
  }
  EXPECT_EQ(total, writes);
  std::printf("[ figures ] %d writes during 5 s leader outage, max outbox backlog %lld, all published in order\n",
              writes, static_cast<long long>(max_backlog));
}

TEST_F(PlatformTest, D_KcatSeesCloudEventsHeadersAndErrorsCarryDetails) {
  auto svc = StartService();
  auto stub = Stub(svc->target());
  ASSERT_TRUE(Put(*stub, "w-d", 0).ok());
  ASSERT_TRUE(WaitFor([&] { return OutboxLen() == 0; }, 20s));
  auto out = pmo::testing::Run(std::string(PMO_KCAT_BIN) + " -C -b " + broker_.bootstrap() + " -t " + kTopic +
                               " -o beginning -e -q -f '%k|%h\\n'");
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_THAT(out.output, HasSubstr("w-d|"));
  EXPECT_THAT(out.output, HasSubstr("ce_specversion=1.0"));
  EXPECT_THAT(out.output, HasSubstr("ce_type=pmo.testing.v1.WidgetChanged"));
  EXPECT_THAT(out.output, HasSubstr("ce_source=pmo-testsvc"));
  EXPECT_THAT(out.output, HasSubstr("ce_subject=w-d"));
  EXPECT_THAT(out.output, HasSubstr("ce_id="));
  EXPECT_THAT(out.output, HasSubstr("ce_time=20"));
  EXPECT_THAT(out.output, HasSubstr("content-type=application/protobuf"));

  // A stale version answers ABORTED; bad input answers INVALID_ARGUMENT with BadRequest.
  EXPECT_THAT(Put(*stub, "w-d", 0), pmo::testing::GrpcStatusIs(grpc::StatusCode::ABORTED, HasSubstr("w-d")));
  grpc::Status bad = Put(*stub, "", -1, nullptr, "");
  ASSERT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(bad.error_details()));
  google::rpc::BadRequest br;
  ASSERT_TRUE(details.details(0).UnpackTo(&br));
  std::vector<std::string> fields;
  for (const auto& v : br.field_violations()) fields.push_back(v.field());
  EXPECT_THAT(fields, ::testing::ElementsAre("widget.id", "widget.portfolio_id", "expected_version"));

  // The call metrics and the correlation id echo.
  grpc::ClientContext ctx;
  ctx.AddMetadata("x-correlation-id", "corr-d-1");
  pmo::testing::v1::GetWidgetRequest get;
  get.set_id("w-d");
  get.set_portfolio_id("p1");
  Widget w;
  ASSERT_TRUE(stub->GetWidget(&ctx, get, &w).ok());
  auto echoed = ctx.GetServerInitialMetadata().find("x-correlation-id");
  ASSERT_NE(echoed, ctx.GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(echoed->second.data(), echoed->second.size()), "corr-d-1");
  httplib::Client http("127.0.0.1", svc->metrics_port());
  auto res = http.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_THAT(res->body, HasSubstr("grpc_code=\"ABORTED\",grpc_method=\"PutWidget\","
                                   "grpc_service=\"pmo.testing.v1.WidgetService\""));
  EXPECT_THAT(res->body, HasSubstr("grpc_code=\"OK\",grpc_method=\"PutWidget\",grpc_service=\"pmo.testing.v1.WidgetService\",le="));
  EXPECT_THAT(res->body, HasSubstr("pmo_events_published_total{service=\"pmo-testsvc\",topic=\"pmo.testing.events.v1\"}"));
}

TEST_F(PlatformTest, E_HealthFollowsRedisAndSigtermExitsZeroWithinBound) {
  auto svc = StartService({{"PMO_SHUTDOWN_TIMEOUT_MS", "5000"}});
  auto health = grpc::health::v1::Health::NewStub(grpc::CreateChannel(svc->target(), grpc::InsecureChannelCredentials()));
  auto status = [&] {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 2s);
    grpc::health::v1::HealthCheckRequest req;
    grpc::health::v1::HealthCheckResponse resp;
    auto s = health->Check(&ctx, req, &resp);
    return s.ok() ? resp.status() : grpc::health::v1::HealthCheckResponse::UNKNOWN;
  };
  using HS = grpc::health::v1::HealthCheckResponse;
  ASSERT_TRUE(WaitFor([&] { return status() == HS::SERVING; }, 20s)) << svc->process().Log();
  redis_.Stop();
  ASSERT_TRUE(WaitFor([&] { return status() == HS::NOT_SERVING; }, 10s)) << "NOT_SERVING while Redis is down";
  redis_.Start();
  ASSERT_TRUE(WaitFor([&] { return status() == HS::SERVING; }, 15s)) << "SERVING once Redis is back";
  auto stub = Stub(svc->target());
  ASSERT_TRUE(Put(*stub, "after-restart", 0).ok());

  // SIGTERM while the broker is unreachable and an event is still unacknowledged: the
  // process exits 0 within its bound and the event waits in the outbox.
  for (int b = 1; b <= 3; ++b) ASSERT_EQ(broker_.Control("down " + std::to_string(b)), "ok");
  ASSERT_TRUE(Put(*stub, "during-outage", 0).ok());
  auto start = std::chrono::steady_clock::now();
  svc->process().Signal(SIGTERM);
  auto code = svc->process().WaitExit(8s);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  ASSERT_TRUE(code.has_value()) << "still running after SIGTERM";
  EXPECT_EQ(*code, 0) << svc->process().Log();
  EXPECT_LT(elapsed, 5000ms);
  EXPECT_THAT(svc->process().Log(), HasSubstr("shutdown complete"));
  EXPECT_GE(OutboxLen(), 1) << "the unpublished event is kept for the next start";
  std::printf("[ figures ] SIGTERM to exit: %lld ms (bound 5000 ms)\n", static_cast<long long>(elapsed.count()));
}

}  // namespace
}  // namespace pmo
