#include "services/scoring/app/rescore_worker.h"

#include "pmo/common/periodic_worker.h"

namespace pmo::scoring::app {

std::unique_ptr<Worker> NewPendingRescoreWorker(Rescoring& rescoring, std::chrono::milliseconds interval) {
  return std::make_unique<PeriodicWorker>("scoring-rescore", interval,
                                          [&rescoring] { return rescoring.DrainPendingRescores(); });
}

}  // namespace pmo::scoring::app
