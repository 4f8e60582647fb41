#include "services/benefits/domain/forecast.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace pmo::benefits::domain {
namespace {

// t_{0.90, dof} for dof 1..30 (index dof − 1).
constexpr std::array<double, 30> kT90 = {
    3.0777, 1.8856, 1.6377, 1.5332, 1.4759, 1.4398, 1.4149, 1.3968, 1.3830, 1.3722,
    1.3634, 1.3562, 1.3502, 1.3450, 1.3406, 1.3368, 1.3334, 1.3304, 1.3277, 1.3253,
    1.3232, 1.3212, 1.3195, 1.3178, 1.3163, 1.3150, 1.3137, 1.3125, 1.3114, 1.3104,
};
constexpr double kZ90 = 1.2816;

}  // namespace

double LinearFit::ValueAt(const Date& date) const {
  return intercept + slope * static_cast<double>(DaysBetween(origin, date));
}

std::optional<LinearFit> FitLine(std::span<const Measurement> measurements) {
  if (measurements.size() < 2) return std::nullopt;
  LinearFit fit;
  fit.points = measurements.size();
  fit.origin = measurements.front().as_of;
  for (const Measurement& m : measurements) fit.origin = std::min(fit.origin, m.as_of);
  const auto n = static_cast<double>(fit.points);
  auto x_of = [&](const Measurement& m) { return static_cast<double>(DaysBetween(fit.origin, m.as_of)); };
  for (const Measurement& m : measurements) {
    fit.mean_x += x_of(m);
    fit.mean_y += m.value;
  }
  fit.mean_x /= n;
  fit.mean_y /= n;
  double sxy = 0;
  for (const Measurement& m : measurements) {
    const double dx = x_of(m) - fit.mean_x;
    fit.sxx += dx * dx;
    sxy += dx * (m.value - fit.mean_y);
  }
  if (fit.sxx <= 0) return std::nullopt;
  fit.slope = sxy / fit.sxx;
  fit.intercept = fit.mean_y - fit.slope * fit.mean_x;
  if (fit.points > 2) {
    double sse = 0;
    for (const Measurement& m : measurements) {
      const double residual = m.value - (fit.intercept + fit.slope * x_of(m));
      sse += residual * residual;
    }
    fit.residual_sd = std::sqrt(sse / (n - 2));
  }
  return fit;
}

double TQuantile90(int64_t dof) {
  if (dof < 1) dof = 1;
  if (dof > static_cast<int64_t>(kT90.size())) return kZ90;
  return kT90[static_cast<size_t>(dof - 1)];
}

std::optional<Forecast> ForecastAt(std::span<const Measurement> measurements, const Date& at) {
  if (measurements.size() < kMinForecastPoints) return std::nullopt;
  const std::optional<LinearFit> fit = FitLine(measurements);
  if (!fit) return std::nullopt;
  const auto n = static_cast<double>(fit->points);
  const double dx0 = static_cast<double>(DaysBetween(fit->origin, at)) - fit->mean_x;
  const double se = fit->residual_sd * std::sqrt(1.0 + 1.0 / n + dx0 * dx0 / fit->sxx);
  const double half = TQuantile90(static_cast<int64_t>(fit->points) - 2) * se;
  Forecast forecast;
  forecast.at = at;
  forecast.value = fit->ValueAt(at);
  forecast.lower = forecast.value - half;
  forecast.upper = forecast.value + half;
  forecast.points = fit->points;
  return forecast;
}

}  // namespace pmo::benefits::domain
