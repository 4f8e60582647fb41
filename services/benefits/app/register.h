// The benefit register's use cases: create, update (or withdraw), read and list
// benefits, and a benefit's realisation.
#pragma once

#include "absl/status/statusor.h"
#include "services/benefits/app/use_case.h"
#include "pmo/benefits/v1/benefits.pb.h"

namespace pmo::benefits::app {

class BenefitRegister {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;

  explicit BenefitRegister(const Deps& deps) : deps_(deps) {}

  // INVALID_ARGUMENT lists every violation; an id taken answers ALREADY_EXISTS.
  absl::StatusOr<v1::Benefit> CreateBenefit(const v1::CreateBenefitRequest& req, const CallContext& ctx);
  // ABORTED unless at the expected version; FAILED_PRECONDITION once withdrawn.
  absl::StatusOr<v1::Benefit> UpdateBenefit(const v1::UpdateBenefitRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Benefit> GetBenefit(const v1::GetBenefitRequest& req);
  absl::StatusOr<v1::ListBenefitsResponse> ListBenefits(const v1::ListBenefitsRequest& req);
  absl::StatusOr<v1::GetRealisationResponse> GetRealisation(const v1::GetRealisationRequest& req);

 private:
  Deps deps_;
};

}  // namespace pmo::benefits::app
