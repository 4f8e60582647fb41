#include "services/okr/consumers/event_handlers.h"

#include "pmo/common/envelope.h"
#include "pmo/common/log.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/okr.pb.h"

namespace pmo::okr::adapters {

namespace {

// Every intake event that carries an initiative snapshot.
template <typename Event>
bool TryInitiative(const events::v1::Envelope& env, std::string_view type, absl::StatusOr<intake::v1::Initiative>& out) {
  if (type != Event::descriptor()->full_name()) return false;
  auto e = UnpackPayload<Event>(env);
  if (!e.ok())
    out = e.status();
  else
    out = e->initiative();
  return true;
}

}  // namespace

std::vector<std::string> ConsumedTopics() {
  return {std::string(topics::kIngestKrCheckins), std::string(topics::kIntakeEvents)};
}

absl::Status HandleRecord(app::OkrApp& app, const KafkaMessage& record) {
  auto env = DecodeEnvelope(record);
  if (!env.ok()) return env.status();
  app::CallContext ctx{env->correlation_id(), env->event_id()};
  log::SetThreadCorrelationId(ctx.correlation_id);
  const std::string_view type = PayloadType(*env);
  absl::Status result;
  if (record.topic == topics::kIngestKrCheckins) {
    auto req = UnpackPayload<v1::CheckInRequest>(*env);
    if (!req.ok())
      result = req.status();
    else if (env->event_id().empty())
      result = absl::InvalidArgumentError("ingest envelope has no event_id");
    else
      result = app.CheckIn(*req, ctx, record.topic, env->event_id()).status();
  } else {
    absl::StatusOr<intake::v1::Initiative> initiative = absl::UnknownError("unset");
    if (TryInitiative<intake::v1::InitiativeSubmitted>(*env, type, initiative) ||
        TryInitiative<intake::v1::InitiativeUpdated>(*env, type, initiative) ||
        TryInitiative<intake::v1::InitiativeStageChanged>(*env, type, initiative) ||
        TryInitiative<intake::v1::ProgressReported>(*env, type, initiative)) {
      if (!initiative.ok()) {
        result = initiative.status();
      } else {
        // Intake versions each initiative; the envelope carries the snapshot's version.
        const int64_t version = env->aggregate_version() ? env->aggregate_version() : initiative->version();
        result = app.ApplyInitiative(*initiative, version, ctx);
      }
    } else {
      result = absl::OkStatus();  // other events (portfolios, ...) okr has no use for
    }
  }
  log::SetThreadCorrelationId("");
  return result;
}

}  // namespace pmo::okr::adapters
