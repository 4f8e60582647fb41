// Reporting's business counters (Prometheus families), owned in one place so the use
// cases only say what happened: events projected by type, decisions recorded by decision.
#pragma once

#include <string>

#include "pmo/common/metrics.h"

namespace prometheus {
class Counter;
template <typename T>
class Family;
}  // namespace prometheus

namespace pmo::reporting::app {

class ReportingMetrics {
 public:
  // With no registry (null) nothing is counted.
  explicit ReportingMetrics(Metrics* metrics);

  // pmo_reporting_events_projected_total{type="BenefitMeasured"}
  void EventProjected(const std::string& short_type);
  // pmo_reporting_decisions_total{decision="DECISION_STOP"}
  void DecisionRecorded(const std::string& decision);

 private:
  prometheus::Family<prometheus::Counter>* projected_ = nullptr;
  prometheus::Family<prometheus::Counter>* decisions_ = nullptr;
};

}  // namespace pmo::reporting::app
