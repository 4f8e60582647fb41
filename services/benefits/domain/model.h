// The benefits domain's plain types: a benefit in the register, the measurements that
// stream in for it, and the names used for its enums in protos, events and messages.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pmo/base/money.h"
#include "services/benefits/domain/calendar.h"

namespace pmo::benefits::domain {

// Tracking continues after delivery for this many months unless a benefit says
// otherwise (DESIGN §3: value is realised in operations, not at go-live).
inline constexpr int32_t kDefaultTrackingWindowMonths = 12;

enum class BenefitCategory { kUnspecified, kFinancial, kStrategic, kOperational, kCustomer };
enum class Indicator { kUnspecified, kLeading, kLagging };

// Which way the metric has to move. Never stored: it follows from baseline and target
// (see DirectionOf), so the two can never disagree.
enum class Direction { kIncrease, kDecrease };

// "FINANCIAL", "LEADING", "INCREASE": the names used in protos, events and messages.
std::string_view CategoryName(BenefitCategory category);
std::optional<BenefitCategory> ParseCategory(std::string_view name);
std::string_view IndicatorName(Indicator indicator);
std::optional<Indicator> ParseIndicator(std::string_view name);
std::string_view DirectionName(Direction direction);

// Amounts in integer minor units (cents) so sums are exact: the base layer's Money.
using ::pmo::FormatMoney;
using ::pmo::Money;

struct Benefit {
  std::string id;
  std::string initiative_id;
  std::string portfolio_id;
  BenefitCategory category = BenefitCategory::kUnspecified;
  std::string metric;  // "application completion rate"
  std::string unit;    // "%"
  double baseline = 0;
  double target = 0;  // differs from the baseline; the side it lies on is the direction
  Date target_date;
  std::string owner;
  Indicator indicator = Indicator::kUnspecified;
  // What one unit of the metric is worth. Counted as money only for FINANCIAL benefits
  // (value.h says why); absent when the benefit is not monetised.
  std::optional<Money> value_per_unit;
  std::optional<std::string> key_result_id;  // the okr key result this benefit evidences
  // Months the benefit is tracked after the initiative is delivered; 1..60.
  int32_t tracking_window_months = kDefaultTrackingWindowMonths;
  int64_t version = 0;
  bool operator==(const Benefit&) const = default;
};

// One observation of a benefit's metric. `source_id` identifies the observation at its
// source (a meter reading, a report row): the same id is applied once however often it
// is delivered.
struct Measurement {
  double value = 0;
  Date as_of;
  std::string source_id;
  bool operator==(const Measurement&) const = default;
};

// INCREASE when the target lies above the baseline, DECREASE otherwise.
Direction DirectionOf(const Benefit& benefit);

// Whether `value` reaches the target in the benefit's direction (at or above it for
// INCREASE, at or below it for DECREASE).
bool MeetsTarget(const Benefit& benefit, double value);

// How far `value` has moved from baseline to target: (value − baseline) / (target −
// baseline). 0 at the baseline, 1 at the target, above 1 past it, negative when the
// metric moved the wrong way; the division makes it direction-aware by itself. A
// benefit that passed validation never has target == baseline; for one that did not,
// this is 1 when value equals the target and 0 otherwise.
double ProgressRatio(const Benefit& benefit, double value);

}  // namespace pmo::benefits::domain
