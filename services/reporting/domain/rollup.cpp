#include "services/reporting/domain/rollup.h"

namespace pmo::reporting::domain {

int StatusSeverity(BenefitStatus status) {
  switch (status) {
    case BenefitStatus::kOffTrack: return 6;
    case BenefitStatus::kAtRisk: return 5;
    case BenefitStatus::kStale: return 4;
    case BenefitStatus::kNotStarted: return 3;
    case BenefitStatus::kOnTrack: return 2;
    case BenefitStatus::kRealised: return 1;
    case BenefitStatus::kUnknown: return 0;
  }
  return 0;
}

std::optional<double> KeyResultProgress(const std::vector<ContributedProgress>& links) {
  if (links.empty()) return std::nullopt;
  double weighted = 0, weights = 0, plain = 0;
  for (const auto& link : links) {
    weighted += link.progress * link.contribution;
    weights += link.contribution;
    plain += link.progress;
  }
  return weights > 0 ? weighted / weights : plain / static_cast<double>(links.size());
}

std::optional<double> MeanRealisation(const std::vector<double>& realised_shares) {
  if (realised_shares.empty()) return std::nullopt;
  double sum = 0;
  for (double share : realised_shares) sum += share;
  return sum / static_cast<double>(realised_shares.size());
}

std::optional<double> ForecastShare(std::optional<double> forecast, int points, std::optional<double> baseline,
                                    std::optional<double> target) {
  // Fewer than three measurements make a trend line that says nothing yet.
  if (!forecast || points < 3 || !baseline || !target || *target == *baseline) return std::nullopt;
  return (*forecast - *baseline) / (*target - *baseline);
}

bool IsUnderReview(std::string_view stage) { return stage == "ACTIVE" || stage == "PIVOTING"; }

QuarterStep StepQuarter(std::string_view latest_seen, std::string_view event_quarter) {
  // "YYYYQn" orders as text.
  QuarterStep step;
  if (!latest_seen.empty() && event_quarter <= latest_seen) return step;
  step.advances = true;
  if (!latest_seen.empty()) step.ended = std::string(latest_seen);
  return step;
}

}  // namespace pmo::reporting::domain
