// Tests of common/src/envelope.cpp: envelope metadata, CloudEvents headers, payload
// unpacking, and decoding from protobuf or JSON (garbage is refused, not guessed at).
#include <map>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pmo/common/clock.h"
#include "pmo/common/envelope.h"
#include "pmo/common/v1/types.pb.h"
#include "support.h"

namespace pmo {
namespace {

using ::testing::HasSubstr;
using pmo::testing::StatusIs;

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

TEST(Envelope, PayloadTypeIsTheMessageName) {
  common::v1::Quarter q;
  EventMeta meta;
  meta.source = "s";
  auto e = MakeEnvelope(q, meta);
  EXPECT_EQ(PayloadType(e), "pmo.common.v1.Quarter");
}

}  // namespace
}  // namespace pmo
