// The benefits service's business counters: measurements applied by source, status
// changes by new status and cause, and promised benefits that could not be registered.
#pragma once

#include <memory>
#include <string_view>

#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/common/metrics.h"

namespace pmo::benefits::app {

class BenefitsMetrics {
 public:
  // Counts nothing when `metrics` is null (tests).
  explicit BenefitsMetrics(Metrics* metrics);
  ~BenefitsMetrics();

  void MeasurementsApplied(std::string_view source, size_t count);
  // Counts a change of status between two snapshots of one benefit (none when equal).
  void StatusChanged(const v1::Benefit& before, const v1::Benefit& after, std::string_view cause);
  void PromiseSkipped(std::string_view reason);

 private:
  struct Families;
  std::unique_ptr<Families> families_;
};

}  // namespace pmo::benefits::app
