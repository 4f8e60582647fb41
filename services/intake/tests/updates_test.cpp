#include "services/intake/domain/updates.h"

#include "services/intake/domain/versioning.h"
#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::intake::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testing::Qtr;
using testing::StatusIs;

TEST(VersioningTest, MismatchIsAborted) {
  EXPECT_TRUE(CheckExpectedVersion("initiative in-1", 4, 4).ok());
  EXPECT_THAT(CheckExpectedVersion("initiative in-1", 4, 3),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("initiative in-1 is at version 4, not the expected 3")));
  EXPECT_THAT(CheckExpectedVersion("portfolio pf-1", 1, 0), StatusIs(absl::StatusCode::kAborted, HasSubstr("pf-1")));
}

TEST(CreateInitiativeTest, ResetsIntakeOwnedFields) {
  Initiative submission = testing::ValidInitiative();
  submission.id = "client-chosen";
  submission.stage = Stage::kApproved;
  submission.version = 42;
  submission.override_reason = "sneaky";
  submission.last_decision = Decision{"dec-1", "in-1", DecisionKind::kStop, "", "", "", std::nullopt};
  submission.applied_decision_ids = {"dec-1"};
  submission.latest_progress = ProgressReport{};

  const auto created = CreateInitiative(submission, "in-1", false, testing::ValidPortfolio(), testing::TestLookup());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->id, "in-1");
  EXPECT_EQ(created->stage, Stage::kSubmitted);
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->override_reason, "");
  EXPECT_FALSE(created->last_decision.has_value());
  EXPECT_TRUE(created->applied_decision_ids.empty());
  EXPECT_FALSE(created->latest_progress.has_value());
  EXPECT_EQ(created->title, submission.title);
  EXPECT_EQ(created->benefits, submission.benefits);

  const auto draft = CreateInitiative(submission, "in-1", true, testing::ValidPortfolio(), testing::TestLookup());
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ(draft->stage, Stage::kDraft);
}

TEST(CreateInitiativeTest, InvalidSubmissionIsRejected) {
  Initiative submission = testing::ValidInitiative();
  submission.title = "";
  submission.dependencies = {"in-1"};
  const auto created = CreateInitiative(submission, "in-1", false, testing::ValidPortfolio(), testing::TestLookup());
  EXPECT_THAT(testing::FieldsOf(created.status()), UnorderedElementsAre("title", "dependencies[0]"));
}

Initiative Current() {
  Initiative in = testing::ValidInitiative();
  in.stage = Stage::kActive;
  in.version = 6;
  in.override_reason = "approved over budget";
  in.applied_decision_ids = {"dec-1"};
  return in;
}

TEST(UpdateInitiativeTest, TakesEditableFieldsKeepsOwnedOnesAndBumpsVersion) {
  Initiative request = testing::ValidInitiative();
  request.title = "Self-service onboarding, phase 2";
  request.stage = Stage::kClosed;  // ignored: stages move only through transitions
  request.version = 99;
  const auto updated =
      UpdateInitiative(Current(), request, 6, testing::ValidPortfolio(), testing::TestLookup());
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->title, "Self-service onboarding, phase 2");
  EXPECT_EQ(updated->stage, Stage::kActive);
  EXPECT_EQ(updated->version, 7);
  EXPECT_EQ(updated->override_reason, "approved over budget");
  EXPECT_EQ(updated->applied_decision_ids, (std::vector<std::string>{"dec-1"}));
}

TEST(UpdateInitiativeTest, StaleVersionIsAborted) {
  EXPECT_THAT(
      UpdateInitiative(Current(), testing::ValidInitiative(), 5, testing::ValidPortfolio(), testing::TestLookup())
          .status(),
      StatusIs(absl::StatusCode::kAborted, HasSubstr("version 6")));
}

TEST(UpdateInitiativeTest, FinalStagesCannotBeEdited) {
  for (Stage stage : {Stage::kClosed, Stage::kStopped}) {
    Initiative current = Current();
    current.stage = stage;
    EXPECT_THAT(
        UpdateInitiative(current, testing::ValidInitiative(), 6, testing::ValidPortfolio(), testing::TestLookup())
            .status(),
        StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(std::string(StageName(stage)))));
  }
}

TEST(UpdateInitiativeTest, MovingPortfolioIsReportedWithOtherViolations) {
  Initiative request = testing::ValidInitiative();
  request.portfolio_id = "pf-2";
  request.title = "";
  const auto updated = UpdateInitiative(Current(), request, 6, testing::ValidPortfolio(), testing::TestLookup());
  EXPECT_THAT(testing::FieldsOf(updated.status()), ElementsAre("portfolio_id", "title"));
}

TEST(PortfolioUpdatesTest, CreateAssignsIdAndVersion) {
  Portfolio request = testing::ValidPortfolio();
  request.id = "";
  request.version = 0;
  const auto created = CreatePortfolio(request, "pf-9");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->id, "pf-9");
  EXPECT_EQ(created->version, 1);
  request.name = "";
  EXPECT_THAT(testing::FieldsOf(CreatePortfolio(request, "pf-9").status()), ElementsAre("name"));
}

TEST(PortfolioUpdatesTest, UpdateChecksVersionCurrencyAndRules) {
  const Portfolio current = testing::ValidPortfolio();
  Portfolio request = current;
  request.wip_limit = 8;
  const auto updated = UpdatePortfolio(current, request, 1);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->wip_limit, 8);
  EXPECT_EQ(updated->version, 2);

  EXPECT_THAT(UpdatePortfolio(current, request, 2).status(), StatusIs(absl::StatusCode::kAborted, HasSubstr("pf-1")));

  Portfolio usd = request;
  usd.currency = "USD";
  EXPECT_THAT(UpdatePortfolio(current, usd, 1).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cannot change")));

  Portfolio bad = request;
  bad.wip_limit = -2;
  EXPECT_THAT(testing::FieldsOf(UpdatePortfolio(current, bad, 1).status()), ElementsAre("wip_limit"));
}

}  // namespace
}  // namespace pmo::intake::domain
