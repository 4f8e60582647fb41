// Everything the service derives from a benefit and its measurements in one call:
// realisation, status, money value, tracking window, and the day on which time alone
// may change the status (for the STALE sweep). Kept with the benefit on every write,
// so value queries aggregate stored results instead of re-reading measurements.
#pragma once

#include <optional>
#include <span>

#include "absl/status/statusor.h"
#include "services/benefits/domain/calendar.h"
#include "services/benefits/domain/model.h"
#include "services/benefits/domain/realisation.h"
#include "services/benefits/domain/status.h"
#include "services/benefits/domain/value.h"

namespace pmo::benefits::domain {

struct Assessment {
  Realisation realisation;
  StatusEvaluation status;
  BenefitValue value;
  std::optional<TrackingWindow> window;
  // See NextStatusReview.
  std::optional<Date> next_review;
};

// `measurements` ordered by as_of (ApplyMeasurement keeps them so). OUT_OF_RANGE when
// the money value does not fit (ValueOf).
absl::StatusOr<Assessment> Assess(const Benefit& benefit, std::span<const Measurement> measurements,
                                  const StatusContext& context);

// The first day after `context.today` on which EvaluateStatus may answer differently
// with no new measurement, or nullopt when only a measurement or a change to the
// benefit can change it. Only rule 1 (STALE) reads the calendar: the other rules look
// at measurements alone. So, with the tracking window [opens, closes) and
// since = max(latest as_of, opens):
//   stale_from = since + stale_after_days + 1 (the first day that is too quiet);
//   today < stale_from < closes    → stale_from (it turns STALE then);
//   stale_from ≤ today < closes    → closes (it is STALE; the window closing ends that);
//   otherwise (no window, the window closes first, or it closed) → nullopt.
std::optional<Date> NextStatusReview(const Benefit& benefit, std::span<const Measurement> measurements,
                                     const StatusContext& context);

}  // namespace pmo::benefits::domain
