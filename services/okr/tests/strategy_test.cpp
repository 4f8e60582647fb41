#include "services/okr/domain/strategy.h"

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::okr::domain {
namespace {

using testing::ValidObjective;

TEST(StrategyChangeTest, PriorityChangeIsAStrategyUpdate) {
  const Objective before = ValidObjective();
  Objective after = before;
  after.priority = 5;
  const StrategyChange change = DetectStrategyChange(before, after);
  EXPECT_TRUE(change.priority_changed);
  EXPECT_FALSE(change.status_changed);
  EXPECT_TRUE(change.Any());
}

TEST(StrategyChangeTest, StatusChangeIsAStrategyUpdate) {
  const Objective before = ValidObjective();
  Objective after = before;
  after.status = ObjectiveStatus::kDeprioritised;
  const StrategyChange change = DetectStrategyChange(before, after);
  EXPECT_FALSE(change.priority_changed);
  EXPECT_TRUE(change.status_changed);
  EXPECT_TRUE(change.Any());
}

TEST(StrategyChangeTest, BothAtOnce) {
  const Objective before = ValidObjective();
  Objective after = before;
  after.priority = 0.5;
  after.status = ObjectiveStatus::kRetired;
  const StrategyChange change = DetectStrategyChange(before, after);
  EXPECT_TRUE(change.priority_changed);
  EXPECT_TRUE(change.status_changed);
}

TEST(StrategyChangeTest, OtherEditsAreNot) {
  const Objective before = ValidObjective();
  Objective after = before;
  after.title = "Grow digital revenue faster";
  after.description.clear();
  after.owner = "someone-else@example.com";
  after.period = Period{2027, 2};
  after.version = before.version + 1;
  EXPECT_FALSE(DetectStrategyChange(before, after).Any());
}

}  // namespace
}  // namespace pmo::okr::domain
