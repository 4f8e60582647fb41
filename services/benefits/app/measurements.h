// Recording measurements of a benefit, one or a batch, from gRPC or the ingest topic
// alike: each source_id is applied once, the benefit is reassessed and announced.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/benefits/app/use_case.h"
#include "pmo/benefits/v1/benefits.pb.h"

namespace pmo::benefits::app {

class MeasurementRecorder {
 public:
  static constexpr int kMaxBatch = 1000;  // measurements per RecordMeasurements call

  explicit MeasurementRecorder(const Deps& deps) : deps_(deps) {}

  // `source` is "grpc" or the ingest topic.
  absl::StatusOr<v1::RecordMeasurementResponse> RecordMeasurement(const v1::RecordMeasurementRequest& req,
                                                                  const CallContext& ctx, std::string_view source);
  absl::StatusOr<v1::RecordMeasurementsResponse> RecordMeasurements(const v1::RecordMeasurementsRequest& req,
                                                                    const CallContext& ctx, std::string_view source);

 private:
  struct Outcome {
    v1::Benefit snapshot;
    int applied = 0;
    int duplicates = 0;
  };
  absl::StatusOr<Outcome> Apply(const std::string& benefit_id, const std::vector<domain::Measurement>& measurements,
                                bool batch, const CallContext& ctx, std::string_view source);
  absl::StatusOr<Outcome> ApplyOnce(const std::string& benefit_id,
                                    const std::vector<domain::Measurement>& measurements, bool batch,
                                    const CallContext& ctx, std::string_view source);

  Deps deps_;
};

}  // namespace pmo::benefits::app
