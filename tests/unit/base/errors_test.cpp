// Tests of common/base/src/errors.cpp: violations collected and carried on an
// absl::Status as a payload (encoded without protobuf), and precondition failures.
#include "pmo/base/errors.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pmo/testing/status_matchers.h"

namespace pmo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using pmo::testing::StatusIs;

TEST(Errors, ViolationsCollectEveryProblemAndTravelAsPayload) {
  Violations v;
  EXPECT_TRUE(v.ToStatus().ok());
  v.Add("title", "must not be empty");
  v.Add("benefits[1].target", "must differ from the baseline");
  absl::Status s = v.ToStatus("invalid initiative");
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("title: must not be empty")));
  EXPECT_THAT(std::string(s.message()), HasSubstr("benefits[1].target: must differ from the baseline"));
  EXPECT_THAT(ViolationsOf(s), ElementsAre(FieldViolation{"title", "must not be empty"},
                                           FieldViolation{"benefits[1].target", "must differ from the baseline"}));
}

TEST(Errors, PreconditionFailuresListEveryUnmetCondition) {
  absl::Status s = FailedPrecondition("gate refused", {{"NO_KEY_RESULT", "init-1", "no measurable key result linked"},
                                                       {"NO_BENEFIT", "init-1", "no benefit with a target"}});
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no measurable key result linked")));
  EXPECT_THAT(std::string(s.message()), HasSubstr("no benefit with a target"));
  auto list = PreconditionViolationsOf(s);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].type, "NO_BENEFIT");
  EXPECT_EQ(list[1].subject, "init-1");
}

TEST(Errors, MessageStartsWithTheSummaryAndListsViolationsInOrder) {
  Violations v;
  v.Add("a", "first");
  v.Add("b", "second");
  EXPECT_EQ(v.size(), 2u);
  EXPECT_FALSE(v.empty());
  EXPECT_EQ(v.ToStatus("invalid thing").message(), "invalid thing: a: first; b: second");
  EXPECT_EQ(v.ToStatus().message(), "invalid request: a: first; b: second");
}

TEST(Errors, StatusesWithoutPayloadHaveNoViolations) {
  EXPECT_TRUE(ViolationsOf(absl::OkStatus()).empty());
  EXPECT_TRUE(ViolationsOf(absl::InvalidArgumentError("plain")).empty());
  EXPECT_TRUE(PreconditionViolationsOf(absl::FailedPreconditionError("plain")).empty());
  // An empty list makes the code without a payload.
  absl::Status s = InvalidArgument("nothing listed", {});
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nothing listed")));
  EXPECT_FALSE(s.GetPayload(kViolationsPayloadUrl).has_value());
}

TEST(Errors, ViolationTextSurvivesAnyBytes) {
  // Long and non-ASCII text: lengths above 127 need multi-byte varints.
  const std::string field = "cases[12]." + std::string(300, 'x');
  const std::string description = "é must not be \"empty\"\n";
  absl::Status s = InvalidArgument("bad", {{field, description}, {"", ""}});
  EXPECT_THAT(ViolationsOf(s), ElementsAre(FieldViolation{field, description}, FieldViolation{"", ""}));
  absl::Status p = FailedPrecondition("refused", {{"T", std::string(200, 's'), description}});
  EXPECT_THAT(PreconditionViolationsOf(p), ElementsAre(PreconditionViolation{"T", std::string(200, 's'), description}));
}

}  // namespace
}  // namespace pmo
