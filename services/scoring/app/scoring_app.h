// Scoring's use cases, wired once over the store: the model, incremental scores and the
// ranking, the full re-score, the read models of other services' events, and scenarios.
// State and events commit together through the store's outbox writes.
#pragma once

#include "services/scoring/app/models.h"
#include "services/scoring/app/read_models.h"
#include "services/scoring/app/rescoring.h"
#include "services/scoring/app/scenarios.h"
#include "services/scoring/app/scores.h"
#include "services/scoring/app/scoring_metrics.h"
#include "services/scoring/store/stores.h"
#include "pmo/common/clock.h"
#include "pmo/common/metrics.h"

namespace pmo::scoring::app {

// The use cases by aggregate; the gRPC handlers and Kafka consumers call them directly.
struct ScoringApp {
  // `service_metrics` may be null (nothing counted); `store` and `clock` must outlive the app.
  ScoringApp(store::ScoringStore& store, Metrics* service_metrics, const Clock& clock = SystemClock::Instance())
      : metrics(service_metrics),
        rescoring(store, store, store, metrics, clock),
        scores(store, store, store, metrics, clock),
        models(store, rescoring, clock),
        read_models(store, store, store, scores, rescoring),
        scenarios(store, store, metrics, clock) {}

  ScoringMetrics metrics;
  Rescoring rescoring;
  Scores scores;
  Models models;
  ReadModels read_models;
  Scenarios scenarios;
};

}  // namespace pmo::scoring::app
