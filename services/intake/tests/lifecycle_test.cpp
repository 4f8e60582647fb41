#include "services/intake/domain/lifecycle.h"

#include <set>
#include <ostream>
#include <string>
#include <utility>

#include "services/intake/domain/gates.h"
#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::intake::domain {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::StatusIs;

// Written out independently of lifecycle.cpp: the transitions the product allows.
const std::set<std::pair<std::string, std::string>>& ExpectedAllowed() {
  static const std::set<std::pair<std::string, std::string>> allowed = {
      {"DRAFT", "SUBMITTED"},     {"DRAFT", "STOPPED"},
      {"SUBMITTED", "IN_REVIEW"}, {"SUBMITTED", "DRAFT"},     {"SUBMITTED", "STOPPED"},
      {"IN_REVIEW", "APPROVED"},  {"IN_REVIEW", "SUBMITTED"}, {"IN_REVIEW", "STOPPED"},
      {"APPROVED", "ACTIVE"},     {"APPROVED", "PAUSED"},     {"APPROVED", "PIVOTING"},  {"APPROVED", "STOPPED"},
      {"ACTIVE", "DELIVERED"},    {"ACTIVE", "PAUSED"},       {"ACTIVE", "PIVOTING"},    {"ACTIVE", "STOPPED"},
      {"PAUSED", "ACTIVE"},       {"PAUSED", "PIVOTING"},     {"PAUSED", "STOPPED"},
      {"PIVOTING", "IN_REVIEW"},  {"PIVOTING", "STOPPED"},
      {"DELIVERED", "SUSTAINING"}, {"DELIVERED", "CLOSED"},   {"DELIVERED", "STOPPED"},
      {"SUSTAINING", "CLOSED"},   {"SUSTAINING", "STOPPED"},
  };
  return allowed;
}

struct Pair {
  Stage from;
  Stage to;
};

void PrintTo(const Pair& p, std::ostream* os) { *os << StageName(p.from) << " -> " << StageName(p.to); }

std::vector<Pair> AllPairs() {
  std::vector<Pair> out;
  for (Stage from : kAllStages) {
    for (Stage to : kAllStages) out.push_back({from, to});
  }
  return out;
}

class TransitionMatrixTest : public ::testing::TestWithParam<Pair> {
 protected:
  bool Expected() const {
    return ExpectedAllowed().contains({std::string(StageName(GetParam().from)), std::string(StageName(GetParam().to))});
  }
};

TEST_P(TransitionMatrixTest, TableAgreesWithTheProduct) {
  const auto [from, to] = GetParam();
  EXPECT_EQ(IsTransitionAllowed(from, to), Expected());
  const absl::Status status = CheckTransition(from, to);
  if (Expected()) {
    EXPECT_TRUE(status.ok()) << status;
  } else {
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(std::string(StageName(from)))));
  }
}

// The same pair through ApplyTransition. Approval is covered with its gates in
// gates_test; here it gets evidence that passes, so only the table decides.
TEST_P(TransitionMatrixTest, ApplyTransitionMovesOnlyWhenAllowed) {
  const auto [from, to] = GetParam();
  Initiative in = testing::ValidInitiative();
  in.stage = from;
  in.version = 7;
  const Initiative before = in;

  const Portfolio portfolio = testing::ValidPortfolio();
  ApprovalContext approval;
  approval.portfolio = &portfolio;
  approval.okr = {true, {{"kr-1", true}}};
  approval.benefits = {true, {{"b-1", 1.0, 2.0, "%", Date{2028, 1, 1}}}};

  auto outcome = ApplyTransition(in, {to, 7, "test", ""}, &approval);
  if (Expected()) {
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    EXPECT_EQ(outcome->from, from);
    EXPECT_EQ(outcome->to, to);
    EXPECT_EQ(in.stage, to);
    EXPECT_EQ(in.version, 8);
  } else {
    EXPECT_THAT(outcome.status(),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr(std::string(StageName(from))), HasSubstr(std::string(StageName(to))))));
    EXPECT_EQ(in, before);
  }
}

INSTANTIATE_TEST_SUITE_P(AllStagePairs, TransitionMatrixTest, ::testing::ValuesIn(AllPairs()),
                         [](const ::testing::TestParamInfo<Pair>& info) {
                           return std::string(StageName(info.param.from)) + "_to_" +
                                  std::string(StageName(info.param.to));
                         });

TEST(LifecycleTest, TableHasExactlyTheExpectedRows) {
  std::set<std::pair<std::string, std::string>> rows;
  for (const auto& rule : TransitionTable()) {
    EXPECT_FALSE(rule.meaning.empty());
    EXPECT_TRUE(rows.insert({std::string(StageName(rule.from)), std::string(StageName(rule.to))}).second)
        << "duplicate row " << StageName(rule.from) << " -> " << StageName(rule.to);
  }
  EXPECT_EQ(rows, ExpectedAllowed());
}

TEST(LifecycleTest, OnlyClosedAndStoppedAreTerminal) {
  for (Stage stage : kAllStages) {
    EXPECT_EQ(IsTerminal(stage), stage == Stage::kClosed || stage == Stage::kStopped) << StageName(stage);
  }
}

TEST(LifecycleTest, RefusalNamesTheAllowedTargets) {
  EXPECT_THAT(CheckTransition(Stage::kDraft, Stage::kApproved),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("DRAFT -> APPROVED"), HasSubstr("SUBMITTED, STOPPED"))));
  EXPECT_THAT(CheckTransition(Stage::kClosed, Stage::kActive),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("CLOSED is final")));
  EXPECT_THAT(CheckTransition(Stage::kActive, Stage::kActive),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already ACTIVE")));
}

TEST(LifecycleTest, StageNamesRoundTrip) {
  for (Stage stage : kAllStages) EXPECT_EQ(ParseStage(StageName(stage)), stage);
  EXPECT_EQ(ParseStage("RUNNING"), std::nullopt);
}

TEST(LifecycleTest, StaleVersionIsAbortedBeforeTheTableIsConsulted) {
  Initiative in = testing::ValidInitiative();
  in.stage = Stage::kDraft;
  in.version = 3;
  const Initiative before = in;
  EXPECT_THAT(ApplyTransition(in, {Stage::kSubmitted, 2, "", ""}, nullptr).status(),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 3")));
  EXPECT_THAT(ApplyTransition(in, {Stage::kClosed, 2, "", ""}, nullptr).status(),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("version 3")));
  EXPECT_EQ(in, before);
}

TEST(LifecycleTest, OnlyApprovedAndActiveAreCommitted) {
  for (Stage stage : kAllStages) {
    EXPECT_EQ(IsCommitted(stage), stage == Stage::kApproved || stage == Stage::kActive) << StageName(stage);
  }
}

}  // namespace
}  // namespace pmo::intake::domain
