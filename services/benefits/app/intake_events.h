// Intake's events as the benefits service applies them, idempotently by intake's
// version: a portfolio's currency, and an initiative snapshot — its cost and stage, the
// benefits its submission promises (registered, updated or withdrawn), and the first
// delivered stage opening the tracking windows of its benefits.
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "services/benefits/app/use_case.h"
#include "pmo/intake/v1/intake.pb.h"

namespace pmo::benefits::app {

class IntakeEvents {
 public:
  explicit IntakeEvents(const Deps& deps) : deps_(deps) {}

  // `occurred_on`: the day of intake's event, the day a delivery opens the windows.
  absl::Status ApplyInitiative(const intake::v1::Initiative& initiative, int64_t version,
                               const domain::Date& occurred_on, const CallContext& ctx);
  absl::Status ApplyPortfolio(const intake::v1::Portfolio& portfolio, int64_t version);

 private:
  absl::Status ApplyInitiativeOnce(const intake::v1::Initiative& initiative, int64_t version,
                                   const domain::Date& occurred_on, const CallContext& ctx);

  Deps deps_;
};

}  // namespace pmo::benefits::app
