#include "services/scoring/domain/model.h"

#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "status_matchers.h"

namespace pmo::scoring::domain {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using testing::StatusIs;
using testing::ViolationFields;

Criterion Make(std::string key, Category category, double weight, Direction direction = Direction::kHigherIsBetter,
               Scale scale = {0, 10}) {
  return {key, key + " name", category, weight, direction, scale};
}

ScoringModel Valid() {
  ScoringModel m;
  m.criteria = {Make("value", Category::kValue, 3), Make("risk", Category::kRisk, 1, Direction::kLowerIsBetter),
                Make("cost", Category::kCost, 1, Direction::kLowerIsBetter, {0, 1e6})};
  return m;
}

TEST(ModelTest, AcceptsAValidModel) {
  EXPECT_TRUE(ValidateModel(Valid()).ok());
  ScoringModel wsjf = Valid();
  wsjf.type = ModelType::kWsjf;
  EXPECT_TRUE(ValidateModel(wsjf).ok());
}

TEST(ModelTest, RefusesAnEmptyModel) {
  EXPECT_THAT(ValidateModel(ScoringModel{}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at least one")));
}

TEST(ModelTest, ReportsEveryViolationAtOnce) {
  ScoringModel m = Valid();
  m.criteria.push_back(Make("value", Category::kUrgency, -1));                   // duplicate key, negative weight
  m.criteria.push_back(Make("", Category::kValue, 1, Direction::kHigherIsBetter, {5, 5}));  // empty key, min == max
  m.criteria.back().name = "";
  m.criteria.push_back(Make("nan", Category::kValue, std::numeric_limits<double>::quiet_NaN(),
                            Direction::kHigherIsBetter, {0, std::numeric_limits<double>::infinity()}));
  const absl::Status status = ValidateModel(m);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate key \"value\"")));
  EXPECT_THAT(ViolationFields(status),
              ::testing::UnorderedElementsAre("criteria[3].key", "criteria[3].weight", "criteria[4].key",
                                              "criteria[4].name", "criteria[4].scale", "criteria[5].weight",
                                              "criteria[5].scale"));
}

TEST(ModelTest, RefusesWeightsThatDoNotSumToAPositiveNumber) {
  ScoringModel m = Valid();
  for (Criterion& c : m.criteria) c.weight = 0;
  EXPECT_THAT(ValidateModel(m), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sum to a positive number")));
  EXPECT_THAT(ViolationFields(ValidateModel(m)), Contains("criteria"));
}

TEST(ModelTest, ScaleMinMustBeBelowMax) {
  ScoringModel m = Valid();
  m.criteria[0].scale = {10, 1};
  EXPECT_THAT(ValidateModel(m), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("min must be below max")));
}

TEST(ModelTest, WsjfNeedsCostOfDelayAndJobSize) {
  ScoringModel m;
  m.type = ModelType::kWsjf;
  m.criteria = {Make("value", Category::kValue, 1)};
  EXPECT_THAT(ValidateModel(m), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("job-size criterion (COST)")));
  m.criteria = {Make("cost", Category::kCost, 1, Direction::kLowerIsBetter)};
  EXPECT_THAT(ValidateModel(m), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cost-of-delay criterion")));
  // A zero-weighted group is as good as absent.
  m.criteria = {Make("cost", Category::kCost, 1, Direction::kLowerIsBetter), Make("value", Category::kValue, 0)};
  EXPECT_THAT(ValidateModel(m), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cost-of-delay criterion")));
  // The same criteria are fine as a weighted sum.
  m.type = ModelType::kWeightedSum;
  EXPECT_TRUE(ValidateModel(m).ok());
}

TEST(ModelTest, AlignmentMustBeHigherIsBetter) {
  ScoringModel m = Valid();
  m.criteria.push_back(Make("okr", Category::kAlignment, 1, Direction::kLowerIsBetter));
  EXPECT_THAT(ValidateModel(m), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("HIGHER_IS_BETTER")));
  EXPECT_THAT(ViolationFields(ValidateModel(m)), Contains("criteria[3].direction"));
}

TEST(ModelTest, NamesRoundTrip) {
  for (Category c : kAllCategories) EXPECT_EQ(ParseCategory(CategoryName(c)), c);
  EXPECT_EQ(ParseDirection("LOWER_IS_BETTER"), Direction::kLowerIsBetter);
  EXPECT_EQ(ParseModelType("WSJF"), ModelType::kWsjf);
  EXPECT_EQ(ParseModelType("wsjf"), std::nullopt);
  EXPECT_TRUE(IsCostOfDelay(Category::kAlignment));
  EXPECT_TRUE(IsJobSize(Category::kCost));
  EXPECT_FALSE(IsCostOfDelay(Category::kCost));
}

}  // namespace
}  // namespace pmo::scoring::domain
