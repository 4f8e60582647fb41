// The one way a service consumes events: a handler per payload type, registered on a
// router that decodes the envelope, unpacks the payload, works out the event's version,
// tags the log lines with the correlation id (and always clears it), counts events no
// handler wants as "ignored" and hands undecodable records to the dead-letter path.
//
//   EventRouter router(&metrics);
//   router.Subscribe(topics::kIntakeEvents)
//       .On<intake::v1::InitiativeSubmitted>([&](const auto& e, const EventContext& ctx) {
//         return app.ApplyInitiative(e.initiative(), ctx.version, ctx.call);
//       });
//   main.Consume(router.Topics(), router.AsConsumerHandler());
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"
#include "pmo/common/metrics.h"
#include "pmo/common/service_host.h"

namespace pmo {

// What a handler learns about an event beside its payload.
struct EventContext {
  const KafkaMessage& record;
  const events::v1::Envelope& envelope;
  // Correlation id of the event, causation id = its event id: what the changes it
  // causes carry into their own events.
  CallContext call;
  // The version precedence rule, the same for every handler: the envelope's
  // aggregate_version, which the producer sets from the snapshot it publishes (DESIGN §4);
  // when the envelope carries none (0), the payload's own version as the handler's
  // registration names it (0 when it names none).
  int64_t version = 0;
  const std::string& event_id() const { return envelope.event_id(); }
  const std::string& topic() const { return record.topic; }
};

class EventRouter {
 public:
  template <typename T>
  using Handler = std::function<absl::Status(const T& payload, const EventContext& context)>;
  template <typename T>
  using VersionOf = std::function<int64_t(const T& payload)>;

  // `metrics` (may be null) counts events no handler is registered for, by topic and
  // type, as pmo_events_ignored_total.
  explicit EventRouter(Metrics* metrics = nullptr) : metrics_(metrics) {}

  // Adds a topic to consume (the domain-event topics the service reads).
  EventRouter& Subscribe(std::string_view topic);

  // Handles every envelope whose payload is a T, on any subscribed topic. `version_of`
  // gives the payload's own version for envelopes that carry none.
  template <typename T>
  EventRouter& On(Handler<T> handler, VersionOf<T> version_of = nullptr) {
    routes_[std::string(T::descriptor()->full_name())] = MakeRoute<T>(std::move(handler), std::move(version_of));
    return *this;
  }

  // Every record on an ingest topic (data streamed in by other systems) must hold a T,
  // in any form ingest.h reads (an envelope, or CloudEvents binary or structured mode
  // with the T itself as protobuf or JSON); anything else is refused, naming every wrong
  // field (and so dead-lettered). Its event id is the idempotency key: an envelope
  // without one is refused unless `require_event_id` is false (the handler then
  // deduplicates by an id of the payload's own). Subscribes to `topic`.
  template <typename T>
  EventRouter& OnIngest(std::string_view topic, Handler<T> handler, bool require_event_id = true) {
    Subscribe(topic);
    ingest_[std::string(topic)] = {&T::default_instance(), require_event_id, MakeRoute<T>(std::move(handler), nullptr)};
    return *this;
  }

  // The topics to subscribe to, in the order they were added.
  const std::vector<std::string>& Topics() const { return topics_; }

  // Decodes and dispatches one record. OK for an applied or ignored event; the
  // handler's status otherwise; INVALID_ARGUMENT for a record that cannot be decoded
  // (the consumer dead-letters it after its retries).
  absl::Status Route(const KafkaMessage& record) const;

  // Route() as a consumer handler; the router must outlive the consumer.
  Consumer::Handler AsConsumerHandler() const {
    return [this](const KafkaMessage& record) { return Route(record); };
  }

 private:
  using Route_ = std::function<absl::Status(const KafkaMessage&, const events::v1::Envelope&)>;
  struct Ingest {
    const google::protobuf::Message* prototype;
    bool require_event_id = true;
    Route_ route;
  };

  template <typename T>
  static Route_ MakeRoute(Handler<T> handler, VersionOf<T> version_of) {
    return [handler = std::move(handler), version_of = std::move(version_of)](
               const KafkaMessage& record, const events::v1::Envelope& envelope) -> absl::Status {
      auto payload = UnpackPayload<T>(envelope);
      if (!payload.ok()) return payload.status();
      int64_t version = envelope.aggregate_version();
      if (version == 0 && version_of) version = version_of(*payload);
      const EventContext context{record, envelope, {envelope.correlation_id(), envelope.event_id()}, version};
      return handler(*payload, context);
    };
  }

  absl::Status Dispatch(const KafkaMessage& record, const events::v1::Envelope& envelope) const;
  absl::Status RouteIngest(const KafkaMessage& record, const Ingest& ingest) const;

  Metrics* metrics_;
  std::vector<std::string> topics_;
  std::unordered_map<std::string, Route_> routes_;
  std::unordered_map<std::string, Ingest> ingest_;
};

}  // namespace pmo
