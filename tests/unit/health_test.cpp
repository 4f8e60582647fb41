// Tests of common/src/health.cpp without a server: what Check answers as the host sets
// statuses and shuts down (Watch streams are covered by the platform integration test).
#include "pmo/common/health.h"

#include <string>

#include <gtest/gtest.h>

namespace pmo {
namespace {

using grpc::health::v1::HealthCheckResponse;

// Check's answer for `service`: its status, or the gRPC error code as a negative number.
int CheckStatus(HealthService& health, const std::string& service) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  const grpc::Status status = health.Check(nullptr, &request, &response);
  if (!status.ok()) return -static_cast<int>(status.error_code());
  return response.status();
}

TEST(Health, UnknownServicesAreNotFound) {
  HealthService health;
  EXPECT_EQ(CheckStatus(health, ""), -grpc::StatusCode::NOT_FOUND);
  health.Set("pmo.intake.v1.IntakeService", HealthCheckResponse::SERVING);
  EXPECT_EQ(CheckStatus(health, "pmo.okr.v1.OkrService"), -grpc::StatusCode::NOT_FOUND);
}

TEST(Health, CheckAnswersTheLatestStatus) {
  HealthService health;
  health.Set("", HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(CheckStatus(health, ""), HealthCheckResponse::NOT_SERVING);
  health.Set("", HealthCheckResponse::SERVING);
  health.Set("pmo.intake.v1.IntakeService", HealthCheckResponse::SERVING);
  EXPECT_EQ(CheckStatus(health, ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(CheckStatus(health, "pmo.intake.v1.IntakeService"), HealthCheckResponse::SERVING);
  health.Set("pmo.intake.v1.IntakeService", HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(CheckStatus(health, "pmo.intake.v1.IntakeService"), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(CheckStatus(health, ""), HealthCheckResponse::SERVING);
}

TEST(Health, ShutdownMarksEverythingNotServingForGood) {
  HealthService health;
  health.Set("", HealthCheckResponse::SERVING);
  health.Set("pmo.intake.v1.IntakeService", HealthCheckResponse::SERVING);
  health.Shutdown();
  EXPECT_EQ(CheckStatus(health, ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(CheckStatus(health, "pmo.intake.v1.IntakeService"), HealthCheckResponse::NOT_SERVING);
  // A dependency check that reports in late does not bring a stopping server back.
  health.Set("", HealthCheckResponse::SERVING);
  EXPECT_EQ(CheckStatus(health, ""), HealthCheckResponse::NOT_SERVING);
}

}  // namespace
}  // namespace pmo
