// Least-squares trend and forecast of a benefit's metric over time, with an 80 %
// prediction interval at the target date.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "services/benefits/domain/calendar.h"
#include "services/benefits/domain/model.h"

namespace pmo::benefits::domain {

// No forecast from fewer points: two points always fit a line exactly, leaving no
// residual to size an interval with.
inline constexpr size_t kMinForecastPoints = 3;
inline constexpr double kForecastConfidence = 0.80;

// Ordinary least squares of value y on time x, x in days after the first
// measurement's as_of (`origin`; small numbers keep the sums exact enough):
//   x̄ = Σx/n, ȳ = Σy/n, Sxx = Σ(x − x̄)², Sxy = Σ(x − x̄)(y − ȳ)
//   slope b = Sxy / Sxx (value per day), intercept a = ȳ − b·x̄ (value at origin)
//   SSE = Σ(y − a − b·x)², s = sqrt(SSE / (n − 2)) for n ≥ 3 (0 for n = 2)
struct LinearFit {
  size_t points = 0;
  Date origin;
  double mean_x = 0;
  double mean_y = 0;
  double sxx = 0;
  double slope = 0;
  double intercept = 0;
  double residual_sd = 0;
  // a + b·x at `date`.
  double ValueAt(const Date& date) const;
};

// The fit over `measurements` (any order), or nullopt when fewer than two points or all
// on one date (Sxx = 0: time explains nothing).
std::optional<LinearFit> FitLine(std::span<const Measurement> measurements);

// t_{0.90, dof}, the 0.90 quantile of Student's t: the half-width factor of a two-sided
// 80 % interval. Tabled for dof 1..30 (four decimals); above 30 the normal quantile
// 1.2816 is used. dof must be ≥ 1.
double TQuantile90(int64_t dof);

// The forecast value at `at` with its two-sided 80 % prediction interval:
//   ŷ₀ = a + b·x₀
//   se = s · sqrt(1 + 1/n + (x₀ − x̄)² / Sxx)
//   lower, upper = ŷ₀ ∓ t_{0.90, n−2} · se
// A prediction (not a confidence) interval: it is where one future measurement is
// expected to fall, which is what "will we hit the target" asks.
struct Forecast {
  Date at;
  double value = 0;
  double lower = 0;
  double upper = 0;
  size_t points = 0;
};

// nullopt below kMinForecastPoints or when FitLine has no line.
std::optional<Forecast> ForecastAt(std::span<const Measurement> measurements, const Date& at);

}  // namespace pmo::benefits::domain
