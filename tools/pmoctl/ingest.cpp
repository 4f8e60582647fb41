#include "ingest.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "pmo/common/envelope.h"
#include "pmo/common/proto_convert.h"

namespace pmo::ctl {
namespace {

namespace pb = google::protobuf;

const pb::FieldDescriptor* StringField(const pb::Message& m, const std::string& name) {
  const pb::FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  return f && f->cpp_type() == pb::FieldDescriptor::CPPTYPE_STRING && !f->is_repeated() ? f : nullptr;
}

// The message a dotted path ("report.as_of") ends in, and its last field.
std::pair<pb::Message*, const pb::FieldDescriptor*> Resolve(pb::Message& root, const std::string& path) {
  pb::Message* at = &root;
  const pb::FieldDescriptor* field = nullptr;
  size_t start = 0;
  for (;;) {
    const size_t dot = path.find('.', start);
    field = at->GetDescriptor()->FindFieldByName(path.substr(start, dot == std::string::npos ? dot : dot - start));
    if (!field || dot == std::string::npos) break;
    at = at->GetReflection()->MutableMessage(at, field);
    start = dot + 1;
  }
  return {at, field};
}

}  // namespace

const std::vector<IngestKind>& IngestKinds() {
  static const std::vector<IngestKind> kinds = {
      {"progress", "Stream a progress report into pmo.ingest.progress.v1", std::string(topics::kIngestProgress),
       "pmo.intake.v1.ReportProgressRequest", {"INITIATIVE_ID", "initiative_id", true}, "report.as_of",
       {{"percent-complete", "report.percent_complete", "percent complete, 0..100"},
        {"as-of", "report.as_of", "the day the report is for (default: today)"},
        {"confidence", "report.delivery_confidence", "delivery confidence, 0..1"},
        {"schedule-variance-days", "report.schedule_variance_days", "days behind (+) or ahead (-) of plan"},
        {"note", "report.note", "a note"}}},
      {"check-in", "Stream a key-result check-in into pmo.ingest.kr-checkins.v1",
       std::string(topics::kIngestKrCheckins), "pmo.okr.v1.CheckInRequest", {"KEY_RESULT_ID", "key_result_id", true},
       "as_of",
       {{"value", "value", "the measured value", false, true},
        {"confidence", "confidence", "confidence, 0..1"},
        {"as-of", "as_of", "the day of the value (default: today)"},
        {"note", "note", "a note"},
        {"source-id", "source_id", "the sender's id of this check-in (the idempotency key)"}}},
      {"measurement", "Stream a benefit measurement into pmo.ingest.benefit-measurements.v1",
       std::string(topics::kIngestBenefitMeasurements), "pmo.benefits.v1.RecordMeasurementRequest",
       {"BENEFIT_ID", "benefit_id", true}, "as_of",
       {{"value", "value", "the measured value", false, true},
        {"as-of", "as_of", "the day of the value (default: today)"},
        {"source-id", "source_id", "the sender's id of this measurement (the idempotency key)"}}},
  };
  return kinds;
}

absl::StatusOr<KafkaMessage> MakeIngestRecord(const IngestKind& kind, pb::Message& payload,
                                              const IngestOptions& options, absl::Time now) {
  if (options.format != "json" && options.format != "protobuf")
    return absl::InvalidArgumentError(absl::StrCat("--format: expected json or protobuf, got ", options.format));
  if (auto [at, field] = Resolve(payload, kind.as_of);
      field && field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE && !at->GetReflection()->HasField(*at, field)) {
    const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
    at->GetReflection()->MutableMessage(at, field)->CopyFrom(
        ToProto(calendar::Date{static_cast<int32_t>(today.year()), today.month(), today.day()}));
  }
  KafkaMessage record;
  record.topic = kind.topic;
  if (const auto* key = StringField(payload, kind.id.field)) record.key = payload.GetReflection()->GetString(payload, key);
  std::string id = options.id;
  if (const auto* source_id = StringField(payload, "source_id"); id.empty() && source_id)
    id = payload.GetReflection()->GetString(payload, source_id);
  if (id.empty()) id = NewUuid();
  if (options.format == "json") {
    pb::util::JsonPrintOptions print;
    if (auto s = pb::util::MessageToJsonString(payload, &record.value, print); !s.ok())
      return absl::InternalError(std::string(s.message()));
  } else {
    record.value = payload.SerializeAsString();
  }
  record.headers = {{"ce_specversion", "1.0"},
                    {"ce_id", id},
                    {"ce_type", payload.GetDescriptor()->full_name()},
                    {"ce_source", options.source},
                    {"ce_time", pb::util::TimeUtil::ToString(ToTimestamp(now))},
                    {"content-type", options.format == "json" ? std::string(kContentTypeJson)
                                                              : std::string(kContentTypeProtobuf)}};
  return record;
}

absl::Status ProduceIngestRecord(const std::string& brokers, const KafkaMessage& record, int timeout_ms) {
  ProducerOptions po;
  po.brokers = brokers;
  po.client_id = "pmoctl";
  auto producer = Producer::Create(po);
  if (!producer.ok()) return producer.status();
  return (*producer)->ProduceSync(record.topic, record.key, record.value, record.headers, timeout_ms);
}

}  // namespace pmo::ctl
