#include "pmo/common/ingest.h"

#include <memory>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <google/protobuf/util/time_util.h>
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"
#include "pmo/common/envelope.h"
#include "pmo/common/json_payload.h"

namespace pmo {
namespace {

namespace pb = google::protobuf;
using json = nlohmann::json;

constexpr std::string_view kAnyPrefix = "type.googleapis.com/";

// "application/json; charset=utf-8" → "application/json".
std::string MediaType(const KafkaMessage& record) {
  std::string type(record.Header("content-type").value_or(""));
  if (auto semicolon = type.find(';'); semicolon != std::string::npos) type.resize(semicolon);
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(type));
}

// The payload's own source_id, where its message has one.
std::string SourceIdOf(const pb::Message& payload) {
  const pb::FieldDescriptor* field = payload.GetDescriptor()->FindFieldByName("source_id");
  if (!field || field->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING || field->is_repeated()) return "";
  return payload.GetReflection()->GetString(payload, field);
}

// CloudEvents attributes, from headers (binary mode) or the JSON object (structured).
struct Attributes {
  std::string id, type, source, subject, time;
};

absl::StatusOr<events::v1::Envelope> Wrap(const pb::Message& payload, const Attributes& ce,
                                          const std::string& correlation_id, Violations& violations) {
  const std::string& expected = payload.GetDescriptor()->full_name();
  if (!ce.type.empty() && ce.type != expected)
    violations.Add("ce_type", absl::StrCat("is \"", ce.type, "\"; this topic takes ", expected));
  events::v1::Envelope envelope;
  envelope.set_event_id(ce.id.empty() ? SourceIdOf(payload) : ce.id);
  if (envelope.event_id().empty())
    violations.Add("ce_id", "is required (the idempotency key) when the payload has no source_id");
  if (!ce.time.empty() && !pb::util::TimeUtil::FromString(ce.time, envelope.mutable_occurred_at()))
    violations.Add("ce_time", absl::StrCat("must be an RFC 3339 time, got \"", ce.time, "\""));
  if (!violations.empty()) return violations.ToStatus(absl::StrCat("record is not a valid ", expected, " event"));
  envelope.set_type(expected);
  envelope.set_source(ce.source);
  envelope.set_subject(ce.subject);
  envelope.set_correlation_id(correlation_id.empty() ? envelope.event_id() : correlation_id);
  envelope.mutable_payload()->PackFrom(payload);
  return envelope;
}

// Binary content mode: the value is the payload itself.
absl::StatusOr<events::v1::Envelope> DecodeBinary(const KafkaMessage& record, const pb::Message& prototype,
                                                  const std::string& media_type) {
  std::unique_ptr<pb::Message> payload(prototype.New());
  Violations violations;
  if (media_type == kContentTypeJson) {
    if (auto s = ParseJsonPayload(record.value, *payload); !s.ok()) return s;
  } else if (!payload->ParseFromString(record.value)) {
    return InvalidArgument("record is not a valid event",
                           {{"(record)", absl::StrCat("is neither a pmo.events.v1.Envelope nor a protobuf ",
                                                      prototype.GetDescriptor()->full_name())}});
  }
  auto header = [&](std::string_view name) { return std::string(record.Header(name).value_or("")); };
  const Attributes ce{header("ce_id"), header("ce_type"), header("ce_source"), header("ce_subject"), header("ce_time")};
  return Wrap(*payload, ce, header("pmo_correlation_id"), violations);
}

// Structured content mode: a CloudEvents JSON object whose data is the payload (JSON) or
// data_base64 its protobuf encoding.
absl::StatusOr<events::v1::Envelope> DecodeStructured(const KafkaMessage& record, const pb::Message& prototype) {
  const json event = json::parse(record.value, nullptr, false);
  if (event.is_discarded() || !event.is_object())
    return InvalidArgument("record is not a CloudEvent", {{"(record)", "is not a JSON object"}});
  Violations violations;
  auto attribute = [&](const char* name, bool required) -> std::string {
    auto it = event.find(name);
    if (it == event.end() || it->is_null()) {
      if (required) violations.Add(name, "is required");
      return "";
    }
    if (!it->is_string()) {
      violations.Add(name, "must be a string");
      return "";
    }
    return it->get<std::string>();
  };
  attribute("specversion", true);
  const Attributes ce{attribute("id", false), attribute("type", true), attribute("source", true),
                      attribute("subject", false), attribute("time", false)};
  std::unique_ptr<pb::Message> payload(prototype.New());
  if (auto data = event.find("data"); data != event.end()) {
    if (auto s = ParseJsonPayload(data->dump(), *payload); !s.ok())
      for (const auto& v : ViolationsOf(s)) violations.Add(v.field == "(record)" ? "data" : "data." + v.field, v.description);
  } else if (auto b64 = event.find("data_base64"); b64 != event.end() && b64->is_string()) {
    std::string bytes;
    if (!absl::Base64Unescape(b64->get<std::string>(), &bytes) || !payload->ParseFromString(bytes))
      violations.Add("data_base64", absl::StrCat("is not a base64 protobuf ", prototype.GetDescriptor()->full_name()));
  } else {
    violations.Add("data", "is required");
  }
  return Wrap(*payload, ce, "", violations);
}

// Whether protobuf bytes can be an Envelope at all: one carries its payload (field 10,
// length-delimited). The tags are walked without a schema and without copying any field,
// so a payload's bytes are not parsed (and complained about) as an envelope's strings, and
// an envelope costs one pass over its tags before it is decoded.
bool MayBeEnvelope(const std::string& bytes) {
  using pb::internal::WireFormatLite;
  pb::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()), static_cast<int>(bytes.size()));
  while (const uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == events::v1::Envelope::kPayloadFieldNumber &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED)
      return true;
    if (!WireFormatLite::SkipField(&in, tag)) return false;
  }
  return false;
}

}  // namespace

absl::StatusOr<events::v1::Envelope> DecodeIngestRecord(const KafkaMessage& record, const pb::Message& prototype) {
  const std::string media_type = MediaType(record);
  if (media_type == kContentTypeCloudEventsJson) return DecodeStructured(record, prototype);
  const std::string& expected = prototype.GetDescriptor()->full_name();
  if (media_type != kContentTypeJson && !MayBeEnvelope(record.value)) return DecodeBinary(record, prototype, media_type);
  auto envelope = DecodeEnvelope(record);
  if (envelope.ok()) {
    if (PayloadType(*envelope) == expected) return envelope;
    // An envelope of another event: refused by name, not read as a payload by accident.
    if (!envelope->type().empty() && envelope->payload().type_url().starts_with(kAnyPrefix))
      return absl::InvalidArgumentError(absl::StrCat("records on ", record.topic, " must hold ", expected, ", got \"",
                                                     AbslView(PayloadType(*envelope)), "\""));
  }
  return DecodeBinary(record, prototype, media_type);
}

}  // namespace pmo
