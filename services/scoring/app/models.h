// The portfolio's scoring model (versioned; a change re-scores the portfolio) and AHP
// weights derived from pairwise comparisons of its criteria.
#pragma once

#include "absl/status/statusor.h"
#include "services/scoring/app/rescoring.h"
#include "services/scoring/store/stores.h"
#include "pmo/common/clock.h"
#include "pmo/common/service_host.h"
#include "pmo/scoring/v1/scoring.pb.h"

namespace pmo::scoring::app {

class Models {
 public:
  Models(store::ModelStore& models, Rescoring& rescoring, const Clock& clock)
      : models_(models), rescoring_(rescoring), clock_(clock) {}

  // INVALID_ARGUMENT listing every violation; ABORTED when `expected_version` is not
  // the stored one. Re-scores the portfolio before answering (or leaves it marked).
  absl::StatusOr<v1::ScoringModel> SetScoringModel(const v1::SetScoringModelRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::ScoringModel> GetScoringModel(const v1::GetScoringModelRequest& req);
  absl::StatusOr<v1::DeriveWeightsResponse> DeriveWeights(const v1::DeriveWeightsRequest& req);

 private:
  store::ModelStore& models_;
  Rescoring& rescoring_;
  const Clock& clock_;
};

}  // namespace pmo::scoring::app
