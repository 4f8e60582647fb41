#include "services/reporting/app/reporting_metrics.h"

#include <prometheus/counter.h>

namespace pmo::reporting::app {

ReportingMetrics::ReportingMetrics(Metrics* metrics) {
  if (!metrics) return;
  projected_ = &prometheus::BuildCounter()
                    .Name("pmo_reporting_events_projected_total")
                    .Help("Events applied to the read models, by event type")
                    .Register(metrics->registry());
  decisions_ = &prometheus::BuildCounter()
                    .Name("pmo_reporting_decisions_total")
                    .Help("Decisions recorded in evidence reviews, by decision")
                    .Register(metrics->registry());
}

void ReportingMetrics::EventProjected(const std::string& short_type) {
  if (projected_) projected_->Add({{"type", short_type}}).Increment();
}

void ReportingMetrics::DecisionRecorded(const std::string& decision) {
  if (decisions_) decisions_->Add({{"decision", decision}}).Increment();
}

}  // namespace pmo::reporting::app
