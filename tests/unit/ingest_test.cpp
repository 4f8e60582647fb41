// Tests of common/src/ingest.cpp and common/src/json_payload.cpp: an ingest record is
// read as today's envelope, as CloudEvents binary mode (the payload itself, protobuf or
// JSON, with ce_* headers) or structured mode; the idempotency key is ce_id, else the
// payload's source_id, else the record is refused; every wrong field is named.
#include "pmo/common/ingest.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "pmo/base/errors.h"
#include "pmo/common/envelope.h"
#include "pmo/common/json_payload.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/okr.pb.h"
#include "support.h"

namespace pmo {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using pmo::testing::StatusIs;

KafkaMessage Record(std::string value, Headers headers) {
  KafkaMessage m;
  m.topic = "pmo.ingest.kr-checkins.v1";
  m.value = std::move(value);
  m.headers = std::move(headers);
  return m;
}

okr::v1::CheckInRequest CheckIn() {
  okr::v1::CheckInRequest c;
  c.set_key_result_id("kr-1");
  c.set_value(42);
  c.mutable_as_of()->set_year(2026);
  c.mutable_as_of()->set_month(12);
  c.mutable_as_of()->set_day(1);
  return c;
}

okr::v1::CheckInRequest Payload(const events::v1::Envelope& envelope) {
  okr::v1::CheckInRequest out;
  EXPECT_TRUE(envelope.payload().UnpackTo(&out)) << envelope.payload().type_url();
  return out;
}

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> out;
  for (const auto& v : ViolationsOf(status)) out.push_back(v.field);
  return out;
}

const okr::v1::CheckInRequest& kPrototype = okr::v1::CheckInRequest::default_instance();

TEST(Ingest, TodaysEnvelopeIsReadAsItIs) {
  auto envelope = MakeEnvelope(CheckIn(), {.source = "etl", .subject = "kr-1", .portfolio_id = "",
                                            .aggregate_version = 0, .correlation_id = "", .causation_id = ""});
  auto decoded = DecodeIngestRecord(Record(envelope.SerializeAsString(), CloudEventHeaders(envelope)), kPrototype);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->event_id(), envelope.event_id());
  EXPECT_EQ(Payload(*decoded).value(), 42);
}

TEST(Ingest, BinaryModeJsonWithCloudEventsHeaders) {
  auto decoded = DecodeIngestRecord(
      Record(R"({"keyResultId": "kr-1", "value": 42, "asOf": "2026-12-01", "confidence": 0.7})",
             {{"content-type", "application/json; charset=utf-8"},
              {"ce_specversion", "1.0"},
              {"ce_id", "jira-77"},
              {"ce_type", "pmo.okr.v1.CheckInRequest"},
              {"ce_source", "jira-automation"},
              {"ce_time", "2026-12-01T09:30:00Z"}}),
      kPrototype);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->event_id(), "jira-77");
  EXPECT_EQ(decoded->source(), "jira-automation");
  EXPECT_EQ(decoded->type(), "pmo.okr.v1.CheckInRequest");
  EXPECT_EQ(decoded->occurred_at().seconds(), 1796117400);
  const auto c = Payload(*decoded);
  EXPECT_EQ(c.key_result_id(), "kr-1");
  EXPECT_EQ(c.value(), 42);
  EXPECT_EQ(c.confidence(), 0.7);
  EXPECT_EQ(c.as_of().month(), 12);
  EXPECT_EQ(c.as_of().day(), 1);
}

TEST(Ingest, BinaryModeProtobuf) {
  auto decoded = DecodeIngestRecord(
      Record(CheckIn().SerializeAsString(), {{"content-type", "application/protobuf"}, {"ce_id", "fin-1"}}), kPrototype);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->event_id(), "fin-1");
  EXPECT_EQ(Payload(*decoded).key_result_id(), "kr-1");
}

// A progress report's protobuf bytes also parse as an Envelope with a nonsense type: it
// must still be read as the payload it is.
TEST(Ingest, BinaryModeProtobufThatLooksLikeAnEnvelopeIsReadAsThePayload) {
  intake::v1::ReportProgressRequest report;
  report.set_initiative_id("crm");
  report.mutable_report()->set_percent_complete(40);
  report.mutable_report()->mutable_as_of()->set_year(2026);
  KafkaMessage record = Record(report.SerializeAsString(), {{"ce_id", "p-1"}});
  record.topic = "pmo.ingest.progress.v1";
  auto decoded = DecodeIngestRecord(record, intake::v1::ReportProgressRequest::default_instance());
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  intake::v1::ReportProgressRequest out;
  ASSERT_TRUE(decoded->payload().UnpackTo(&out));
  EXPECT_EQ(out.initiative_id(), "crm");
  EXPECT_EQ(out.report().percent_complete(), 40);
}

TEST(Ingest, WithoutCeIdTheSourceIdIsTheKeyAndWithNeitherTheRecordIsRefused) {
  auto with_source = DecodeIngestRecord(
      Record(R"({"keyResultId": "kr-1", "value": 1, "sourceId": "row-9"})", {{"content-type", "application/json"}}),
      kPrototype);
  ASSERT_TRUE(with_source.ok()) << with_source.status();
  EXPECT_EQ(with_source->event_id(), "row-9");
  EXPECT_THAT(
      DecodeIngestRecord(Record(R"({"keyResultId": "kr-1", "value": 1})", {{"content-type", "application/json"}}),
                         kPrototype),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ce_id: is required")));
}

TEST(Ingest, EveryWrongFieldIsNamed) {
  auto decoded = DecodeIngestRecord(
      Record(R"({"keyResultId": 5, "value": "lots", "asOf": "yesterday", "colour": "red", "confidence": true})",
             {{"content-type", "application/json"}, {"ce_id", "x"}}),
      kPrototype);
  EXPECT_THAT(decoded, StatusIs(absl::StatusCode::kInvalidArgument,
                                AllOf(HasSubstr("keyResultId: must be a string, got a number"),
                                      HasSubstr("value: must be a number, got \"lots\""),
                                      HasSubstr("asOf: must be a date yyyy-mm-dd, got \"yesterday\""),
                                      HasSubstr("colour: is not a field of pmo.okr.v1.CheckInRequest"),
                                      HasSubstr("confidence: must be a number, got a boolean"))));
  EXPECT_THAT(FieldsOf(decoded.status()),
              UnorderedElementsAre("keyResultId", "value", "asOf", "colour", "confidence"));
}

TEST(Ingest, HeadersThatContradictTheTopicAreNamed) {
  auto decoded = DecodeIngestRecord(Record(R"({"keyResultId": "kr-1"})", {{"content-type", "application/json"},
                                                                         {"ce_id", "x"},
                                                                         {"ce_type", "pmo.benefits.v1.Measurement"},
                                                                         {"ce_time", "last tuesday"}}),
                                    kPrototype);
  EXPECT_THAT(FieldsOf(decoded.status()), UnorderedElementsAre("ce_type", "ce_time"));
  EXPECT_THAT(decoded, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("this topic takes pmo.okr.v1.CheckInRequest")));
}

TEST(Ingest, AnEnvelopeOfAnotherEventIsRefusedByName) {
  intake::v1::ReportProgressRequest other;
  other.set_initiative_id("crm");
  auto envelope = MakeEnvelope(other, {.source = "x", .subject = "", .portfolio_id = "", .aggregate_version = 0,
                                        .correlation_id = "", .causation_id = ""});
  EXPECT_THAT(DecodeIngestRecord(Record(envelope.SerializeAsString(), CloudEventHeaders(envelope)), kPrototype),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must hold pmo.okr.v1.CheckInRequest, got \"pmo.intake.v1.ReportProgressRequest\"")));
}

TEST(Ingest, StructuredModeJsonDataAndBase64Protobuf) {
  auto json_data = DecodeIngestRecord(
      Record(R"({"specversion": "1.0", "id": "bi-3", "type": "pmo.okr.v1.CheckInRequest", "source": "bi-job",
                 "time": "2026-12-01T00:00:00Z", "data": {"keyResultId": "kr-1", "value": 7}})",
             {{"content-type", "application/cloudevents+json"}}),
      kPrototype);
  ASSERT_TRUE(json_data.ok()) << json_data.status();
  EXPECT_EQ(json_data->event_id(), "bi-3");
  EXPECT_EQ(Payload(*json_data).value(), 7);

  std::string b64;
  absl::Base64Escape(CheckIn().SerializeAsString(), &b64);
  auto proto_data = DecodeIngestRecord(
      Record(R"({"specversion": "1.0", "id": "bi-4", "type": "pmo.okr.v1.CheckInRequest", "source": "bi-job",
                 "data_base64": ")" + b64 + R"("})",
             {{"content-type", "application/cloudevents+json"}}),
      kPrototype);
  ASSERT_TRUE(proto_data.ok()) << proto_data.status();
  EXPECT_EQ(Payload(*proto_data).value(), 42);

  auto missing = DecodeIngestRecord(Record(R"({"id": "bi-5", "data": {"value": "x"}})",
                                           {{"content-type", "application/cloudevents+json"}}),
                                    kPrototype);
  EXPECT_THAT(FieldsOf(missing.status()), UnorderedElementsAre("specversion", "type", "source", "data.value"));
}

TEST(JsonPayload, NamesNestedFieldsAndAcceptsProtobufsOwnForms) {
  intake::v1::ReportProgressRequest out;
  PMO_ASSERT_OK(ParseJsonPayload(
      R"({"initiative_id": "crm", "report": {"percentComplete": "40", "asOf": {"year": 2026, "month": 1, "day": 2},
          "milestones": [{"name": "Pilot", "due": "2026-03-01", "done": true}]}})",
      out));
  EXPECT_EQ(out.report().percent_complete(), 40);
  EXPECT_EQ(out.report().milestones(0).due().month(), 3);

  auto bad = ParseJsonPayload(R"({"report": {"milestones": [{"name": "ok"}, {"done": "yes", "due": 5}], "note": 1}})", out);
  EXPECT_THAT(FieldsOf(bad), UnorderedElementsAre("report.milestones[1].done", "report.milestones[1].due", "report.note"));
  EXPECT_THAT(ParseJsonPayload("[1, 2]", out), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be an object")));
  EXPECT_THAT(ParseJsonPayload("{not json", out), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not valid JSON")));
}

}  // namespace
}  // namespace pmo
