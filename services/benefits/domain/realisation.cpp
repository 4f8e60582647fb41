#include "services/benefits/domain/realisation.h"

#include <algorithm>

namespace pmo::benefits::domain {

Realisation Realise(const Benefit& benefit, std::span<const Measurement> measurements) {
  Realisation r;
  r.direction = DirectionOf(benefit);
  r.measurement_count = measurements.size();
  if (measurements.empty()) return r;
  r.latest = measurements.back();
  r.ratio = ProgressRatio(benefit, r.latest->value);
  r.share = std::clamp(r.ratio, 0.0, 1.0);
  if (const std::optional<LinearFit> fit = FitLine(measurements)) r.trend_per_day = fit->slope;
  r.forecast = ForecastAt(measurements, benefit.target_date);
  return r;
}

}  // namespace pmo::benefits::domain
