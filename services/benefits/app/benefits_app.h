// The benefits service's use cases in one place, for the handlers above them: the
// register, measurements, value queries, intake's events and the STALE sweep, each in
// its own file. Each use case reads through the store, lets the pure
// domain decide, and commits the new state with its events in one atomic write guarded
// by the versions it read; gRPC handlers, the ingest consumer, intake's events and the
// sweep all call these, so a measurement behaves the same from either door.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "services/benefits/app/intake_events.h"
#include "services/benefits/app/measurements.h"
#include "services/benefits/app/metrics.h"
#include "services/benefits/app/register.h"
#include "services/benefits/app/sweep.h"
#include "services/benefits/app/use_case.h"
#include "services/benefits/app/value.h"
#include "services/benefits/store/benefits_store.h"
#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/common/clock.h"
#include "pmo/common/metrics.h"
#include "pmo/intake/v1/intake.pb.h"

namespace pmo::benefits::app {

class BenefitsApp {
 public:
  // `store` outlives the app; `metrics` may be null (nothing is counted).
  BenefitsApp(store::BenefitsStore& store, Metrics* metrics, BenefitsOptions options = {},
              const Clock& clock = SystemClock::Instance());

  absl::StatusOr<v1::Benefit> CreateBenefit(const v1::CreateBenefitRequest& req, const CallContext& ctx) {
    return register_.CreateBenefit(req, ctx);
  }
  absl::StatusOr<v1::Benefit> UpdateBenefit(const v1::UpdateBenefitRequest& req, const CallContext& ctx) {
    return register_.UpdateBenefit(req, ctx);
  }
  absl::StatusOr<v1::Benefit> GetBenefit(const v1::GetBenefitRequest& req) { return register_.GetBenefit(req); }
  absl::StatusOr<v1::ListBenefitsResponse> ListBenefits(const v1::ListBenefitsRequest& req) {
    return register_.ListBenefits(req);
  }
  absl::StatusOr<v1::GetRealisationResponse> GetRealisation(const v1::GetRealisationRequest& req) {
    return register_.GetRealisation(req);
  }

  // `source` is "grpc" or the ingest topic.
  absl::StatusOr<v1::RecordMeasurementResponse> RecordMeasurement(const v1::RecordMeasurementRequest& req,
                                                                  const CallContext& ctx, std::string_view source) {
    return measurements_.RecordMeasurement(req, ctx, source);
  }
  absl::StatusOr<v1::RecordMeasurementsResponse> RecordMeasurements(const v1::RecordMeasurementsRequest& req,
                                                                    const CallContext& ctx, std::string_view source) {
    return measurements_.RecordMeasurements(req, ctx, source);
  }

  absl::StatusOr<v1::ValueSummary> GetInitiativeValue(const v1::GetInitiativeValueRequest& req) {
    return value_.GetInitiativeValue(req);
  }
  absl::StatusOr<v1::PortfolioValue> GetPortfolioValue(const v1::GetPortfolioValueRequest& req) {
    return value_.GetPortfolioValue(req);
  }

  // From intake's events; idempotent by intake's version (see IntakeEvents).
  absl::Status ApplyInitiative(const intake::v1::Initiative& initiative, int64_t version,
                               const domain::Date& occurred_on, const CallContext& ctx) {
    return intake_.ApplyInitiative(initiative, version, occurred_on, ctx);
  }
  absl::Status ApplyPortfolio(const intake::v1::Portfolio& portfolio, int64_t version) {
    return intake_.ApplyPortfolio(portfolio, version);
  }

  // The STALE sweep (see StaleSweep).
  absl::StatusOr<int> ReviewDue() { return sweep_.ReviewDue(); }

  domain::Date Today() const { return deps_.Today(); }

 private:
  BenefitsOptions options_;
  BenefitsMetrics metrics_;
  Deps deps_;
  BenefitRegister register_;
  MeasurementRecorder measurements_;
  ValueQueries value_;
  IntakeEvents intake_;
  StaleSweep sweep_;
};

}  // namespace pmo::benefits::app
