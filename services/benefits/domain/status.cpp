#include "services/benefits/domain/status.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/benefits/domain/forecast.h"
#include "pmo/base/errors.h"

namespace pmo::benefits::domain {
namespace {

constexpr std::array<std::pair<BenefitStatus, std::string_view>, 6> kStatusNames = {{
    {BenefitStatus::kNotStarted, "NOT_STARTED"},
    {BenefitStatus::kOnTrack, "ON_TRACK"},
    {BenefitStatus::kAtRisk, "AT_RISK"},
    {BenefitStatus::kOffTrack, "OFF_TRACK"},
    {BenefitStatus::kRealised, "REALISED"},
    {BenefitStatus::kStale, "STALE"},
}};

// Keeps a value that lies on the planned path exactly from reading as behind it
// because of rounding in the two divisions.
constexpr double kEpsilon = 1e-9;

std::string_view Side(Direction direction) { return direction == Direction::kIncrease ? "at or above" : "at or below"; }

// The as_of on which the target was first met for the second measurement in a row.
std::optional<Date> FirstRealisedOn(const Benefit& benefit, std::span<const Measurement> measurements) {
  for (size_t i = 1; i < measurements.size(); ++i) {
    if (MeetsTarget(benefit, measurements[i - 1].value) && MeetsTarget(benefit, measurements[i].value)) {
      return measurements[i].as_of;
    }
  }
  return std::nullopt;
}

StatusEvaluation FromForecast(const Benefit& benefit, const Forecast& forecast) {
  const bool lower_meets = MeetsTarget(benefit, forecast.lower);
  const bool upper_meets = MeetsTarget(benefit, forecast.upper);
  const std::string interval = absl::StrCat("the 80 % forecast interval ", forecast.lower, "..", forecast.upper, " at ",
                                            FormatDate(forecast.at), " (from ", forecast.points, " measurements)");
  const std::string target = absl::StrCat("the target ", benefit.target);
  if (lower_meets && upper_meets) {
    return {BenefitStatus::kOnTrack,
            absl::StrCat("forecast: ", interval, " lies entirely ", AbslView(Side(DirectionOf(benefit))), " ", target)};
  }
  if (!lower_meets && !upper_meets) {
    return {BenefitStatus::kOffTrack, absl::StrCat("forecast: ", interval, " misses ", target, " entirely")};
  }
  return {BenefitStatus::kAtRisk, absl::StrCat("forecast: ", interval, " straddles ", target)};
}

StatusEvaluation FromPath(const Benefit& benefit, std::span<const Measurement> measurements) {
  const Date start = measurements.front().as_of;
  const Measurement& latest = measurements.back();
  const int64_t planned_days = DaysBetween(start, benefit.target_date);
  const double planned =
      planned_days <= 0
          ? 1.0
          : std::clamp(static_cast<double>(DaysBetween(start, latest.as_of)) / static_cast<double>(planned_days), 0.0,
                       1.0);
  const double actual = ProgressRatio(benefit, latest.value);
  const double planned_value = benefit.baseline + planned * (benefit.target - benefit.baseline);
  const std::string where =
      absl::StrCat("latest ", latest.value, " on ", FormatDate(latest.as_of), " against ", planned_value,
                   " planned on the straight path from ", benefit.baseline, " on ", FormatDate(start), " to ",
                   benefit.target, " on ", FormatDate(benefit.target_date));
  if (actual + kEpsilon >= planned) {
    return {BenefitStatus::kOnTrack, absl::StrCat("path: ", where, " is on or ahead of it")};
  }
  if (actual + kEpsilon >= planned - kPathTolerance) {
    return {BenefitStatus::kAtRisk,
            absl::StrCat("path: ", where, " is behind it by at most ", kPathTolerance * 100, " % of the span")};
  }
  return {BenefitStatus::kOffTrack,
          absl::StrCat("path: ", where, " is behind it by more than ", kPathTolerance * 100, " % of the span")};
}

}  // namespace

std::string_view StatusName(BenefitStatus status) {
  for (const auto& [s, name] : kStatusNames) {
    if (s == status) return name;
  }
  return "UNSPECIFIED";
}

std::optional<BenefitStatus> ParseStatus(std::string_view name) {
  for (const auto& [s, n] : kStatusNames) {
    if (n == name) return s;
  }
  return std::nullopt;
}

std::optional<TrackingWindow> TrackingWindowOf(const Benefit& benefit, const std::optional<Date>& delivered_on) {
  if (!delivered_on) return std::nullopt;
  return TrackingWindow{*delivered_on, AddMonths(*delivered_on, benefit.tracking_window_months)};
}

StatusEvaluation EvaluateStatus(const Benefit& benefit, std::span<const Measurement> measurements,
                                const StatusContext& context) {
  // Rule 1: stale inside the tracking window.
  if (const auto window = TrackingWindowOf(benefit, context.delivered_on); window && window->Contains(context.today)) {
    const int64_t stale_after = std::max(context.stale_after_days, 1);
    // A measurement from before delivery does not count as evidence inside the window.
    const Date since = measurements.empty() ? window->opens : std::max(measurements.back().as_of, window->opens);
    if (const int64_t quiet = DaysBetween(since, context.today); quiet > stale_after) {
      return {BenefitStatus::kStale,
              absl::StrCat("stale: no measurement for ", quiet, " days (since ", FormatDate(since),
                           ") inside the tracking window ", FormatDate(window->opens), "..", FormatDate(window->closes),
                           "; one is expected at least every ", stale_after, " days")};
    }
  }
  // Rule 2.
  if (measurements.empty()) return {BenefitStatus::kNotStarted, "not started: no measurement yet"};
  // Rules 3 and 4: realised, and erosion after it.
  const Measurement& latest = measurements.back();
  if (const std::optional<Date> realised_on = FirstRealisedOn(benefit, measurements)) {
    if (MeetsTarget(benefit, latest.value)) {
      return {BenefitStatus::kRealised,
              absl::StrCat("realised: the target ", benefit.target,
                           " was met on two consecutive measurements (first on ", FormatDate(*realised_on),
                           ") and the latest, ", latest.value, " on ", FormatDate(latest.as_of), ", still meets it")};
    }
    return {BenefitStatus::kAtRisk, absl::StrCat("eroding: the latest measurement, ", latest.value, " on ",
                                                 FormatDate(latest.as_of), ", no longer meets the target ",
                                                 benefit.target, ", which was realised on ", FormatDate(*realised_on))};
  }
  // Rules 5 and 6: heading for the target.
  if (const std::optional<Forecast> forecast = ForecastAt(measurements, benefit.target_date)) {
    return FromForecast(benefit, *forecast);
  }
  return FromPath(benefit, measurements);
}

}  // namespace pmo::benefits::domain
