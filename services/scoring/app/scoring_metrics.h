// Scoring's business metrics, owned in one place so use cases only say what happened:
// initiatives scored, and scenario solve times by outcome.
#pragma once

#include <string>

#include "pmo/common/metrics.h"

namespace pmo::scoring::app {

class ScoringMetrics {
 public:
  // With no `metrics` (tests), nothing is counted.
  explicit ScoringMetrics(Metrics* metrics);

  // pmo_scoring_initiatives_scored_total
  void Scored(double initiatives = 1);
  // pmo_scoring_scenario_solve_seconds{status}
  void ScenarioSolved(const std::string& status, double seconds);

 private:
  prometheus::Family<prometheus::Counter>* scored_ = nullptr;
  prometheus::Family<prometheus::Histogram>* solve_seconds_ = nullptr;
};

}  // namespace pmo::scoring::app
