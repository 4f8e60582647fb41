// What scoring keeps of other services' snapshots, applied idempotently by version:
// intake's initiatives (scored as they arrive) and portfolios (for scenarios), okr's
// links and objective priorities (strategic alignment), and the benefits register.
#pragma once

#include "absl/status/status.h"
#include "services/scoring/app/rescoring.h"
#include "services/scoring/app/scores.h"
#include "services/scoring/store/stores.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/service_host.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"

namespace pmo::scoring::app {

class ReadModels {
 public:
  ReadModels(store::ModelStore& models, store::ReadModelStore& read_models, store::ScoreStore& scores_store,
             Scores& scores, Rescoring& rescoring)
      : models_(models), read_models_(read_models), scores_store_(scores_store), scores_(scores),
        rescoring_(rescoring) {}

  // Scores the snapshot if it is newer than the one held.
  absl::Status ApplyInitiative(const intake::v1::Initiative& snapshot, const CallContext& ctx);
  absl::Status ApplyPortfolio(const intake::v1::Portfolio& portfolio);
  // Links and objective priorities make strategic alignment: a change re-scores the
  // initiative (links) or the portfolio (priorities).
  absl::Status ApplyAlignment(const okr::v1::AlignmentChanged& alignment, const CallContext& ctx);
  absl::Status ApplyObjective(const okr::v1::ObjectiveChanged& objective, const CallContext& ctx);
  // The money an initiative's benefits are expected to bring (scenarios' objective).
  absl::Status ApplyBenefit(const benefits::v1::BenefitChanged& benefit);

 private:
  store::ModelStore& models_;
  store::ReadModelStore& read_models_;
  store::ScoreStore& scores_store_;
  Scores& scores_;
  Rescoring& rescoring_;
};

}  // namespace pmo::scoring::app
