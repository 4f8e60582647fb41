// The status of a benefit — NOT_STARTED, ON_TRACK, AT_RISK, OFF_TRACK, REALISED or
// STALE — with the reason for it, and the change between two evaluations.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "services/benefits/domain/calendar.h"
#include "services/benefits/domain/model.h"

namespace pmo::benefits::domain {

enum class BenefitStatus { kNotStarted, kOnTrack, kAtRisk, kOffTrack, kRealised, kStale };

// "NOT_STARTED", "ON_TRACK", ...: the names used in protos, events and messages.
std::string_view StatusName(BenefitStatus status);
std::optional<BenefitStatus> ParseStatus(std::string_view name);

// A benefit in its tracking window with no measurement for more than this many days
// is STALE, unless configured otherwise.
inline constexpr int32_t kDefaultStaleAfterDays = 45;
// The path rule's band (rule 6): how far behind the planned path, as a share of
// |target − baseline|, a benefit may be and still be AT_RISK rather than OFF_TRACK.
inline constexpr double kPathTolerance = 0.10;

// The post-delivery tracking window: from the day the initiative was delivered,
// `tracking_window_months` long. Half-open: `opens` is inside, `closes` is not.
struct TrackingWindow {
  Date opens;
  Date closes;  // AddMonths(opens, tracking_window_months)
  bool Contains(const Date& date) const { return opens <= date && date < closes; }
};

// Absent until the initiative is delivered.
std::optional<TrackingWindow> TrackingWindowOf(const Benefit& benefit, const std::optional<Date>& delivered_on);

struct StatusContext {
  Date today;
  // When intake reported the initiative DELIVERED; opens the tracking window.
  std::optional<Date> delivered_on;
  // Values below 1 count as 1.
  int32_t stale_after_days = kDefaultStaleAfterDays;
};

struct StatusEvaluation {
  BenefitStatus status = BenefitStatus::kNotStarted;
  // A sentence for people. It starts with a stable word for the rule that decided
  // ("stale:", "not started:", "realised:", "eroding:", "forecast:", "path:").
  std::string reason;
  bool operator==(const StatusEvaluation&) const = default;
};

// The status rules, applied in this order; the first that applies decides.
// "Meets the target" is direction-aware: at or above it for INCREASE, at or below it
// for DECREASE.
//
//  1. STALE — the tracking window is open on `today` and more than `stale_after_days`
//     days have passed since the later of the window's opening and the latest
//     measurement's as_of. Applies with or without measurements: once delivered,
//     missing evidence is the finding, whatever the last evidence said.
//  2. NOT_STARTED — no measurement yet.
//  3. REALISED — the target was met on two consecutive measurements (by as_of) at
//     some point, and the latest measurement still meets it.
//  4. AT_RISK, reason "eroding" — the target was met on two consecutive measurements
//     at some point, and the latest measurement no longer meets it. A later
//     measurement that meets the target again makes the benefit REALISED again.
//  5. With a forecast (at least 3 measurements on at least two dates), the 80 %
//     prediction interval [lower, upper] at the target date (forecast.h) against the
//     target:
//       ON_TRACK   the whole interval meets the target,
//       OFF_TRACK  no part of the interval meets it,
//       AT_RISK    the interval straddles the target.
//  6. Without a forecast, the latest value against a straight planned path from the
//     baseline at the first measurement's as_of to the target at the target date:
//       planned share p = days(first as_of → latest as_of) / days(first as_of →
//       target date), clamped to [0, 1] (1 when the target date is not after the first
//       measurement), and the latest ratio r = (latest − baseline)/(target − baseline):
//       ON_TRACK   r ≥ p                       (on or ahead of the path),
//       AT_RISK    p − kPathTolerance ≤ r < p  (behind by at most 10 % of the span),
//       OFF_TRACK  r < p − kPathTolerance.
//
// `measurements` ordered by as_of, as ApplyMeasurement keeps them.
StatusEvaluation EvaluateStatus(const Benefit& benefit, std::span<const Measurement> measurements,
                                const StatusContext& context);

}  // namespace pmo::benefits::domain
