// The pending re-score worker: finishes, every few seconds, the re-scores a model or
// priority change marked and that did not complete at once (failed, or another held it).
#pragma once

#include <chrono>
#include <memory>

#include "services/scoring/app/rescoring.h"
#include "pmo/common/worker.h"

namespace pmo::scoring::app {

// A worker (own thread, started and stopped by the service host) that calls
// rescoring.DrainPendingRescores() every `interval`.
std::unique_ptr<Worker> NewPendingRescoreWorker(Rescoring& rescoring,
                                                std::chrono::milliseconds interval = std::chrono::seconds(2));

}  // namespace pmo::scoring::app
