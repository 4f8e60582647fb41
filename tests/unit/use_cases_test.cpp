// Tests of common/src/use_cases.cpp and its header: page sizes, one answer listing the
// structural and the domain's violations, and re-running a write that lost a race.
#include "pmo/common/use_cases.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support.h"

namespace pmo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using pmo::testing::StatusIs;

common::v1::PageRequest Page(int size) {
  common::v1::PageRequest page;
  page.set_page_size(size);
  return page;
}

TEST(PageSize, DefaultForZeroCappedAtTheMaximum) {
  EXPECT_EQ(PageSize(Page(0), 50, 200).value(), 50);
  EXPECT_EQ(PageSize(Page(1), 50, 200).value(), 1);
  EXPECT_EQ(PageSize(Page(200), 50, 200).value(), 200);
  EXPECT_EQ(PageSize(Page(201), 50, 200).value(), 200);
}

TEST(PageSize, NegativeIsInvalid) {
  auto size = PageSize(Page(-1), 50, 200);
  EXPECT_THAT(size, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must not be negative")));
  EXPECT_THAT(pmo::testing::ViolationFields(size), ElementsAre("page.page_size"));
}

TEST(MergeViolations, OneAnswerListsEarlyAndDomainViolations) {
  Violations early;
  early.Add("title", "must not be empty");
  const absl::Status merged =
      MergeViolations(early, InvalidArgument("invalid", {{"cost[0]", "must not be negative"}}), "invalid initiative");
  EXPECT_THAT(merged, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid initiative")));
  EXPECT_THAT(pmo::testing::ViolationFields(merged), ElementsAre("title", "cost[0]"));
}

TEST(MergeViolations, EarlyViolationsAloneStillRefuse) {
  Violations early;
  early.Add("title", "must not be empty");
  EXPECT_THAT(pmo::testing::ViolationFields(MergeViolations(early, absl::OkStatus(), "invalid")),
              ElementsAre("title"));
  Violations none;
  EXPECT_TRUE(MergeViolations(none, absl::OkStatus(), "invalid").ok());
}

TEST(MergeViolations, ADomainErrorOfAnotherKindIsReturnedAsItIs) {
  Violations early;
  early.Add("title", "must not be empty");
  EXPECT_THAT(MergeViolations(early, FailedPrecondition("gate", {{"NO_KR", "in-1", "no key result"}}), "invalid"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no key result")));
}

TEST(RetryOnRace, RunsAgainWhileTheCommitLosesARace) {
  int runs = 0;
  absl::StatusOr<int> r = RetryOnRace([&]() -> absl::StatusOr<int> {
    if (++runs < 3) return absl::AbortedError("version moved");
    return runs;
  });
  EXPECT_EQ(r.value(), 3);
  EXPECT_EQ(runs, 3);
}

TEST(RetryOnRace, GivesUpAfterTheAttempts) {
  int runs = 0;
  absl::StatusOr<int> r = RetryOnRace([&]() -> absl::StatusOr<int> {
    ++runs;
    return absl::AbortedError("version moved");
  });
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kAborted, HasSubstr("version moved")));
  EXPECT_EQ(runs, kRaceRetries);
  runs = 0;
  (void)RetryOnRace([&]() -> absl::StatusOr<int> {
    ++runs;
    return absl::AbortedError("x");
  }, 2);
  EXPECT_EQ(runs, 2);
}

TEST(RetryOnRace, OtherErrorsAreNotRetried) {
  int runs = 0;
  absl::StatusOr<int> r = RetryOnRace([&]() -> absl::StatusOr<int> {
    ++runs;
    return absl::UnavailableError("redis is down");
  });
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("redis is down")));
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace pmo
