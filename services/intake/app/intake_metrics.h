// Intake's business metrics: initiatives by portfolio and stage (a gauge refreshed from
// the stored counts), progress reports applied by source, and refused approvals by
// unmet condition. Without a registry (tests) every call is a no-op.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pmo/common/metrics.h"
#include "services/intake/domain/gates.h"

namespace pmo::intake::app {

class IntakeMetrics {
 public:
  explicit IntakeMetrics(Metrics* metrics);
  ~IntakeMetrics();

  void ProgressApplied(std::string_view source);
  void GateRefused(const std::vector<domain::GateFailure>& failures);
  // `counts` per portfolio: stage name ("STAGE_ACTIVE") -> initiatives; every stage gets
  // a series, 0 when absent.
  void SetInitiativesByStage(const std::vector<std::pair<std::string, std::map<std::string, int64_t>>>& counts);

  bool enabled() const { return families_ != nullptr; }

 private:
  struct Families;
  std::unique_ptr<Families> families_;
  std::mutex progress_mu_;
  std::map<std::string, prometheus::Counter*, std::less<>> progress_by_source_;  // the series of each source
};

}  // namespace pmo::intake::app
