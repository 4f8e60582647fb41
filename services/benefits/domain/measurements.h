// Applying measurements to a benefit's series: validated, placed by as_of whatever
// order they arrive in, and applied once per source_id however often they are delivered.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "services/benefits/domain/calendar.h"
#include "services/benefits/domain/model.h"

namespace pmo::benefits::domain {

// A benefit's measurements, ordered by as_of; measurements with the same as_of keep
// the order they were applied in, so the last of them is the latest.
using MeasurementSeries = std::vector<Measurement>;

enum class ApplyOutcome {
  kApplied,    // the series now holds the measurement
  kDuplicate,  // a measurement with this source_id is already in the series; nothing changed
};

// Adds `measurement` to `series` at its place by as_of, after any with the same date.
// A source_id already in the series is a redelivery and leaves the series unchanged,
// even when the value differs: the first one applied stands, and a correction is a new
// observation with its own source_id. Invalid input (ValidateMeasurement against
// `today`) is INVALID_ARGUMENT and leaves the series unchanged.
absl::StatusOr<ApplyOutcome> ApplyMeasurement(MeasurementSeries& series, const Measurement& measurement,
                                              const Date& today);

}  // namespace pmo::benefits::domain
