#include "pmo/common/event_router.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"
#include "pmo/common/ingest.h"
#include "pmo/common/log.h"

namespace pmo {
namespace {

// Sets this thread's log correlation id for the lifetime of one event, whichever way
// its handler returns.
class CorrelationScope {
 public:
  explicit CorrelationScope(const std::string& id) { log::SetThreadCorrelationId(id); }
  ~CorrelationScope() { log::SetThreadCorrelationId(""); }
  CorrelationScope(const CorrelationScope&) = delete;
  CorrelationScope& operator=(const CorrelationScope&) = delete;
};

}  // namespace

EventRouter& EventRouter::Subscribe(std::string_view topic) {
  if (std::find(topics_.begin(), topics_.end(), topic) == topics_.end()) topics_.emplace_back(topic);
  return *this;
}

absl::Status EventRouter::Route(const KafkaMessage& record) const {
  if (auto in = ingest_.find(record.topic); in != ingest_.end()) return RouteIngest(record, in->second);
  auto envelope = DecodeEnvelope(record);
  if (!envelope.ok()) return envelope.status();
  CorrelationScope scope(envelope->correlation_id());
  return Dispatch(record, *envelope);
}

absl::Status EventRouter::Dispatch(const KafkaMessage& record, const events::v1::Envelope& envelope) const {
  const std::string_view type = PayloadType(envelope);
  if (auto route = routes_.find(std::string(type)); route != routes_.end()) return route->second(record, envelope);
  // Another service's event this one has no use for: consumed and skipped.
  if (metrics_) metrics_->events_ignored.Add({{"topic", record.topic}, {"type", std::string(type)}}).Increment();
  return absl::OkStatus();
}

absl::Status EventRouter::RouteIngest(const KafkaMessage& record, const Ingest& ingest) const {
  auto envelope = DecodeIngestRecord(record, *ingest.prototype);
  if (!envelope.ok()) return envelope.status();
  CorrelationScope scope(envelope->correlation_id());
  if (ingest.require_event_id && envelope->event_id().empty())
    return absl::InvalidArgumentError(absl::StrCat("ingest envelope on ", record.topic, " has no event_id"));
  return ingest.route(record, *envelope);
}

}  // namespace pmo
