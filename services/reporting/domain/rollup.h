// How a read model's pieces roll up into an initiative's dashboard row and how the
// projection notices that a quarter ended: pure rules on plain values, kept apart from
// the storage layout so a unit test can check them and a change is made in one place.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/reporting/domain/evidence.h"

namespace pmo::reporting::domain {

// How strongly a benefit's status colours its initiative's row: the worst status wins
// (OFF_TRACK 6, AT_RISK 5, STALE 4, NOT_STARTED 3, ON_TRACK 2, REALISED 1, unknown 0).
int StatusSeverity(BenefitStatus status);

// One linked key result's progress (0..1) and the link's contribution weight.
struct ContributedProgress {
  double progress = 0;
  double contribution = 0;
};

// An initiative's key-result progress: contribution-weighted over the links that have
// progress; the plain mean when no such link carries a weight; nothing without progress.
std::optional<double> KeyResultProgress(const std::vector<ContributedProgress>& links);

// An initiative's benefit realisation: the mean realised share of its measured benefits.
std::optional<double> MeanRealisation(const std::vector<double>& realised_shares);

// The share of the planned improvement (target - baseline) the forecast reaches at the
// target date; nothing from fewer than 3 points, without a baseline and a target, or when
// target equals baseline.
std::optional<double> ForecastShare(std::optional<double> forecast, int points, std::optional<double> baseline,
                                    std::optional<double> target);

// Stages an evidence review covers: delivery is under way.
bool IsUnderReview(std::string_view stage);

// What an event of `event_quarter` does to the latest quarter seen for its portfolio
// ("" when none yet): a later quarter advances it, and then the quarter seen before
// (if any) has ended, so its state KPIs are frozen.
struct QuarterStep {
  bool advances = false;
  std::optional<std::string> ended;
};
QuarterStep StepQuarter(std::string_view latest_seen, std::string_view event_quarter);

}  // namespace pmo::reporting::domain
