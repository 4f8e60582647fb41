#include <string>
#include <vector>

#include "services/okr/domain/coverage.h"
#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::okr::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::CheckInOf;
using testing::Day;
using testing::KeyResultOf;
using testing::ObjectiveAt;

InitiativeRef Initiative(std::string id, std::string stage) {
  const bool active = IsActiveStage(stage);
  return InitiativeRef{std::move(id), std::move(stage), active};
}

// A hand-built portfolio (all objectives for 2027Q1, as of 2027-03-31):
//
//   c (COMPANY)                          c2 (COMPANY)
//   ├── p1 (PORTFOLIO)                   └── r (PORTFOLIO, RETIRED)
//   │   ├── kr p1x (retired)                 └── kr r1
//   │   └── g1 (PROGRAM)
//   │       └── kr g1a                   d (PORTFOLIO, DEPRIORITISED, root)
//   ├── p2 (PORTFOLIO)                       └── kr d1
//   │   └── kr p2a (due before the period: not measurable)
//   └── p3 (PORTFOLIO)
//       ├── kr p3a
//       └── t1 (TEAM)
//
//   i1 ACTIVE    -> g1a           linked, measurable; covers g1, p1, c
//   i2 APPROVED  -> p2a           linked, not measurable; covers p2 (and c)
//   i3 IN_REVIEW -> kr-ghost      unknown key result: linked to nothing
//   i4 DRAFT     -> p3a, d1       not active: covers nothing, not counted
//   i5 PAUSED    -> p1x           retired key result: linked to nothing
//   i6 DELIVERED -> r1            linked, measurable; covers r only (retired: stops there)
//   i7 CLOSED    (no links)       not active
//
//   active: i1 i2 i3 i5 i6 = 5; with a measurable key result: i1 i6 = 2 -> 0.4
//   linked to nothing: i3 i5; uncovered ACTIVE objectives: c2 p3 t1
//   check-ins: g1a exactly 30 days old (fresh), p2a 31 days old (stale), d1 fresh,
//   p3a never (stale); r1 (retired objective) and p1x (retired) are not judged.
class CoverageTest : public ::testing::Test {
 protected:
  std::vector<Objective> objectives = {
      ObjectiveAt("c", Level::kCompany, ""),
      ObjectiveAt("p1", Level::kPortfolio, "c"),
      ObjectiveAt("g1", Level::kProgram, "p1"),
      ObjectiveAt("p2", Level::kPortfolio, "c"),
      ObjectiveAt("p3", Level::kPortfolio, "c"),
      ObjectiveAt("t1", Level::kTeam, "p3"),
      ObjectiveAt("c2", Level::kCompany, ""),
      ObjectiveAt("r", Level::kPortfolio, "c2", 1, ObjectiveStatus::kRetired),
      ObjectiveAt("d", Level::kPortfolio, "", 1, ObjectiveStatus::kDeprioritised),
  };
  std::vector<KeyResult> key_results = {
      Retired(KeyResultOf("p1x", "p1", Direction::kIncrease, 0, 1)),
      KeyResultOf("g1a", "g1", Direction::kIncrease, 0, 10),
      DueBeforePeriod(KeyResultOf("p2a", "p2", Direction::kIncrease, 0, 10)),
      KeyResultOf("p3a", "p3", Direction::kDecrease, 10, 0),
      KeyResultOf("r1", "r", Direction::kIncrease, 0, 10),
      KeyResultOf("d1", "d", Direction::kMaintain, 5, 5, 1),
  };
  std::vector<CheckIn> check_ins = {
      CheckInOf("g1a", 1, 0.5, Day(2027, 1, 10), "s1"),
      CheckInOf("g1a", 3, 0.5, Day(2027, 3, 1), "s2"),
      CheckInOf("p2a", 3, 0.5, Day(2027, 2, 28), "s3"),
      CheckInOf("d1", 5, 0.5, Day(2027, 3, 20), "s4"),
  };
  std::vector<InitiativeRef> initiatives = {
      Initiative("i1", "ACTIVE"), Initiative("i2", "APPROVED"),  Initiative("i3", "IN_REVIEW"),
      Initiative("i4", "DRAFT"),  Initiative("i5", "PAUSED"),    Initiative("i6", "DELIVERED"),
      Initiative("i7", "CLOSED"),
  };
  std::vector<Link> links = {
      {"g1a", "i1", 0.5}, {"p2a", "i2", 1.0}, {"kr-ghost", "i3", 0.2}, {"p3a", "i4", 0.5},
      {"d1", "i4", 0.5},  {"p1x", "i5", 0.3}, {"r1", "i6", 0.0},
  };

  Coverage Compute(Date as_of = Day(2027, 3, 31)) const {
    return ComputeCoverage(CoverageInput{objectives, key_results, check_ins, initiatives, links, as_of});
  }

  static KeyResult Retired(KeyResult kr) {
    kr.retired = true;
    return kr;
  }
  static KeyResult DueBeforePeriod(KeyResult kr) {
    kr.due_date = Day(2026, 12, 31);
    return kr;
  }
};

TEST_F(CoverageTest, ShareOfActiveInitiativesWithAMeasurableKeyResult) {
  const Coverage coverage = Compute();
  EXPECT_EQ(coverage.active_initiatives, 5);
  EXPECT_EQ(coverage.active_linked, 3);
  EXPECT_EQ(coverage.active_with_measurable_key_result, 2);
  EXPECT_DOUBLE_EQ(coverage.measurable_share, 0.4);
}

TEST_F(CoverageTest, InitiativesLinkedToNothing) {
  EXPECT_THAT(Compute().initiatives_linked_to_nothing, ElementsAre("i3", "i5"));
}

TEST_F(CoverageTest, ObjectivesWithNoInitiativeCountDescendantsButNotRetiredOnes) {
  EXPECT_THAT(Compute().objectives_without_initiative, ElementsAre("c2", "p3", "t1"));
}

TEST_F(CoverageTest, KeyResultsWithoutACheckInForThirtyDays) {
  EXPECT_THAT(Compute().stale_key_results, ElementsAre("p2a", "p3a"));
  // A day later, g1a's check-in of 2027-03-01 is 31 days old as well.
  EXPECT_THAT(Compute(Day(2027, 4, 1)).stale_key_results, ElementsAre("g1a", "p2a", "p3a"));
}

TEST_F(CoverageTest, ActivatingAnInitiativeCoversItsObjectives) {
  initiatives[3] = Initiative("i4", "ACTIVE");
  const Coverage coverage = Compute();
  EXPECT_THAT(coverage.objectives_without_initiative, ElementsAre("c2", "t1"));
  EXPECT_EQ(coverage.active_initiatives, 6);
  EXPECT_EQ(coverage.active_with_measurable_key_result, 3);
  EXPECT_DOUBLE_EQ(coverage.measurable_share, 0.5);
}

TEST(CoverageEmptyTest, NothingActiveIsZeroOfZero) {
  const Coverage coverage = ComputeCoverage(CoverageInput{.as_of = Day(2027, 3, 31)});
  EXPECT_EQ(coverage.active_initiatives, 0);
  EXPECT_EQ(coverage.measurable_share, 0.0);
  EXPECT_THAT(coverage.initiatives_linked_to_nothing, IsEmpty());
  EXPECT_THAT(coverage.objectives_without_initiative, IsEmpty());
  EXPECT_THAT(coverage.stale_key_results, IsEmpty());
}

TEST(CoverageEmptyTest, ACycleInStoredDataDoesNotTrapTheWalk) {
  const std::vector<Objective> objectives = {ObjectiveAt("a", Level::kProgram, "b"),
                                             ObjectiveAt("b", Level::kPortfolio, "a")};
  const std::vector<KeyResult> key_results = {KeyResultOf("ka", "a", Direction::kIncrease, 0, 1)};
  const std::vector<InitiativeRef> initiatives = {{"i", "ACTIVE", true}};
  const std::vector<Link> links = {{"ka", "i", 1}};
  const Coverage coverage = ComputeCoverage(
      CoverageInput{objectives, key_results, {}, initiatives, links, Day(2027, 3, 31)});
  EXPECT_THAT(coverage.objectives_without_initiative, IsEmpty());
  EXPECT_DOUBLE_EQ(coverage.measurable_share, 1.0);
}

TEST(ActiveStageTest, SubmittedUntilClosedOrStopped) {
  for (const char* stage :
       {"SUBMITTED", "IN_REVIEW", "APPROVED", "ACTIVE", "DELIVERED", "SUSTAINING", "PAUSED", "PIVOTING"}) {
    EXPECT_TRUE(IsActiveStage(stage)) << stage;
  }
  for (const char* stage : {"DRAFT", "CLOSED", "STOPPED", "", "active"}) {
    EXPECT_FALSE(IsActiveStage(stage)) << stage;
  }
}

}  // namespace
}  // namespace pmo::okr::domain
