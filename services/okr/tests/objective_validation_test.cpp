#include <functional>
#include <limits>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "services/okr/domain/model.h"
#include "services/okr/domain/validation.h"
#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::okr::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using testing::LookupIn;
using testing::ObjectiveAt;
using testing::StatusIs;
using testing::StoreOf;
using testing::ValidObjective;
using testing::ViolationFields;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const std::map<std::string, Objective> kNothingStored;

struct RuleCase {
  std::string name;
  std::function<void(Objective&)> mutate;
  std::string field;
  std::string description;
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

class ObjectiveRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(ObjectiveRuleTest, NamesExactlyTheBrokenRule) {
  const RuleCase& c = GetParam();
  Objective objective = ValidObjective();
  c.mutate(objective);
  const absl::Status status = ValidateObjective(objective, LookupIn(kNothingStored));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.description)));
  EXPECT_THAT(ViolationFields(status), ElementsAre(c.field));
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, ObjectiveRuleTest,
    ::testing::Values(
        RuleCase{"TitleMissing", [](Objective& o) { o.title = " \t"; }, "title", "must not be empty"},
        RuleCase{"TitleTooLong", [](Objective& o) { o.title = std::string(kMaxTitleLength + 1, 't'); }, "title",
                 "at most 200"},
        RuleCase{"PortfolioMissing", [](Objective& o) { o.portfolio_id.clear(); }, "portfolio_id",
                 "must not be empty"},
        RuleCase{"DescriptionTooLong", [](Objective& o) { o.description = std::string(kMaxTextLength + 1, 'd'); },
                 "description", "at most 10000"},
        RuleCase{"LevelUnspecified", [](Objective& o) { o.level = Level::kUnspecified; }, "level",
                 "COMPANY, PORTFOLIO, PROGRAM or TEAM"},
        RuleCase{"PriorityZero", [](Objective& o) { o.priority = 0; }, "priority", "greater than 0"},
        RuleCase{"PriorityNegative", [](Objective& o) { o.priority = -2; }, "priority", "greater than 0"},
        RuleCase{"PriorityNaN", [](Objective& o) { o.priority = kNaN; }, "priority", "finite"},
        RuleCase{"StatusUnspecified", [](Objective& o) { o.status = ObjectiveStatus::kUnspecified; }, "status",
                 "ACTIVE, DEPRIORITISED, RETIRED or ACHIEVED"},
        RuleCase{"PeriodQuarterOutOfRange", [](Objective& o) { o.period = Period{2027, 5}; }, "period",
                 "not a valid quarter or year"},
        RuleCase{"PeriodYearMissing", [](Objective& o) { o.period = Period{}; }, "period",
                 "not a valid quarter or year"},
        RuleCase{"OwnParent", [](Objective& o) { o.parent_id = o.id; }, "parent_id", "its own parent"}),
    [](const ::testing::TestParamInfo<RuleCase>& info) { return info.param.name; });

TEST(ObjectiveValidationTest, FixtureIsValidAsARoot) {
  PMO_ASSERT_OK(ValidateObjective(ValidObjective(), LookupIn(kNothingStored)));
  Objective year = ValidObjective();
  year.period = Period{2027, 0};
  year.owner.clear();  // the owner is optional
  PMO_ASSERT_OK(ValidateObjective(year, LookupIn(kNothingStored)));
}

TEST(ObjectiveValidationTest, EveryViolationIsListedAtOnce) {
  Objective o = ValidObjective();
  o.title.clear();
  o.level = Level::kUnspecified;
  o.priority = 0;
  o.status = ObjectiveStatus::kUnspecified;
  const absl::Status status = ValidateObjective(o, LookupIn(kNothingStored));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("title")));
  EXPECT_THAT(ViolationFields(status), UnorderedElementsAre("title", "level", "priority", "status"));
}

TEST(ObjectiveValidationTest, UnknownParentIsNotFound) {
  Objective o = ObjectiveAt("obj-2", Level::kProgram, "obj-missing");
  const absl::Status status = ValidateObjective(o, LookupIn(kNothingStored));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("obj-missing")));
  EXPECT_THAT(ViolationFields(status), IsEmpty());
}

TEST(ObjectiveValidationTest, MalformedRequestIsReportedBeforeAnUnknownParent) {
  Objective o = ObjectiveAt("obj-2", Level::kProgram, "obj-missing");
  o.title.clear();
  const absl::Status status = ValidateObjective(o, LookupIn(kNothingStored));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("title")));
  EXPECT_THAT(ViolationFields(status), ElementsAre("title"));
}

TEST(ObjectiveValidationTest, NoLookupMeansTheParentIsUnknown) {
  const absl::Status status = ValidateObjective(ObjectiveAt("obj-2", Level::kTeam, "obj-1"), ObjectiveLookup{});
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("obj-1")));
}

TEST(LevelOrderTest, CascadeRunsCompanyPortfolioProgramTeam) {
  EXPECT_TRUE(IsStrictlyBelow(Level::kPortfolio, Level::kCompany));
  EXPECT_TRUE(IsStrictlyBelow(Level::kProgram, Level::kPortfolio));
  EXPECT_TRUE(IsStrictlyBelow(Level::kTeam, Level::kProgram));
  EXPECT_TRUE(IsStrictlyBelow(Level::kTeam, Level::kCompany));
  EXPECT_FALSE(IsStrictlyBelow(Level::kTeam, Level::kTeam));
  EXPECT_FALSE(IsStrictlyBelow(Level::kCompany, Level::kPortfolio));
  EXPECT_FALSE(IsStrictlyBelow(Level::kTeam, Level::kUnspecified));
  EXPECT_FALSE(IsStrictlyBelow(Level::kUnspecified, Level::kCompany));
}

TEST(LevelOrderTest, ChildBelowItsParentIsAccepted) {
  const auto stored = StoreOf({ObjectiveAt("co", Level::kCompany, ""), ObjectiveAt("pf", Level::kPortfolio, "co"),
                               ObjectiveAt("pg", Level::kProgram, "pf")});
  PMO_ASSERT_OK(ValidateObjective(ObjectiveAt("tm", Level::kTeam, "pg"), LookupIn(stored)));
  PMO_ASSERT_OK(ValidateObjective(ObjectiveAt("tm", Level::kTeam, "co"), LookupIn(stored)));  // levels may be skipped
  PMO_ASSERT_OK(ValidateObjective(ObjectiveAt("pf2", Level::kPortfolio, "co"), LookupIn(stored)));
}

TEST(LevelOrderTest, ChildAtOrAboveItsParentsLevelIsRefused) {
  const auto stored = StoreOf({ObjectiveAt("co", Level::kCompany, ""), ObjectiveAt("pg", Level::kProgram, "co")});

  const absl::Status same = ValidateObjective(ObjectiveAt("pg2", Level::kProgram, "pg"), LookupIn(stored));
  EXPECT_THAT(same, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("below parent pg (PROGRAM)")));
  EXPECT_THAT(ViolationFields(same), ElementsAre("level"));

  const absl::Status above = ValidateObjective(ObjectiveAt("pf", Level::kPortfolio, "pg"), LookupIn(stored));
  EXPECT_THAT(ViolationFields(above), ElementsAre("level"));

  // A company objective is the top of the cascade: it cannot have a parent at all.
  const absl::Status company = ValidateObjective(ObjectiveAt("co2", Level::kCompany, "co"), LookupIn(stored));
  EXPECT_THAT(company, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("a COMPANY objective")));
  EXPECT_THAT(ViolationFields(company), ElementsAre("level"));
}

TEST(LevelOrderTest, ChildrenMustStayBelowANewLevel) {
  const auto stored = StoreOf({ObjectiveAt("co", Level::kCompany, ""), ObjectiveAt("pg", Level::kProgram, "co")});
  const std::vector<Objective> children = {ObjectiveAt("tm", Level::kTeam, "pg")};

  PMO_ASSERT_OK(ValidateObjective(ObjectiveAt("pg", Level::kPortfolio, "co"), LookupIn(stored), children));

  const absl::Status status =
      ValidateObjective(ObjectiveAt("pg", Level::kTeam, "co"), LookupIn(stored), children);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("child objective tm (TEAM)")));
  EXPECT_THAT(ViolationFields(status), ElementsAre("level"));
}

// Stored: pf (PORTFOLIO) under co (COMPANY). Re-parenting co under pf would close the
// loop co -> pf -> co; lowering co to TEAM keeps the level rule satisfied against
// its new parent, so only the cycle check can stop it.
TEST(CycleTest, ReparentingUnderADescendantIsRefused) {
  const auto stored = StoreOf({ObjectiveAt("co", Level::kCompany, ""), ObjectiveAt("pf", Level::kPortfolio, "co")});
  const Objective update = ObjectiveAt("co", Level::kTeam, "pf");

  const absl::Status status = ValidateObjective(update, LookupIn(stored));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("parent cycle: co -> pf -> co")));
  EXPECT_THAT(ViolationFields(status), ElementsAre("parent_id"));

  // With its children given, the level rule fires as well: both problems at once.
  const absl::Status with_children = ValidateObjective(update, LookupIn(stored), {stored.at("pf")});
  EXPECT_THAT(ViolationFields(with_children), UnorderedElementsAre("parent_id", "level"));
}

TEST(CycleTest, LongerLoopIsNamedInFull) {
  const auto stored =
      StoreOf({ObjectiveAt("a", Level::kCompany, ""), ObjectiveAt("b", Level::kPortfolio, "a"),
               ObjectiveAt("c", Level::kProgram, "b")});
  const absl::Status status = ValidateObjective(ObjectiveAt("a", Level::kTeam, "c"), LookupIn(stored));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("a -> c -> b -> a")));
  EXPECT_THAT(ViolationFields(status), ElementsAre("parent_id"));
}

TEST(CycleTest, ACycleAlreadyStoredElsewhereDoesNotTrapTheWalk) {
  // x and y point at each other (bad data from elsewhere); a new team objective under
  // x must still be judged, and it is not part of that loop.
  const auto stored = StoreOf({ObjectiveAt("x", Level::kProgram, "y"), ObjectiveAt("y", Level::kPortfolio, "x")});
  PMO_ASSERT_OK(ValidateObjective(ObjectiveAt("new", Level::kTeam, "x"), LookupIn(stored)));
}

TEST(CycleTest, BrokenChainAboveTheParentEndsTheWalk) {
  const auto stored = StoreOf({ObjectiveAt("pg", Level::kProgram, "gone")});
  PMO_ASSERT_OK(ValidateObjective(ObjectiveAt("tm", Level::kTeam, "pg"), LookupIn(stored)));
}

TEST(ModelNamesTest, RoundTrip) {
  for (Level level : {Level::kCompany, Level::kPortfolio, Level::kProgram, Level::kTeam}) {
    EXPECT_EQ(ParseLevel(LevelName(level)), level);
  }
  for (ObjectiveStatus s : {ObjectiveStatus::kActive, ObjectiveStatus::kDeprioritised, ObjectiveStatus::kRetired,
                            ObjectiveStatus::kAchieved}) {
    EXPECT_EQ(ParseObjectiveStatus(ObjectiveStatusName(s)), s);
  }
  for (Direction d : {Direction::kIncrease, Direction::kDecrease, Direction::kMaintain}) {
    EXPECT_EQ(ParseDirection(DirectionName(d)), d);
  }
  EXPECT_EQ(ParseLevel("LEVEL_UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseObjectiveStatus("DEPRIORITIZED"), std::nullopt);
  EXPECT_EQ(ParseDirection("increase"), std::nullopt);
}

}  // namespace
}  // namespace pmo::okr::domain
