#include "services/benefits/domain/measurements.h"

#include <algorithm>

#include "services/benefits/domain/validation.h"

namespace pmo::benefits::domain {

absl::StatusOr<ApplyOutcome> ApplyMeasurement(MeasurementSeries& series, const Measurement& measurement,
                                              const Date& today) {
  if (absl::Status valid = ValidateMeasurement(measurement, today); !valid.ok()) return valid;
  const bool seen = std::any_of(series.begin(), series.end(),
                                [&](const Measurement& m) { return m.source_id == measurement.source_id; });
  if (seen) return ApplyOutcome::kDuplicate;
  // upper_bound: after every measurement with the same date, so arrival order breaks ties.
  const auto at = std::upper_bound(series.begin(), series.end(), measurement.as_of,
                                   [](const Date& as_of, const Measurement& m) { return as_of < m.as_of; });
  series.insert(at, measurement);
  return ApplyOutcome::kApplied;
}

}  // namespace pmo::benefits::domain
