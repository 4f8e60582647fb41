#include "services/intake/domain/decisions.h"

#include <map>
#include <ostream>
#include <string>

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::intake::domain {
namespace {

using ::testing::HasSubstr;
using testing::StatusIs;

Decision MakeDecision(std::string id, DecisionKind kind) {
  Decision d;
  d.decision_id = std::move(id);
  d.initiative_id = "in-1";
  d.kind = kind;
  d.rationale = "evidence review 2027Q2";
  d.review_id = "rev-2027Q2";
  d.decided_by = "portfolio board";
  d.decided_on = Date{2027, 7, 2};
  return d;
}

Initiative At(Stage stage) {
  Initiative in = testing::ValidInitiative();
  in.stage = stage;
  in.version = 10;
  return in;
}

// Where each decision leaves an initiative, per starting stage; written out here
// rather than derived from the lifecycle table.
struct DecisionCase {
  Stage from;
  DecisionKind kind;
  Stage expected;
};

void PrintTo(const DecisionCase& c, std::ostream* os) {
  *os << DecisionKindName(c.kind) << " from " << StageName(c.from);
}

std::vector<DecisionCase> AllDecisionCases() {
  const std::map<Stage, Stage> stop = {
      {Stage::kDraft, Stage::kStopped},     {Stage::kSubmitted, Stage::kStopped},  {Stage::kInReview, Stage::kStopped},
      {Stage::kApproved, Stage::kStopped},  {Stage::kActive, Stage::kStopped},     {Stage::kDelivered, Stage::kStopped},
      {Stage::kSustaining, Stage::kStopped}, {Stage::kClosed, Stage::kClosed},     {Stage::kPaused, Stage::kStopped},
      {Stage::kPivoting, Stage::kStopped},  {Stage::kStopped, Stage::kStopped},
  };
  const std::map<Stage, Stage> pivot = {
      {Stage::kDraft, Stage::kDraft},         {Stage::kSubmitted, Stage::kSubmitted},
      {Stage::kInReview, Stage::kInReview},   {Stage::kApproved, Stage::kPivoting},
      {Stage::kActive, Stage::kPivoting},     {Stage::kDelivered, Stage::kDelivered},
      {Stage::kSustaining, Stage::kSustaining}, {Stage::kClosed, Stage::kClosed},
      {Stage::kPaused, Stage::kPivoting},     {Stage::kPivoting, Stage::kPivoting},
      {Stage::kStopped, Stage::kStopped},
  };
  std::vector<DecisionCase> out;
  for (Stage from : kAllStages) {
    out.push_back({from, DecisionKind::kStop, stop.at(from)});
    out.push_back({from, DecisionKind::kPivot, pivot.at(from)});
    out.push_back({from, DecisionKind::kContinue, from});
  }
  return out;
}

class DecisionMatrixTest : public ::testing::TestWithParam<DecisionCase> {};

TEST_P(DecisionMatrixTest, MovesStageAndAlwaysRecords) {
  const auto [from, kind, expected] = GetParam();
  Initiative in = At(from);
  const Decision decision = MakeDecision("dec-1", kind);
  const auto outcome = ApplyDecision(in, decision);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(in.stage, expected);
  EXPECT_EQ(outcome->from, from);
  EXPECT_EQ(outcome->to, expected);
  EXPECT_EQ(outcome->stage_changed, expected != from);
  EXPECT_FALSE(outcome->already_applied);
  EXPECT_EQ(in.last_decision, decision);
  EXPECT_EQ(in.version, 11);
  // A STOP or PIVOT that could not move the stage says why; one that did, or CONTINUE, does not.
  EXPECT_EQ(outcome->note.empty(), kind == DecisionKind::kContinue || expected != from);
}

INSTANTIATE_TEST_SUITE_P(AllStages, DecisionMatrixTest, ::testing::ValuesIn(AllDecisionCases()),
                         [](const ::testing::TestParamInfo<DecisionCase>& info) {
                           return std::string(DecisionKindName(info.param.kind)) + "_from_" +
                                  std::string(StageName(info.param.from));
                         });

TEST(DecisionTest, SameDecisionTwiceChangesNothing) {
  Initiative in = At(Stage::kActive);
  ASSERT_TRUE(ApplyDecision(in, MakeDecision("dec-1", DecisionKind::kPivot)).ok());
  const Initiative after_first = in;
  const auto again = ApplyDecision(in, MakeDecision("dec-1", DecisionKind::kPivot));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->already_applied);
  EXPECT_FALSE(again->stage_changed);
  EXPECT_EQ(in, after_first);
}

TEST(DecisionTest, RedeliveredOlderDecisionDoesNotRegress) {
  Initiative in = At(Stage::kActive);
  ASSERT_TRUE(ApplyDecision(in, MakeDecision("dec-1", DecisionKind::kContinue)).ok());
  ASSERT_TRUE(ApplyDecision(in, MakeDecision("dec-2", DecisionKind::kStop)).ok());
  const Initiative after = in;
  const auto old = ApplyDecision(in, MakeDecision("dec-1", DecisionKind::kContinue));
  ASSERT_TRUE(old.ok());
  EXPECT_TRUE(old->already_applied);
  EXPECT_EQ(in, after);
  EXPECT_EQ(in.last_decision->decision_id, "dec-2");
  EXPECT_EQ(in.stage, Stage::kStopped);
  EXPECT_EQ(in.applied_decision_ids, (std::vector<std::string>{"dec-1", "dec-2"}));
}

TEST(DecisionTest, UnfollowableDecisionIsRecordedWithANote) {
  Initiative in = At(Stage::kClosed);
  const auto outcome = ApplyDecision(in, MakeDecision("dec-9", DecisionKind::kStop));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(in.stage, Stage::kClosed);
  EXPECT_THAT(outcome->note, HasSubstr("CLOSED -> STOPPED is not a lifecycle transition"));
  EXPECT_EQ(in.last_decision->decision_id, "dec-9");
}

TEST(DecisionTest, RejectsDecisionsItCannotApply) {
  Initiative in = At(Stage::kActive);
  const Initiative before = in;
  EXPECT_THAT(ApplyDecision(in, MakeDecision("", DecisionKind::kStop)).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("decision_id")));
  Decision other = MakeDecision("dec-1", DecisionKind::kStop);
  other.initiative_id = "in-7";
  EXPECT_THAT(ApplyDecision(in, other).status(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("in-7")));
  EXPECT_EQ(in, before);
}

}  // namespace
}  // namespace pmo::intake::domain
