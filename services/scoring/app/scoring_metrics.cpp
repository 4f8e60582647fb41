#include "services/scoring/app/scoring_metrics.h"

namespace pmo::scoring::app {

ScoringMetrics::ScoringMetrics(Metrics* metrics) {
  if (!metrics) return;
  scored_ = &prometheus::BuildCounter()
                 .Name("pmo_scoring_initiatives_scored_total")
                 .Help("Initiatives scored")
                 .Register(metrics->registry());
  solve_seconds_ = &prometheus::BuildHistogram()
                        .Name("pmo_scoring_scenario_solve_seconds")
                        .Help("Scenario solve time, by status")
                        .Register(metrics->registry());
}

void ScoringMetrics::Scored(double initiatives) {
  if (scored_) scored_->Add({}).Increment(initiatives);
}

void ScoringMetrics::ScenarioSolved(const std::string& status, double seconds) {
  if (solve_seconds_) solve_seconds_->Add({{"status", status}}, Metrics::LatencyBuckets()).Observe(seconds);
}

}  // namespace pmo::scoring::app
