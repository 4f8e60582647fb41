#include "services/benefits/app/metrics.h"

#include <string>

namespace pmo::benefits::app {

struct BenefitsMetrics::Families {
  prometheus::Family<prometheus::Counter>& measurements;
  prometheus::Family<prometheus::Counter>& status_changes;
  prometheus::Family<prometheus::Counter>& promises_skipped;
  explicit Families(prometheus::Registry& r)
      : measurements(prometheus::BuildCounter()
                         .Name("pmo_benefits_measurements_total")
                         .Help("Measurements applied, by source (grpc or the ingest topic)")
                         .Register(r)),
        status_changes(prometheus::BuildCounter()
                           .Name("pmo_benefits_status_changes_total")
                           .Help("Benefit status changes, by new status and cause")
                           .Register(r)),
        promises_skipped(prometheus::BuildCounter()
                             .Name("pmo_benefits_promises_skipped_total")
                             .Help("Benefits promised in a submission that could not be registered, by reason")
                             .Register(r)) {}
};

BenefitsMetrics::BenefitsMetrics(Metrics* metrics)
    : families_(metrics ? std::make_unique<Families>(metrics->registry()) : nullptr) {}

BenefitsMetrics::~BenefitsMetrics() = default;

void BenefitsMetrics::MeasurementsApplied(std::string_view source, size_t count) {
  if (families_) families_->measurements.Add({{"source", std::string(source)}}).Increment(static_cast<double>(count));
}

void BenefitsMetrics::StatusChanged(const v1::Benefit& before, const v1::Benefit& after, std::string_view cause) {
  if (!families_ || before.status() == after.status()) return;
  std::string to = v1::BenefitStatus_Name(after.status()).substr(std::string_view("BENEFIT_STATUS_").size());
  families_->status_changes.Add({{"to", to}, {"cause", std::string(cause)}}).Increment();
}

void BenefitsMetrics::PromiseSkipped(std::string_view reason) {
  if (families_) families_->promises_skipped.Add({{"reason", std::string(reason)}}).Increment();
}

}  // namespace pmo::benefits::app
