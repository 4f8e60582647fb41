#include "services/scoring/domain/alignment.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "status_matchers.h"

namespace pmo::scoring::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testing::StatusIs;
using testing::ViolationFields;

const std::vector<ObjectivePriority> kObjectives = {{"grow", 4}, {"retain", 2}, {"comply", 1}, {"later", 0}};

TEST(AlignmentTest, SumsContributionTimesPriorityRelativeToTheTopObjective) {
  // 0.5 * 4/4 + 0.4 * 2/4 + 0.2 * 1/4 = 0.5 + 0.2 + 0.05 = 0.75
  auto a = ComputeAlignment({{"kr1", "grow", 0.5}, {"kr2", "retain", 0.4}, {"kr3", "comply", 0.2}}, kObjectives);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_NEAR(a->value, 0.75, 1e-15);
  ASSERT_EQ(a->terms.size(), 3u);
  EXPECT_DOUBLE_EQ(a->terms[1].normalised_priority, 0.5);
  EXPECT_NEAR(a->terms[1].term, 0.2, 1e-15);
}

TEST(AlignmentTest, FullContributionToTheTopObjectiveIsFullAlignment) {
  EXPECT_DOUBLE_EQ(ComputeAlignment({{"kr1", "grow", 1.0}}, kObjectives)->value, 1.0);
  EXPECT_DOUBLE_EQ(ComputeAlignment({{"kr1", "retain", 1.0}}, kObjectives)->value, 0.5);
}

TEST(AlignmentTest, ClampsAtOne) {
  auto a = ComputeAlignment({{"kr1", "grow", 0.9}, {"kr2", "grow", 0.9}}, kObjectives);
  EXPECT_DOUBLE_EQ(a->value, 1.0);
}

TEST(AlignmentTest, NoLinksUnknownObjectivesAndZeroPriorityAddNothing) {
  EXPECT_DOUBLE_EQ(ComputeAlignment({}, kObjectives)->value, 0.0);
  auto a = ComputeAlignment({{"kr1", "not-yet-known", 1.0}, {"kr2", "later", 1.0}}, kObjectives);
  EXPECT_DOUBLE_EQ(a->value, 0.0);
  EXPECT_DOUBLE_EQ(ComputeAlignment({{"kr1", "grow", 1.0}}, {{"grow", 0}})->value, 0.0);
}

TEST(AlignmentTest, RefusesInvalidInputListingEveryProblem) {
  auto a = ComputeAlignment({{"kr1", "grow", 1.5}, {"kr1", "grow", 0.2}, {"", "", -0.1}}, {{"grow", -1}});
  EXPECT_THAT(a, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("linked twice")));
  EXPECT_THAT(ViolationFields(a),
              UnorderedElementsAre("objectives[0].priority", "links[0].contribution", "links[1].key_result_id",
                                   "links[2].key_result_id", "links[2].objective_id", "links[2].contribution"));
}

}  // namespace
}  // namespace pmo::scoring::domain
