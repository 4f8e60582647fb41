#include "services/benefits/consumers/event_handlers.h"

#include "absl/time/civil_time.h"
#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/common/log.h"
#include "pmo/intake/v1/events.pb.h"

namespace pmo::benefits::adapters {
namespace {

// The civil day (UTC) an event occurred on: when intake reported a delivery, say.
domain::Date OccurredOn(const events::v1::Envelope& env, const domain::Date& fallback) {
  if (env.occurred_at().seconds() == 0 && env.occurred_at().nanos() == 0) return fallback;
  const absl::CivilDay day = absl::ToCivilDay(absl::FromUnixSeconds(env.occurred_at().seconds()), absl::UTCTimeZone());
  return {static_cast<int32_t>(day.year()), day.month(), day.day()};
}

template <typename Event>
absl::Status ApplyInitiativeEvent(app::BenefitsApp& app, const events::v1::Envelope& env, const app::CallContext& ctx) {
  auto e = UnpackPayload<Event>(env);
  if (!e.ok()) return e.status();
  const int64_t version = env.aggregate_version() ? env.aggregate_version() : e->initiative().version();
  return app.ApplyInitiative(e->initiative(), version, OccurredOn(env, app.Today()), ctx);
}

}  // namespace

std::vector<std::string> ConsumedTopics() {
  return {std::string(topics::kIngestBenefitMeasurements), std::string(topics::kIntakeEvents)};
}

absl::Status HandleRecord(app::BenefitsApp& app, const KafkaMessage& record) {
  auto env = DecodeEnvelope(record);
  if (!env.ok()) return env.status();
  app::CallContext ctx{env->correlation_id(), env->event_id()};
  log::SetThreadCorrelationId(ctx.correlation_id);
  const std::string_view type = PayloadType(*env);
  absl::Status result;
  if (record.topic == topics::kIngestBenefitMeasurements) {
    auto req = UnpackPayload<v1::RecordMeasurementRequest>(*env);
    if (req.ok()) {
      // A source that sends no source_id of its own is deduplicated by the event id.
      if (req->source_id().empty()) req->set_source_id(env->event_id());
      result = app.RecordMeasurement(*req, ctx, record.topic).status();
    } else {
      result = req.status();
    }
  } else if (type == intake::v1::InitiativeSubmitted::descriptor()->full_name()) {
    result = ApplyInitiativeEvent<intake::v1::InitiativeSubmitted>(app, *env, ctx);
  } else if (type == intake::v1::InitiativeUpdated::descriptor()->full_name()) {
    result = ApplyInitiativeEvent<intake::v1::InitiativeUpdated>(app, *env, ctx);
  } else if (type == intake::v1::InitiativeStageChanged::descriptor()->full_name()) {
    result = ApplyInitiativeEvent<intake::v1::InitiativeStageChanged>(app, *env, ctx);
  } else if (type == intake::v1::ProgressReported::descriptor()->full_name()) {
    result = ApplyInitiativeEvent<intake::v1::ProgressReported>(app, *env, ctx);
  } else if (type == intake::v1::PortfolioChanged::descriptor()->full_name()) {
    auto e = UnpackPayload<intake::v1::PortfolioChanged>(*env);
    result = e.ok() ? app.ApplyPortfolio(e->portfolio(),
                                         env->aggregate_version() ? env->aggregate_version() : e->portfolio().version())
                    : e.status();
  } else {
    // Intake events the benefits service has no use for: consumed and skipped.
    result = absl::OkStatus();
  }
  log::SetThreadCorrelationId("");
  return result;
}

}  // namespace pmo::benefits::adapters
