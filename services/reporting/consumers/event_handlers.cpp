#include "services/reporting/consumers/event_handlers.h"

#include "pmo/common/kafka.h"
#include "pmo/common/proto_convert.h"

// Versions. The router's rule is the envelope's aggregate_version first, the payload's
// own version as fallback. Intake (initiative and portfolio snapshots), okr (alignment,
// key result, check-in, objective) and benefits set the envelope's version to the very
// snapshot version the payload carries, so those handlers take ctx.version. Sections
// ordered by something else read it from the event instead, each saying so below.

namespace pmo::reporting::consumers {

namespace {

using app::EventFacts;
namespace iv1 = ::pmo::intake::v1;
namespace okr1 = ::pmo::okr::v1;
namespace bv1 = ::pmo::benefits::v1;
namespace sv1 = ::pmo::scoring::v1;

template <typename T>
EventFacts FactsOf(const EventContext& ctx) {
  return {ctx.event_id(), std::string(T::descriptor()->full_name()), ToUnixMillis(ctx.envelope.occurred_at()),
          ctx.version};
}

template <typename T>
int64_t InitiativeVersion(const T& e) {
  return e.initiative().version();
}

template <typename T>
int64_t BenefitVersion(const T& e) {
  return e.benefit().version();
}

template <typename T>
int64_t OwnVersion(const T& e) {
  return e.version();
}

// Intake's initiative events all carry the initiative's full snapshot.
template <typename T>
void OnInitiative(EventRouter& router, app::Projection& projection, bool adjusts_delivery) {
  router.On<T>(
      [&projection, adjusts_delivery](const T& e, const EventContext& ctx) {
        auto facts = FactsOf<T>(ctx);
        return projection.Apply(app::ProjectInitiative(e.initiative(), facts, adjusts_delivery), facts);
      },
      InitiativeVersion<T>);
}

// Benefits' events all carry the benefit's full snapshot.
template <typename T>
void OnBenefit(EventRouter& router, app::Projection& projection) {
  router.On<T>(
      [&projection](const T& e, const EventContext& ctx) {
        auto facts = FactsOf<T>(ctx);
        return projection.Apply(app::ProjectBenefit(e.benefit(), facts), facts);
      },
      BenefitVersion<T>);
}

// Okr's events with the snapshot in the payload itself.
template <typename T>
void OnOkr(EventRouter& router, app::Projection& projection, app::Projected (*project)(const T&, const EventFacts&)) {
  router.On<T>(
      [&projection, project](const T& e, const EventContext& ctx) {
        auto facts = FactsOf<T>(ctx);
        return projection.Apply(project(e, facts), facts);
      },
      OwnVersion<T>);
}

}  // namespace

void RegisterProjection(EventRouter& router, app::Projection& projection) {
  router.Subscribe(topics::kIntakeEvents)
      .Subscribe(topics::kScoringEvents)
      .Subscribe(topics::kOkrEvents)
      .Subscribe(topics::kBenefitsEvents)
      .Subscribe(topics::kReportingEvents);

  router.On<iv1::PortfolioChanged>(
      [&projection](const iv1::PortfolioChanged& e, const EventContext& ctx) {
        auto facts = FactsOf<iv1::PortfolioChanged>(ctx);
        return projection.Apply(app::ProjectPortfolio(e.portfolio(), facts), facts);
      },
      [](const iv1::PortfolioChanged& e) { return e.portfolio().version(); });
  OnInitiative<iv1::InitiativeSubmitted>(router, projection, false);
  OnInitiative<iv1::InitiativeUpdated>(router, projection, false);
  OnInitiative<iv1::ProgressReported>(router, projection, false);
  OnInitiative<iv1::InitiativeStageChanged>(router, projection, true);  // a delivery adjustment

  // Scores and ranks are ordered by the event's time, not by ctx.version: scoring's
  // RankingChanged carries version 0 or the model's version, and a score's version is
  // the score's own, neither comparable with the other section's. ProjectScore and
  // ProjectRanking read facts.occurred_at_ms.
  router.On<sv1::InitiativeScored>([&projection](const sv1::InitiativeScored& e, const EventContext& ctx) {
    auto facts = FactsOf<sv1::InitiativeScored>(ctx);
    return projection.Apply(app::ProjectScore(e.score(), facts), facts);
  });
  router.On<sv1::RankingChanged>([&projection](const sv1::RankingChanged& e, const EventContext& ctx) {
    auto facts = FactsOf<sv1::RankingChanged>(ctx);
    return projection.Apply(app::ProjectRanking(e, facts), facts);
  });

  OnOkr<okr1::AlignmentChanged>(router, projection, app::ProjectAlignment);
  OnOkr<okr1::KeyResultChanged>(router, projection, app::ProjectKeyResult);
  OnOkr<okr1::KeyResultCheckedIn>(router, projection, app::ProjectCheckIn);
  OnOkr<okr1::ObjectiveChanged>(router, projection, app::ProjectObjective);
  // Strategy updates are kept by event id (set-like); no version applies.
  OnOkr<okr1::StrategyChanged>(router, projection, app::ProjectStrategy);

  OnBenefit<bv1::BenefitChanged>(router, projection);
  OnBenefit<bv1::BenefitMeasured>(router, projection);
  OnBenefit<bv1::BenefitStatusChanged>(router, projection);

  // Reporting's own DecisionRecorded: its envelope version is the decision time in ms
  // (decisions of one initiative ordered by when they were made), and the projection
  // orders the decision section by the payload's decided_at explicitly, falling back to
  // the event's time, as it always has.
  router.On<v1::DecisionRecorded>([&projection](const v1::DecisionRecorded& e, const EventContext& ctx) {
    auto facts = FactsOf<v1::DecisionRecorded>(ctx);
    return projection.Apply(app::ProjectDecision(e, ToUnixMillis(e.decided_at()), facts), facts);
  });
}

}  // namespace pmo::reporting::consumers
