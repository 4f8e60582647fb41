#include "services/scoring/domain/ahp.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "status_matchers.h"

namespace pmo::scoring::domain {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testing::StatusIs;
using testing::ViolationFields;

// Published worked example: "Analytic hierarchy process - leader example" (Wikipedia),
// the criteria compared with respect to the goal of choosing a company's new leader:
// Experience is 4x Education, 3x Charisma, 7x Age; Education is 1/3 Charisma, 3x Age;
// Charisma is 5x Age. Published priorities: Experience .547, Education .127,
// Charisma .270, Age .056 (three decimals, rounded so they sum to 1: the eigenvector
// gives .5476 for Experience, hence the 1e-3 tolerance); consistency ratio .044.
TEST(AhpTest, ReproducesThePublishedLeaderExample) {
  const std::vector<std::string> keys = {"experience", "education", "charisma", "age"};
  const std::vector<PairwiseJudgement> judgements = {
      {"experience", "education", 4},   {"experience", "charisma", 3}, {"experience", "age", 7},
      {"education", "charisma", 1.0 / 3}, {"education", "age", 3},     {"charisma", "age", 5},
  };
  auto r = DeriveWeights(keys, judgements);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->weights.size(), 4u);
  EXPECT_NEAR(r->weights[0], 0.547, 1e-3);
  EXPECT_NEAR(r->weights[1], 0.127, 1e-3);
  EXPECT_NEAR(r->weights[2], 0.270, 1e-3);
  EXPECT_NEAR(r->weights[3], 0.056, 1e-3);
  EXPECT_NEAR(r->consistency_ratio, 0.044, 5e-4);
  EXPECT_DOUBLE_EQ(r->random_index, 0.90);
  EXPECT_NEAR(r->consistency_index, (r->lambda_max - 4) / 3, 1e-12);
  EXPECT_GT(r->lambda_max, 4);
  double sum = 0;
  for (double w : r->weights) sum += w;
  EXPECT_NEAR(sum, 1, 1e-12);
}

TEST(AhpTest, AConsistentMatrixGivesItsExactRatiosAndZeroRatio) {
  // a_ij = w_i / w_j for w = (0.5, 0.3, 0.2), given in mixed directions.
  auto r = DeriveWeights({"a", "b", "c"}, {{"a", "b", 5.0 / 3}, {"c", "a", 0.4}, {"b", "c", 1.5}, {"b", "a", 0.6}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_NEAR(r->weights[0], 0.5, 1e-12);
  EXPECT_NEAR(r->weights[1], 0.3, 1e-12);
  EXPECT_NEAR(r->weights[2], 0.2, 1e-12);
  EXPECT_NEAR(r->lambda_max, 3, 1e-12);
  EXPECT_NEAR(r->consistency_ratio, 0, 1e-12);
  EXPECT_NEAR(r->judgement_errors[0].error, 0, 1e-12);
}

TEST(AhpTest, RefusesAnInconsistentMatrixNamingTheWorstPair) {
  // Consistent with w = 8:4:2:1 except that d is judged 8x a instead of a 8x d.
  const std::vector<PairwiseJudgement> judgements = {
      {"a", "b", 2}, {"a", "c", 4}, {"d", "a", 8}, {"b", "c", 2}, {"b", "d", 4}, {"c", "d", 2},
  };
  auto analysed = AnalysePairwise({"a", "b", "c", "d"}, judgements);
  ASSERT_TRUE(analysed.ok()) << analysed.status();
  EXPECT_GT(analysed->consistency_ratio, kMaxConsistencyRatio);
  EXPECT_EQ(analysed->judgement_errors[0].a, "a");
  EXPECT_EQ(analysed->judgement_errors[0].b, "d");
  EXPECT_DOUBLE_EQ(analysed->judgement_errors[0].given, 1.0 / 8);

  EXPECT_THAT(DeriveWeights({"a", "b", "c", "d"}, judgements),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("consistency ratio 1.01 exceeds 0.1"), HasSubstr("a vs d (judged 0.125"))));
}

TEST(AhpTest, RefusesACycle) {
  auto r = DeriveWeights({"x", "y", "z"}, {{"x", "y", 9}, {"y", "z", 9}, {"z", "x", 9}});
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("too inconsistent")));
}

TEST(AhpTest, TwoCriteriaAreAlwaysConsistent) {
  auto r = DeriveWeights({"x", "y"}, {{"x", "y", 3}});
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->weights[0], 0.75, 1e-12);
  EXPECT_EQ(r->consistency_ratio, 0);
  auto one = DeriveWeights({"only"}, {});
  ASSERT_TRUE(one.ok());
  EXPECT_DOUBLE_EQ(one->weights[0], 1);
}

TEST(AhpTest, ValidatesScaleReciprocityAndCompleteness) {
  auto r = AnalysePairwise({"a", "b", "c", "d"}, {
                                                     {"a", "b", 10},       // off the scale
                                                     {"a", "c", 3},        //
                                                     {"c", "a", 3},        // not the reciprocal of 3
                                                     {"a", "e", 2},        // unknown criterion
                                                     {"b", "b", 2},        // self-comparison other than 1
                                                     {"b", "c", 1.0 / 3},  //
                                                 });
  EXPECT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument,
                          AllOf(HasSubstr("missing comparison of a and d"), HasSubstr("contradicts judgements[1]"))));
  EXPECT_THAT(ViolationFields(r),
              UnorderedElementsAre("judgements[0].value", "judgements[2]", "judgements[3].b", "judgements[4].value",
                                   "judgements", "judgements", "judgements", "judgements"));
  // The same pair both ways with reciprocal values (typed as decimals) is fine.
  EXPECT_TRUE(AnalysePairwise({"a", "b"}, {{"a", "b", 3}, {"b", "a", 0.33}}).ok());
}

TEST(AhpTest, ValidatesKeys) {
  EXPECT_THAT(AnalysePairwise({}, {}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at least one")));
  EXPECT_THAT(ViolationFields(AnalysePairwise({"a", "a", ""}, {})), UnorderedElementsAre("keys[1]", "keys[2]"));
  std::vector<std::string> sixteen;
  for (int i = 0; i < 16; ++i) sixteen.push_back("k" + std::to_string(i));
  EXPECT_THAT(AnalysePairwise(sixteen, {}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most 15")));
}

TEST(AhpTest, RandomIndexTable) {
  EXPECT_DOUBLE_EQ(RandomIndex(1), 0);
  EXPECT_DOUBLE_EQ(RandomIndex(3), 0.58);
  EXPECT_DOUBLE_EQ(RandomIndex(10), 1.49);
  EXPECT_DOUBLE_EQ(RandomIndex(15), 1.59);
}

}  // namespace
}  // namespace pmo::scoring::domain
