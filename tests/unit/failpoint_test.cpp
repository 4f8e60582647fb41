// Tests of common/src/failpoint.cpp: inert unless PMO_FAILPOINTS names the point, and
// then the process ends at once with kFailpointExitCode.
#include "pmo/common/failpoint.h"

#include <cstdlib>

#include <gtest/gtest.h>

namespace pmo {
namespace {

// PMO_FAILPOINTS is read once per process, so each armed case runs in a fresh process
// (the threadsafe death-test style re-executes the test binary) and sets it there first.
class FailpointDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

TEST_F(FailpointDeathTest, AnArmedPointEndsTheProcessWithItsExitCode) {
  EXPECT_EXIT(
      {
        setenv("PMO_FAILPOINTS", "relay.after_ack, outbox.before_commit", 1);  // spaces after commas are fine
        CrashAtFailpoint("outbox.before_commit");
        std::exit(0);
      },
      ::testing::ExitedWithCode(kFailpointExitCode), "");
}

TEST_F(FailpointDeathTest, OnlyTheNamedPointsAreArmed) {
  EXPECT_EXIT(
      {
        setenv("PMO_FAILPOINTS", "relay.after_ack", 1);
        const bool armed = FailpointArmed("relay.after_ack") && !FailpointArmed("relay") &&
                           !FailpointArmed("outbox.before_commit");
        CrashAtFailpoint("outbox.before_commit");  // not armed: returns
        std::exit(armed ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(Failpoint, InertWhenNothingIsArmed) {
  if (std::getenv("PMO_FAILPOINTS") != nullptr) GTEST_SKIP() << "PMO_FAILPOINTS is set for this run";
  EXPECT_FALSE(FailpointArmed("relay.after_ack"));
  CrashAtFailpoint("relay.after_ack");  // returns
  SUCCEED();
}

}  // namespace
}  // namespace pmo
