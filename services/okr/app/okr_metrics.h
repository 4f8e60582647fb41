// okr's business metrics: check-ins by source, strategy changes, and objectives and key
// results per portfolio. Owns its Prometheus families; the use cases only report.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "pmo/common/metrics.h"

namespace pmo::okr::app {

class OkrMetrics {
 public:
  // With null `metrics`, every report is a no-op.
  explicit OkrMetrics(Metrics* metrics);

  bool enabled() const { return families_ != nullptr; }
  void CheckInRecorded(const std::string& source);
  void StrategyChanged(const std::string& portfolio_id);
  void PortfolioSize(const std::string& portfolio_id, int64_t objectives, int64_t key_results);

 private:
  struct Families;
  std::shared_ptr<Families> families_;
};

}  // namespace pmo::okr::app
