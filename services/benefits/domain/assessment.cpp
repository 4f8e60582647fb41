#include "services/benefits/domain/assessment.h"

#include <algorithm>

namespace pmo::benefits::domain {

absl::StatusOr<Assessment> Assess(const Benefit& benefit, std::span<const Measurement> measurements,
                                  const StatusContext& context) {
  Assessment a;
  a.realisation = Realise(benefit, measurements);
  a.status = EvaluateStatus(benefit, measurements, context);
  absl::StatusOr<BenefitValue> value =
      ValueOf(benefit, a.realisation.latest ? std::optional<double>(a.realisation.latest->value) : std::nullopt,
              a.status.status);
  if (!value.ok()) return value.status();
  a.value = *std::move(value);
  a.window = TrackingWindowOf(benefit, context.delivered_on);
  a.next_review = NextStatusReview(benefit, measurements, context);
  return a;
}

std::optional<Date> NextStatusReview(const Benefit& benefit, std::span<const Measurement> measurements,
                                     const StatusContext& context) {
  const std::optional<TrackingWindow> window = TrackingWindowOf(benefit, context.delivered_on);
  if (!window) return std::nullopt;
  const int64_t stale_after = std::max(context.stale_after_days, 1);
  const Date since = measurements.empty() ? window->opens : std::max(measurements.back().as_of, window->opens);
  const Date stale_from = AddDays(since, stale_after + 1);
  if (stale_from >= window->closes) return std::nullopt;
  if (context.today < stale_from) return stale_from;
  if (context.today < window->closes) return window->closes;
  return std::nullopt;
}

}  // namespace pmo::benefits::domain
