#include "pmo/common/envelope.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"

namespace pmo {

EventMeta EventMetaFor(std::string source, std::string subject, std::string portfolio_id, int64_t aggregate_version,
                       const CallContext& cause) {
  return {.source = std::move(source),
          .subject = std::move(subject),
          .portfolio_id = std::move(portfolio_id),
          .aggregate_version = aggregate_version,
          .correlation_id = cause.correlation_id,
          .causation_id = cause.causation_id};
}

events::v1::Envelope MakeEnvelope(const google::protobuf::Message& payload, const EventMeta& meta, const Clock& clock) {
  events::v1::Envelope e;
  e.set_event_id(NewUuid());
  e.set_type(payload.GetDescriptor()->full_name());
  e.set_source(meta.source);
  e.set_subject(meta.subject);
  e.set_portfolio_id(meta.portfolio_id);
  e.set_aggregate_version(meta.aggregate_version);
  auto now = clock.Now();
  *e.mutable_occurred_at() = google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(now));
  e.set_correlation_id(meta.correlation_id.empty() ? NewUuid() : meta.correlation_id);
  e.set_causation_id(meta.causation_id);
  e.mutable_payload()->PackFrom(payload);
  return e;
}

Headers CloudEventHeaders(const events::v1::Envelope& e) {
  Headers h = {
      {"ce_specversion", "1.0"},
      {"ce_id", e.event_id()},
      {"ce_type", e.type()},
      {"ce_source", e.source()},
      {"ce_subject", e.subject()},
      {"ce_time", google::protobuf::util::TimeUtil::ToString(e.occurred_at())},
      {"content-type", std::string(kContentTypeProtobuf)},
  };
  if (!e.portfolio_id().empty()) h.emplace_back("pmo_portfolio_id", e.portfolio_id());
  h.emplace_back("pmo_aggregate_version", std::to_string(e.aggregate_version()));
  if (!e.correlation_id().empty()) h.emplace_back("pmo_correlation_id", e.correlation_id());
  return h;
}

absl::StatusOr<events::v1::Envelope> DecodeEnvelope(const KafkaMessage& message) {
  events::v1::Envelope e;
  auto ct = message.Header("content-type");
  if (ct && ct->starts_with(kContentTypeJson)) {
    google::protobuf::util::JsonParseOptions opts;
    opts.ignore_unknown_fields = true;  // fields are only added: newer producers stay readable
    auto s = google::protobuf::util::JsonStringToMessage(message.value, &e, opts);
    if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("record is not a JSON envelope: ", s.message().as_string()));
  } else if (!e.ParseFromString(message.value)) {
    return absl::InvalidArgumentError("record is not a protobuf envelope");
  }
  if (e.type().empty() && e.payload().type_url().empty())
    return absl::InvalidArgumentError("envelope has neither a type nor a payload");
  return e;
}

std::string_view PayloadType(const events::v1::Envelope& e) {
  std::string_view url = e.payload().type_url();
  auto slash = url.rfind('/');
  return slash == std::string_view::npos ? url : url.substr(slash + 1);
}

std::string ToJson(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions opts;
  opts.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, opts);
  return out;
}

}  // namespace pmo
