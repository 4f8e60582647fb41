// The proto <-> domain mapping and the event snapshots other services consume: every
// enum value maps both ways, definitions survive a round trip, and the events carry
// the names and verdicts intake and scoring compare against.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/okr/app/convert.h"
#include "fixtures.h"

namespace pmo::okr::app {
namespace {

namespace d = domain::testing;

TEST(ConvertTest, EveryEnumValueMapsBothWays) {
  for (int i = v1::Level_MIN; i <= v1::Level_MAX; ++i)
    EXPECT_EQ(ToProto(FromProto(static_cast<v1::Level>(i))), i) << v1::Level_Name(i);
  for (int i = v1::ObjectiveStatus_MIN; i <= v1::ObjectiveStatus_MAX; ++i)
    EXPECT_EQ(ToProto(FromProto(static_cast<v1::ObjectiveStatus>(i))), i) << v1::ObjectiveStatus_Name(i);
  for (int i = v1::Direction_MIN; i <= v1::Direction_MAX; ++i)
    EXPECT_EQ(ToProto(FromProto(static_cast<v1::Direction>(i))), i) << v1::Direction_Name(i);
  // A value from a newer client is unspecified, which validation refuses.
  EXPECT_EQ(FromProto(static_cast<v1::Level>(42)), domain::Level::kUnspecified);
}

TEST(ConvertTest, DefinitionsSurviveARoundTrip) {
  domain::Objective o = d::ObjectiveAt("obj-2", domain::Level::kProgram, "obj-1", 2.5, domain::ObjectiveStatus::kAchieved);
  EXPECT_EQ(FromProto(ToProto(o)), o);
  domain::KeyResult kr = d::KeyResultOf("kr-9", "obj-2", domain::Direction::kMaintain, 40, 40, 1.5);
  kr.retired = true;
  EXPECT_EQ(FromProto(ToProto(kr)), kr);
  domain::CheckIn c = d::CheckInOf("kr-9", 41, 0.25, d::Day(2027, 2, 14), "src-1");
  EXPECT_EQ(FromProto(ToProto(c)), c);
}

TEST(ConvertTest, ObjectiveChangedCarriesTheStatusNameScoringComparesAgainst) {
  v1::Objective o = ToProto(d::ValidObjective());
  auto e = ObjectiveEvent(o, true);
  EXPECT_EQ(e.status(), "ACTIVE");
  EXPECT_EQ(e.level(), "PORTFOLIO");
  EXPECT_EQ(e.period(), "2027Q1");
  EXPECT_EQ(e.priority(), 2);
  EXPECT_TRUE(e.created());
  o.set_status(v1::OBJECTIVE_STATUS_DEPRIORITISED);
  EXPECT_EQ(ObjectiveEvent(o, false).status(), "DEPRIORITISED");
}

TEST(ConvertTest, KeyResultChangedCarriesTheMeasurabilityVerdictAndItsReasons) {
  const domain::Objective objective = d::ValidObjective();
  v1::KeyResult kr = ToProto(d::ValidKeyResult());
  auto e = KeyResultEvent(kr, objective, false);
  EXPECT_TRUE(e.measurable());
  EXPECT_EQ(e.portfolio_id(), "pf-1");
  EXPECT_EQ(e.direction(), "INCREASE");
  EXPECT_EQ(e.due_date(), "2027-03-31");
  EXPECT_TRUE(e.measurability_violations().empty());
  // The objective's period moved past the due date: no longer measurable, and why.
  domain::Objective later = objective;
  later.period = domain::Period{2027, 3};
  e = KeyResultEvent(kr, later, false);
  EXPECT_FALSE(e.measurable());
  EXPECT_THAT(e.measurability_violations(), ::testing::ElementsAre(::testing::StartsWith("due_date: ")));
  kr.set_retired(true);
  EXPECT_TRUE(KeyResultEvent(kr, objective, false).retired());
}

TEST(ConvertTest, LatestCheckInIsAbsentUntilSet) {
  v1::KeyResult kr = ToProto(d::ValidKeyResult());
  EXPECT_FALSE(LatestOf(kr).has_value());
  *kr.mutable_latest_check_in() = ToProto(d::CheckInOf("kr-1", 3, 0.5, d::Day(2027, 3, 1), "s"));
  ASSERT_TRUE(LatestOf(kr).has_value());
  EXPECT_EQ(LatestOf(kr)->value, 3);
}

}  // namespace
}  // namespace pmo::okr::app
