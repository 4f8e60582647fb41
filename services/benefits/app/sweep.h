// The STALE sweep: re-evaluates every benefit whose review day has come, so time alone
// (no measurement in the window, the window closing) moves a status.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/benefits/app/use_case.h"

namespace pmo::benefits::app {

class StaleSweep {
 public:
  explicit StaleSweep(const Deps& deps) : deps_(deps) {}

  // Publishes BenefitStatusChanged where the status changed; answers how many changed.
  // One benefit or portfolio failing does not hold up the others: the first error is
  // answered once the rest were reviewed (the next run retries it).
  absl::StatusOr<int> ReviewDue();

 private:
  absl::StatusOr<bool> ReviewOne(const std::string& portfolio_id, const std::string& benefit_id,
                                 const domain::Date& today);

  Deps deps_;
};

}  // namespace pmo::benefits::app
