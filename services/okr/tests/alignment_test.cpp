// Alignment decisions: which links count as measurable, and how a submission's proposed
// key results become links beside those a person made.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "fixtures.h"
#include "services/okr/domain/alignment.h"
#include "services/okr/domain/progress.h"
#include "services/okr/domain/validation.h"

namespace pmo::okr::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::ObjectiveAt;
using testing::ValidKeyResult;
using testing::ValidObjective;

TEST(MeasurableLinkTest, NeedsALiveMeasurableKeyResultOfAKnownObjective) {
  const Objective objective = ValidObjective();
  KeyResult kr = ValidKeyResult();
  EXPECT_TRUE(IsMeasurableLink(kr, &objective));
  EXPECT_FALSE(IsMeasurableLink(kr, nullptr));
  kr.retired = true;
  EXPECT_FALSE(IsMeasurableLink(kr, &objective));
  kr.retired = false;
  kr.unit = "";
  EXPECT_FALSE(IsMeasurableLink(kr, &objective));
}

bool KnownExceptRetired(std::string_view id) { return id != "kr-unknown" && id != "kr-retired"; }

TEST(ProposalLinksTest, LinksEachLinkableProposalOnceInTheOrderProposed) {
  auto out = LinksFromProposal("in-1", {{"kr-2", 0.5}, {"kr-1", 1.0}, {"kr-2", 0.25}}, {}, KnownExceptRetired);
  EXPECT_THAT(out.links, ElementsAre(Link{"kr-2", "in-1", 0.5}, Link{"kr-1", "in-1", 1.0}));
  EXPECT_THAT(out.not_linked, IsEmpty());
}

TEST(ProposalLinksTest, ALinkMadeByAPersonWinsOverTheProposal) {
  auto out = LinksFromProposal("in-1", {{"kr-1", 0.5}, {"kr-2", 0.5}}, {"kr-1"}, KnownExceptRetired);
  EXPECT_THAT(out.links, ElementsAre(Link{"kr-2", "in-1", 0.5}));
  EXPECT_THAT(out.not_linked, IsEmpty());  // kept as the person made it, not refused
}

TEST(ProposalLinksTest, SkipsUnknownRetiredAndOutOfRangeWeights) {
  auto out = LinksFromProposal("in-1",
                               {{"kr-unknown", 0.5},
                                {"kr-retired", 0.5},
                                {"kr-3", -0.1},
                                {"kr-4", 1.5},
                                {"kr-5", std::numeric_limits<double>::quiet_NaN()},
                                {"kr-6", 0},
                                {"kr-7", 1}},
                               {}, KnownExceptRetired);
  EXPECT_THAT(out.links, ElementsAre(Link{"kr-6", "in-1", 0}, Link{"kr-7", "in-1", 1}));
  EXPECT_THAT(out.not_linked, ElementsAre("kr-unknown", "kr-retired", "kr-3", "kr-4", "kr-5"));
}

TEST(AncestorRollUpTest, WalksFromTheObjectiveToItsRootNearestFirst) {
  std::vector<Objective> objectives = {ObjectiveAt("company", Level::kCompany, ""),
                                       ObjectiveAt("portfolio", Level::kPortfolio, "company"),
                                       ObjectiveAt("team", Level::kTeam, "portfolio"),
                                       ObjectiveAt("other", Level::kPortfolio, "company")};
  KeyResult kr = ValidKeyResult();
  kr.objective_id = "team";
  const CheckIn c = testing::CheckInOf("kr-1", 2.75, 0.8, testing::Day(2027, 2, 1), "s-1");
  const ProgressTree tree = ComputeProgress(objectives, {kr}, {c});
  auto up = AncestorRollUp(objectives, tree, "team");
  ASSERT_EQ(up.size(), 3u);
  EXPECT_EQ(up[0].objective_id, "team");
  EXPECT_EQ(up[1].objective_id, "portfolio");
  EXPECT_EQ(up[2].objective_id, "company");
  EXPECT_DOUBLE_EQ(up[0].progress, 0.5);
  EXPECT_DOUBLE_EQ(up[0].confidence, 0.8);
  for (const auto& o : up) {
    EXPECT_DOUBLE_EQ(o.progress, tree.objectives.at(o.objective_id).progress) << o.objective_id;
    EXPECT_DOUBLE_EQ(o.confidence, tree.objectives.at(o.objective_id).confidence) << o.objective_id;
  }
  EXPECT_THAT(AncestorRollUp(objectives, tree, "nope"), IsEmpty());
}

TEST(AncestorRollUpTest, ACycleInStoredParentsEndsTheWalk) {
  std::vector<Objective> objectives = {ObjectiveAt("a", Level::kProgram, "b"), ObjectiveAt("b", Level::kPortfolio, "a")};
  const ProgressTree tree = ComputeProgress(objectives, {}, {});
  auto up = AncestorRollUp(objectives, tree, "a");
  ASSERT_EQ(up.size(), 2u);
  EXPECT_EQ(up[0].objective_id, "a");
  EXPECT_EQ(up[1].objective_id, "b");
}

TEST(PeriodChangeTest, NamesEachKeyResultANewPeriodLeavesBehind) {
  Objective objective = ValidObjective();
  objective.period = Period{2027, 3};  // starts 2027-07-01, after the due date 2027-03-31
  KeyResult mine = ValidKeyResult();
  KeyResult retired = ValidKeyResult();
  retired.id = "kr-retired";
  retired.retired = true;
  KeyResult other = ValidKeyResult();
  other.id = "kr-other";
  other.objective_id = "obj-2";
  Violations v;
  CheckPeriodKeepsKeyResultsMeasurable(objective, {mine, retired, other}, v);
  ASSERT_EQ(v.list().size(), 1u);
  EXPECT_EQ(v.list()[0].field, "period");
  EXPECT_THAT(v.list()[0].description,
              ::testing::StartsWith("would leave key result kr-1 unmeasurable: due_date 2027-03-31 is before"));
  Violations none;
  CheckPeriodKeepsKeyResultsMeasurable(ValidObjective(), {mine}, none);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace pmo::okr::domain
