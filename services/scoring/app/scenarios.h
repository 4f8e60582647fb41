// Scenario planning: the selection of initiatives that maximises value under the
// portfolio's budget, capacity and WIP limits (exact, beside the greedy answer), stored
// and comparable, and the efficient frontier over budget levels.
#pragma once

#include "absl/status/statusor.h"
#include "services/scoring/app/scoring_metrics.h"
#include "services/scoring/store/stores.h"
#include "pmo/common/clock.h"
#include "pmo/common/service_host.h"
#include "pmo/scoring/v1/scoring.pb.h"

namespace pmo::scoring::app {

class Scenarios {
 public:
  Scenarios(store::ReadModelStore& read_models, store::ScenarioStore& scenarios, ScoringMetrics& metrics,
            const Clock& clock)
      : read_models_(read_models), scenarios_(scenarios), metrics_(metrics), clock_(clock) {}

  absl::StatusOr<v1::Scenario> RunScenario(const v1::RunScenarioRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Scenario> GetScenario(const v1::GetScenarioRequest& req);
  absl::StatusOr<v1::ListScenariosResponse> ListScenarios(const v1::ListScenariosRequest& req);
  absl::StatusOr<v1::CompareScenariosResponse> CompareScenarios(const v1::CompareScenariosRequest& req);
  absl::StatusOr<v1::EfficientFrontierResponse> EfficientFrontier(const v1::EfficientFrontierRequest& req);

 private:
  struct Inputs;
  absl::StatusOr<Inputs> BuildScenario(const std::string& portfolio_id, const v1::ScenarioConstraints& constraints,
                                       v1::Objective objective, int64_t time_limit_ms);

  store::ReadModelStore& read_models_;
  store::ScenarioStore& scenarios_;
  ScoringMetrics& metrics_;
  const Clock& clock_;
};

}  // namespace pmo::scoring::app
