// How much of a benefit has been realised, which way and how fast its metric is
// moving, and where it is heading at the target date.
#pragma once

#include <cstddef>
#include <optional>
#include <span>

#include "services/benefits/domain/calendar.h"
#include "services/benefits/domain/forecast.h"
#include "services/benefits/domain/model.h"

namespace pmo::benefits::domain {

struct Realisation {
  Direction direction = Direction::kIncrease;
  size_t measurement_count = 0;
  // The last measurement by as_of (the last applied among those on the latest date);
  // absent before the first measurement.
  std::optional<Measurement> latest;
  // ratio = (latest − baseline) / (target − baseline), unclamped: 1.3 is 30 % past the
  // target, −0.2 is a move the wrong way. Direction-aware by construction: for a
  // DECREASE benefit both differences are negative. 0 before the first measurement.
  double ratio = 0;
  // The realised share: ratio clamped to [0, 1]. Over-delivery shows in `ratio`.
  double share = 0;
  // Least-squares slope in metric units per day (forecast.h); absent below two points
  // or when all measurements share one date. Its sign is the raw movement; compare it
  // with `direction` to tell improvement from decline.
  std::optional<double> trend_per_day;
  // At the benefit's target date; absent below kMinForecastPoints points.
  std::optional<Forecast> forecast;
};

// `measurements` ordered by as_of, as ApplyMeasurement keeps them.
Realisation Realise(const Benefit& benefit, std::span<const Measurement> measurements);

}  // namespace pmo::benefits::domain
