// The seed retries only what is a service catching up, never a real refusal.
#include "seed.h"

#include <gtest/gtest.h>

#include "pmo/base/errors.h"

namespace pmo::demo {
namespace {

TEST(SeedRetries, AGateRefusedOnlyBecauseReadModelsLagIsRetried) {
  auto s = FailedPrecondition("initiative x cannot be approved",
                              {{"GATE_OKR_NOT_CAUGHT_UP", "x", "okr has not reported on this initiative"},
                               {"GATE_BENEFITS_NOT_CAUGHT_UP", "x", "benefits has not reported"}});
  EXPECT_TRUE(IsCatchingUp(s));
}

TEST(SeedRetries, AGateRefusedForARealReasonIsFinal) {
  auto s = FailedPrecondition("initiative x cannot be approved",
                              {{"GATE_OKR_NOT_CAUGHT_UP", "x", "okr has not reported"},
                               {"CAPACITY_BUDGET", "x", "2027Q1 over budget"}});
  EXPECT_FALSE(IsCatchingUp(s));
  EXPECT_FALSE(IsCatchingUp(FailedPrecondition("cannot", {{"GATE_MEASURABLE_KEY_RESULT", "x", "none"}})));
}

TEST(SeedRetries, TheMessageAloneDecidesNothing) {
  // Without the structured PreconditionFailure, words in the message are not a contract.
  EXPECT_FALSE(IsCatchingUp(absl::FailedPreconditionError("okr has not caught up; retry shortly")));
  EXPECT_FALSE(IsCatchingUp(absl::InvalidArgumentError("bad")));
  EXPECT_FALSE(IsCatchingUp(absl::NotFoundError("initiative x not found")));
}

TEST(SeedRetries, UnavailableAndAbortedAreRetried) {
  EXPECT_TRUE(IsCatchingUp(absl::UnavailableError("connection refused")));
  EXPECT_TRUE(IsCatchingUp(absl::AbortedError("changed concurrently")));
}

}  // namespace
}  // namespace pmo::demo
