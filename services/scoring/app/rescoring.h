// The full re-score of a portfolio after its model or objective priorities changed:
// one at a time per portfolio (a lease), retried while concurrent writes win, and
// finished by the pending re-score worker when it could not complete at once.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/scoring/app/scoring_metrics.h"
#include "services/scoring/store/stores.h"
#include "pmo/common/clock.h"
#include "pmo/common/service_host.h"

namespace pmo::scoring::app {

class Rescoring {
 public:
  Rescoring(store::ModelStore& models, store::ReadModelStore& read_models, store::RescoreStore& rescores,
            ScoringMetrics& metrics, const Clock& clock)
      : models_(models), read_models_(read_models), rescores_(rescores), metrics_(metrics), clock_(clock) {}

  // Re-scores every initiative of a portfolio (after a model change); returns how many.
  // ABORTED when scores or the model moved meanwhile (nothing swapped in).
  absl::StatusOr<int> RescorePortfolio(const std::string& portfolio_id, const CallContext& ctx);
  // Re-scores a portfolio marked for it and clears the mark once done.
  absl::Status RescoreIfPending(const std::string& portfolio_id, const CallContext& ctx);
  // Re-scores every marked portfolio (the pending re-score worker calls this).
  absl::Status DrainPendingRescores();

 private:
  store::ModelStore& models_;
  store::ReadModelStore& read_models_;
  store::RescoreStore& rescores_;
  ScoringMetrics& metrics_;
  const Clock& clock_;
};

}  // namespace pmo::scoring::app
