#include "services/intake/consumers/event_handlers.h"

#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/kafka.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::intake::consumers {

void RegisterHandlers(EventRouter& router, app::IntakeApp& app) {
  // Every record on the ingest topic is a progress report; its event id makes the apply
  // once-only, so a record without one is refused.
  router.OnIngest<v1::ReportProgressRequest>(
      topics::kIngestProgress, [&app](const v1::ReportProgressRequest& req, const EventContext& ctx) {
        return app.ReportProgress(req, ctx.call, ctx.topic(), ctx.event_id()).status();
      });
  // okr, benefits and reporting publish their envelopes with the snapshot's version as
  // aggregate_version (okr's AlignmentChanged: the alignment's, per initiative), so the
  // router's rule, envelope first, gives each read model its own version.
  router.Subscribe(topics::kOkrEvents)
      .Subscribe(topics::kBenefitsEvents)
      .Subscribe(topics::kReportingEvents)
      .On<okr::v1::AlignmentChanged>(
          [&app](const okr::v1::AlignmentChanged& alignment, const EventContext& ctx) {
            return app.ApplyAlignment(alignment, ctx.version);
          },
          [](const okr::v1::AlignmentChanged& alignment) { return alignment.version(); })
      .On<okr::v1::KeyResultChanged>(
          [&app](const okr::v1::KeyResultChanged& key_result, const EventContext& ctx) {
            return app.ApplyKeyResult(key_result, ctx.version);
          },
          [](const okr::v1::KeyResultChanged& key_result) { return key_result.version(); })
      .On<benefits::v1::BenefitChanged>(
          [&app](const benefits::v1::BenefitChanged& changed, const EventContext& ctx) {
            return app.ApplyBenefit(changed, ctx.version);
          },
          [](const benefits::v1::BenefitChanged& changed) { return changed.benefit().version(); })
      .On<reporting::v1::DecisionRecorded>(
          [&app](const reporting::v1::DecisionRecorded& decision, const EventContext& ctx) {
            return app.ApplyDecision(decision, ctx.call);
          });
}

}  // namespace pmo::intake::consumers
