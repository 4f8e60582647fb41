// The money value of benefits: planned and realised per benefit, and their sums per
// initiative and portfolio with realised against planned ROI and benefits by status.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/benefits/domain/model.h"
#include "services/benefits/domain/status.h"

namespace pmo::benefits::domain {

// Largest amount, in minor units, a single benefit's value may reach; beyond it the
// value is refused (OUT_OF_RANGE) rather than rounded into nonsense.
inline constexpr double kMaxValueMinorUnits = 1e17;

// One benefit's contribution to the sums.
struct BenefitValue {
  std::string benefit_id;
  std::string initiative_id;
  BenefitStatus status = BenefitStatus::kNotStarted;
  // Both absent unless the benefit is FINANCIAL and carries a value per unit. A value
  // per unit on another category is kept but not counted: operational or customer
  // benefits with a price tag usually restate a financial benefit of the same
  // initiative, and counting both would double the money.
  std::optional<Money> planned;
  std::optional<Money> realised;
  bool operator==(const BenefitValue&) const = default;
};

// planned  = |target − baseline| × value per unit
// realised = max(0, (latest − baseline) × s) × value per unit, s = +1 for INCREASE and
//            −1 for DECREASE: direction-aware and never negative (a move the wrong
//            way realises nothing, it does not subtract). Not capped at the target:
//            over-delivery is value too. 0 before the first measurement.
// Amounts are rounded half away from zero to whole minor units. OUT_OF_RANGE when one
// exceeds kMaxValueMinorUnits.
absl::StatusOr<BenefitValue> ValueOf(const Benefit& benefit, const std::optional<double>& latest, BenefitStatus status);

struct ValueSummary {
  std::string currency;
  int64_t planned_minor_units = 0;
  int64_t realised_minor_units = 0;
  // Absent when no cost is known (intake has not reported one yet).
  std::optional<int64_t> cost_minor_units;
  // (planned − cost) / cost and (realised − cost) / cost; absent without a positive cost.
  std::optional<double> planned_roi;
  std::optional<double> realised_roi;
  // realised / planned: the benefits realisation rate; absent when nothing is planned.
  std::optional<double> realisation_rate;
  int32_t benefit_count = 0;
  int32_t monetised_count = 0;  // benefits whose value is in the sums
  std::map<BenefitStatus, int32_t> benefits_by_status;
  // Monetised benefits valued in another currency: counted by status but left out of
  // the sums, since converting currencies is not this service's call.
  std::vector<std::string> other_currency_benefit_ids;
};

// Sums `values` in `currency` (three upper-case letters) against `cost` (same currency,
// not negative). INVALID_ARGUMENT on a bad currency or cost; OUT_OF_RANGE when a sum
// does not fit in 64 bits.
absl::StatusOr<ValueSummary> SummariseValue(std::span<const BenefitValue> values, std::string_view currency,
                                            const std::optional<Money>& cost);

struct PortfolioValue {
  // Cost: the sum over every initiative in `cost_by_initiative`, with or without
  // benefits; an initiative costs money whether or not it promised value.
  ValueSummary total;
  // Every initiative with a benefit or a cost; the cost is absent for one not in
  // `cost_by_initiative`.
  std::map<std::string, ValueSummary> by_initiative;
};

// Field paths of violations: "currency", "cost_by_initiative[<id>]" and
// "cost_by_initiative[<id>].currency".
absl::StatusOr<PortfolioValue> SummarisePortfolio(std::span<const BenefitValue> values, std::string_view currency,
                                                  const std::map<std::string, Money>& cost_by_initiative);

}  // namespace pmo::benefits::domain
