// Unit tests of the common layer's pure parts: errors and their gRPC mapping, config,
// JSON logs, envelopes and CloudEvents headers, Redis URLs, outbox encoding, metrics.
#include <cstdlib>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pmo/common/clock.h"
#include "pmo/common/config.h"
#include "pmo/common/envelope.h"
#include "pmo/base/errors.h"
#include "pmo/common/grpc_status.h"
#include "pmo/common/log.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/common/v1/types.pb.h"
#include "support.h"

namespace pmo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using pmo::testing::StatusIs;

TEST(Errors, ViolationsCollectEveryProblemAndTravelAsPayload) {
  Violations v;
  EXPECT_TRUE(v.ToStatus().ok());
  v.Add("title", "must not be empty");
  v.Add("benefits[1].target", "must differ from the baseline");
  absl::Status s = v.ToStatus("invalid initiative");
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("title: must not be empty")));
  EXPECT_THAT(std::string(s.message()), HasSubstr("benefits[1].target: must differ from the baseline"));
  EXPECT_THAT(ViolationsOf(s), ElementsAre(FieldViolation{"title", "must not be empty"},
                                           FieldViolation{"benefits[1].target", "must differ from the baseline"}));
}

TEST(Errors, PreconditionFailuresListEveryUnmetCondition) {
  absl::Status s = FailedPrecondition("gate refused", {{"NO_KEY_RESULT", "init-1", "no measurable key result linked"},
                                                       {"NO_BENEFIT", "init-1", "no benefit with a target"}});
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no measurable key result linked")));
  EXPECT_THAT(std::string(s.message()), HasSubstr("no benefit with a target"));
  auto list = PreconditionViolationsOf(s);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].type, "NO_BENEFIT");
  EXPECT_EQ(list[1].subject, "init-1");
}

TEST(GrpcStatus, BadRequestDetailsDecodeWithTheStandardMessages) {
  Violations v;
  v.Add("title", "too long");
  v.Add("cost[0].amount", "must not be negative");
  grpc::Status g = ToGrpcStatus(v.ToStatus("bad"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status st;
  ASSERT_TRUE(st.ParseFromString(g.error_details()));
  EXPECT_EQ(st.code(), 3);
  ASSERT_EQ(st.details_size(), 1);
  google::rpc::BadRequest br;
  ASSERT_TRUE(st.details(0).UnpackTo(&br));
  ASSERT_EQ(br.field_violations_size(), 2);
  EXPECT_EQ(br.field_violations(1).field(), "cost[0].amount");
  EXPECT_EQ(br.field_violations(1).description(), "must not be negative");

  absl::Status back = FromGrpcStatus(g);
  EXPECT_THAT(back, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too long")));
  EXPECT_EQ(ViolationsOf(back).size(), 2u);
}

TEST(GrpcStatus, CodesMapOneToOne) {
  for (auto code : {absl::StatusCode::kNotFound, absl::StatusCode::kAborted, absl::StatusCode::kFailedPrecondition,
                    absl::StatusCode::kUnavailable, absl::StatusCode::kInternal}) {
    grpc::Status g = ToGrpcStatus(absl::Status(code, "x"));
    EXPECT_EQ(static_cast<int>(g.error_code()), static_cast<int>(code));
    EXPECT_TRUE(g.error_details().empty());
    EXPECT_EQ(FromGrpcStatus(g).code(), code);
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(GrpcStatus, CodeNamesAreTheCanonicalOnes) {
  EXPECT_EQ(CodeName(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(CodeName(grpc::StatusCode::INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_EQ(CodeName(grpc::StatusCode::FAILED_PRECONDITION), "FAILED_PRECONDITION");
  EXPECT_EQ(CodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(CodeName(static_cast<grpc::StatusCode>(42)), "CODE_42");
}

TEST(GrpcStatus, PreconditionFailureDetail) {
  grpc::Status g = ToGrpcStatus(FailedPrecondition("refused", {{"CAPACITY", "2027Q1", "budget exceeded"}}));
  google::rpc::Status st;
  ASSERT_TRUE(st.ParseFromString(g.error_details()));
  google::rpc::PreconditionFailure pf;
  ASSERT_TRUE(st.details(0).UnpackTo(&pf));
  EXPECT_EQ(pf.violations(0).type(), "CAPACITY");
  EXPECT_EQ(pf.violations(0).subject(), "2027Q1");
}

class ConfigTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (auto* n : {"PMO_GRPC_PORT", "PMO_REDIS_URL", "PMO_LOG_LEVEL", "PMO_KAFKA_BROKERS", "PMO_KAFKA_LINGER_MS"})
      unsetenv(n);
  }
  static absl::StatusOr<ServiceConfig> Load(std::vector<const char*> args) {
    args.insert(args.begin(), "svc");
    ServiceConfig d;
    d.service_name = "pmo-test";
    return LoadConfig(static_cast<int>(args.size()), args.data(), d);
  }
};

TEST_F(ConfigTest, DefaultsWorkLocally) {
  auto c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->redis_url, "redis://127.0.0.1:6379/0");
  EXPECT_EQ(c->consumer_group, "pmo-test");
  EXPECT_EQ(c->kafka_linger_ms, 5);
}

TEST_F(ConfigTest, EnvironmentThenFlagsWin) {
  setenv("PMO_GRPC_PORT", "7001", 1);
  setenv("PMO_REDIS_URL", "redis://10.0.0.1:6380/2", 1);
  auto c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->grpc_port, 7001);
  EXPECT_EQ(c->redis_url, "redis://10.0.0.1:6380/2");
  c = Load({"--grpc-port", "7002", "--kafka-linger-ms", "0"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->grpc_port, 7002);
  EXPECT_EQ(c->kafka_linger_ms, 0);
}

TEST_F(ConfigTest, InvalidValuesAreAllListed) {
  setenv("PMO_REDIS_URL", "http://x", 1);
  setenv("PMO_LOG_LEVEL", "loud", 1);
  setenv("PMO_KAFKA_LINGER_MS", "5000", 1);
  auto c = Load({"--grpc-port", "70000", "--shutdown-timeout-ms", "0"});
  ASSERT_THAT(c, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("grpc_port")));
  std::vector<std::string> fields;
  for (auto& v : ViolationsOf(c.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("grpc_port", "redis_url", "log_level", "shutdown_timeout_ms",
                                                      "kafka_linger_ms"));
}

TEST_F(ConfigTest, UnknownFlagIsRefused) {
  EXPECT_THAT(Load({"--no-such-flag"}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no-such-flag")));
}

TEST(Log, LinesAreJsonWithEscapedMessageAndFields) {
  std::string line = log::FormatLine("2027-01-01T00:00:00.000Z", "info", "pmo-intake", "quote \" and\nnewline",
                                     {{"topic", "t"}, {"count", 3}}, "corr-1");
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["msg"], "quote \" and\nnewline");
  EXPECT_EQ(j["service"], "pmo-intake");
  EXPECT_EQ(j["correlation_id"], "corr-1");
  EXPECT_EQ(j["count"], 3);
}

TEST(Log, WriteEmitsOneJsonObjectPerLine) {
  log::Init("pmo-logtest", "info");
  ::testing::internal::CaptureStderr();
  log::SetThreadCorrelationId("abc");
  log::Info("relay started", {{"stream", "pmo:x:outbox"}});
  spdlog::default_logger_raw()->info("plain text with \"quotes\"");
  log::Debug("not shown at info");
  log::SetThreadCorrelationId("");
  spdlog::default_logger_raw()->flush();
  std::string out = ::testing::internal::GetCapturedStderr();
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);) lines.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(lines.size(), 2u) << out;
  EXPECT_EQ(lines[0]["msg"], "relay started");
  EXPECT_EQ(lines[0]["stream"], "pmo:x:outbox");
  EXPECT_EQ(lines[0]["correlation_id"], "abc");
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_EQ(lines[0]["service"], "pmo-logtest");
  EXPECT_EQ(lines[1]["msg"], "plain text with \"quotes\"");
}

TEST(Envelope, CarriesMetadataAndCloudEventsHeaders) {
  FakeClock clock(absl::FromUnixSeconds(1'900'000'000));
  common::v1::Money m;
  m.set_currency("EUR");
  m.set_minor_units(1250);
  auto e = MakeEnvelope(m, {.source = "pmo-test", .subject = "agg-1", .portfolio_id = "p-1", .aggregate_version = 7,
                            .correlation_id = "corr", .causation_id = "cause"},
                        clock);
  EXPECT_EQ(e.type(), "pmo.common.v1.Money");
  EXPECT_EQ(e.subject(), "agg-1");
  EXPECT_EQ(e.aggregate_version(), 7);
  EXPECT_EQ(e.occurred_at().seconds(), 1'900'000'000);
  EXPECT_EQ(e.event_id().size(), 36u);
  EXPECT_NE(e.event_id(), MakeEnvelope(m, {}, clock).event_id());
  auto h = CloudEventHeaders(e);
  std::map<std::string, std::string> hm(h.begin(), h.end());
  EXPECT_EQ(hm["ce_specversion"], "1.0");
  EXPECT_EQ(hm["ce_id"], e.event_id());
  EXPECT_EQ(hm["ce_type"], "pmo.common.v1.Money");
  EXPECT_EQ(hm["ce_source"], "pmo-test");
  EXPECT_EQ(hm["ce_subject"], "agg-1");
  EXPECT_EQ(hm["ce_time"], "2030-03-17T17:46:40Z");
  EXPECT_EQ(hm["content-type"], "application/protobuf");
  EXPECT_EQ(hm["pmo_aggregate_version"], "7");
  auto payload = UnpackPayload<common::v1::Money>(e);
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(payload->minor_units(), 1250);
  EXPECT_THAT(UnpackPayload<common::v1::Quarter>(e), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("Money")));
}

TEST(Envelope, DecodesProtobufAndJsonAndRefusesGarbage) {
  common::v1::Quarter q;
  q.set_year(2027);
  q.set_quarter(2);
  auto e = MakeEnvelope(q, {.source = "s", .subject = "x", .portfolio_id = "", .aggregate_version = 1,
                            .correlation_id = "", .causation_id = ""});
  KafkaMessage pb{.topic = "t", .partition = 0, .offset = 0, .key = "x", .value = e.SerializeAsString(),
                  .headers = {}, .timestamp_ms = 0};
  auto d = DecodeEnvelope(pb);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->event_id(), e.event_id());

  KafkaMessage js = pb;
  js.value = ToJson(e);
  js.headers = {{"content-type", "application/json"}};
  d = DecodeEnvelope(js);
  ASSERT_TRUE(d.ok()) << d.status() << " " << js.value;
  EXPECT_EQ(UnpackPayload<common::v1::Quarter>(*d)->quarter(), 2);

  KafkaMessage bad = pb;
  bad.value = "\xff\xff not a protobuf";
  EXPECT_THAT(DecodeEnvelope(bad), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("envelope")));
  bad.headers = {{"content-type", "application/json"}};
  bad.value = "{\"event_id\": 12, ";
  EXPECT_THAT(DecodeEnvelope(bad), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("JSON")));
}

TEST(RedisUrl, ParsesAndRefuses) {
  auto ep = ParseRedisUrl("redis://:s3cret@cache.local:6380/3");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->host, "cache.local");
  EXPECT_EQ(ep->port, 6380);
  EXPECT_EQ(ep->db, 3);
  EXPECT_EQ(ep->password, "s3cret");
  ep = ParseRedisUrl("redis://localhost");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->port, 6379);
  EXPECT_EQ(ep->db, 0);
  EXPECT_THAT(ParseRedisUrl("tcp://x:1"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("redis://")));
  EXPECT_THAT(ParseRedisUrl("redis://x:99999"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("port")));
  EXPECT_THAT(ParseRedisUrl("redis://x:1/abc"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("database")));
}

TEST(AtomicWrite, EncodesGuardsCommandsAndEventsInOrder) {
  AtomicWrite w;
  w.ExpectField("k1", "version", "3").Command({"HSET", "k1", "version", "4"}).Publish({"topic", "key", "value"});
  std::vector<std::string> keys, args;
  w.Encode("stream", keys, args);
  EXPECT_THAT(keys, ElementsAre("k1", "k1", "stream"));
  EXPECT_THAT(args, ElementsAre("1", "eq", "k1", "version", "3", "ABORTED", "", "1", "4", "HSET", "k1", "version", "4",
                                "stream", "1", "topic", "key", "value"));
}

TEST(Metrics, ExposesTheCommonFamilies) {
  Metrics m("pmo-test");
  m.events_published.Add({{"topic", "t"}}).Increment();
  m.grpc_handled.Add({{"grpc_service", "s"}, {"grpc_method", "m"}, {"grpc_code", "OK"}}).Increment();
  std::string text = m.Scrape();
  EXPECT_THAT(text, HasSubstr("pmo_events_published_total{service=\"pmo-test\",topic=\"t\"} 1"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{"));
  EXPECT_THAT(text, HasSubstr("grpc_code=\"OK\""));
}

TEST(Uuid, IsVersion4) {
  std::string id = NewUuid();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
}

}  // namespace
}  // namespace pmo
