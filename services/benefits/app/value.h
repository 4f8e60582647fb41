// Value queries: planned and realised money value, cost and ROI of an initiative's
// benefits and of a whole portfolio, in one currency.
#pragma once

#include "absl/status/statusor.h"
#include "services/benefits/app/use_case.h"
#include "pmo/benefits/v1/benefits.pb.h"

namespace pmo::benefits::app {

class ValueQueries {
 public:
  explicit ValueQueries(const Deps& deps) : deps_(deps) {}

  absl::StatusOr<v1::ValueSummary> GetInitiativeValue(const v1::GetInitiativeValueRequest& req);
  absl::StatusOr<v1::PortfolioValue> GetPortfolioValue(const v1::GetPortfolioValueRequest& req);

 private:
  Deps deps_;
};

}  // namespace pmo::benefits::app
