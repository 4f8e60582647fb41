#include "services/intake/consumers/event_handlers.h"

#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/common/log.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::intake::adapters {

std::vector<std::string> ConsumedTopics() {
  return {std::string(topics::kIngestProgress), std::string(topics::kOkrEvents), std::string(topics::kBenefitsEvents),
          std::string(topics::kReportingEvents)};
}

absl::Status HandleRecord(app::IntakeApp& app, const KafkaMessage& record) {
  auto env = DecodeEnvelope(record);
  if (!env.ok()) return env.status();
  app::CallContext ctx{env->correlation_id(), env->event_id()};
  log::SetThreadCorrelationId(ctx.correlation_id);
  std::string_view type = PayloadType(*env);
  absl::Status result;
  if (record.topic == topics::kIngestProgress) {
    auto req = UnpackPayload<v1::ReportProgressRequest>(*env);
    if (!req.ok()) return req.status();
    if (env->event_id().empty()) return absl::InvalidArgumentError("ingest envelope has no event_id");
    result = app.ReportProgress(*req, ctx, record.topic, env->event_id()).status();
  } else if (type == okr::v1::AlignmentChanged::descriptor()->full_name()) {
    auto a = UnpackPayload<okr::v1::AlignmentChanged>(*env);
    // Versioned per initiative by okr (the payload's version), whatever the envelope's subject.
    result = a.ok() ? app.ApplyAlignment(*a, a->version() ? a->version() : env->aggregate_version()) : a.status();
  } else if (type == okr::v1::KeyResultChanged::descriptor()->full_name()) {
    auto k = UnpackPayload<okr::v1::KeyResultChanged>(*env);
    result = k.ok() ? app.ApplyKeyResult(*k, env->aggregate_version() ? env->aggregate_version() : k->version())
                    : k.status();
  } else if (type == benefits::v1::BenefitChanged::descriptor()->full_name()) {
    auto b = UnpackPayload<benefits::v1::BenefitChanged>(*env);
    result = b.ok() ? app.ApplyBenefit(*b, env->aggregate_version() ? env->aggregate_version() : b->benefit().version())
                    : b.status();
  } else if (type == reporting::v1::DecisionRecorded::descriptor()->full_name()) {
    auto d = UnpackPayload<reporting::v1::DecisionRecorded>(*env);
    result = d.ok() ? app.ApplyDecision(*d, ctx) : d.status();
  } else {
    // Other services' events intake has no use for: consumed and skipped.
    result = absl::OkStatus();
  }
  log::SetThreadCorrelationId("");
  return result;
}

}  // namespace pmo::intake::adapters
