#include "services/scoring/domain/scorer.h"

#include <cmath>
#include <limits>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "status_matchers.h"

namespace pmo::scoring::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;
using testing::StatusIs;
using testing::ViolationFields;

Criterion Make(std::string key, Category category, double weight, Direction direction, Scale scale) {
  return {key, key, category, weight, direction, scale};
}

ScoringModel WeightedSum() {
  ScoringModel m;
  m.version = 7;
  m.criteria = {Make("value", Category::kValue, 3, Direction::kHigherIsBetter, {0, 10}),
                Make("risk", Category::kRisk, 1, Direction::kLowerIsBetter, {1, 5}),
                Make("cost", Category::kCost, 1, Direction::kLowerIsBetter, {0, 1000})};
  return m;
}

ScoringModel Wsjf() {
  ScoringModel m;
  m.type = ModelType::kWsjf;
  m.criteria = {Make("value", Category::kValue, 1, Direction::kHigherIsBetter, {1, 10}),
                Make("urgency", Category::kUrgency, 1, Direction::kHigherIsBetter, {1, 10}),
                Make("size", Category::kCost, 1, Direction::kLowerIsBetter, {1, 13})};
  return m;
}

double SumOfContributions(const ScoreExplanation& e) {
  double sum = 0;
  for (const CriterionScore& c : e.criteria) sum += c.contribution;
  return sum;
}

TEST(NormaliseTest, MapsTheScaleOntoZeroToOneByDirection) {
  const Scale scale{1, 5};
  EXPECT_DOUBLE_EQ(Normalise(1, scale, Direction::kHigherIsBetter), 0.0);
  EXPECT_DOUBLE_EQ(Normalise(5, scale, Direction::kHigherIsBetter), 1.0);
  EXPECT_DOUBLE_EQ(Normalise(2, scale, Direction::kHigherIsBetter), 0.25);
  EXPECT_DOUBLE_EQ(Normalise(2, scale, Direction::kLowerIsBetter), 0.75);
  EXPECT_DOUBLE_EQ(Normalise(5, scale, Direction::kLowerIsBetter), 0.0);
  EXPECT_DOUBLE_EQ(Normalise(-3, {-5, 5}, Direction::kHigherIsBetter), 0.2);
}

TEST(NormaliseTest, ClampsRatingsOutsideTheScale) {
  const Scale scale{0, 10};
  EXPECT_DOUBLE_EQ(Normalise(42, scale, Direction::kHigherIsBetter), 1.0);
  EXPECT_DOUBLE_EQ(Normalise(-1, scale, Direction::kHigherIsBetter), 0.0);
  EXPECT_DOUBLE_EQ(Normalise(42, scale, Direction::kLowerIsBetter), 0.0);
  EXPECT_DOUBLE_EQ(Normalise(-1, scale, Direction::kLowerIsBetter), 1.0);
}

TEST(ScorerTest, WeightedSumNormalisesWeightsAndExplainsEachCriterion) {
  auto scorer = Scorer::Create(WeightedSum());
  ASSERT_TRUE(scorer.ok()) << scorer.status();
  // value 8/10 -> 0.8, risk 2 on 1..5 lower-better -> 0.75, cost 250/1000 lower-better -> 0.75;
  // weights 3:1:1 -> 0.6, 0.2, 0.2; score = 100 * (0.48 + 0.15 + 0.15) = 78.
  auto e = scorer->Score({{"value", 8}, {"risk", 2}, {"cost", 250}}, std::nullopt);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NEAR(e->score, 78.0, 1e-12);
  EXPECT_EQ(e->model_version, 7);
  ASSERT_EQ(e->criteria.size(), 3u);
  EXPECT_EQ(e->criteria[0].key, "value");
  EXPECT_DOUBLE_EQ(e->criteria[0].rating, 8);
  EXPECT_DOUBLE_EQ(e->criteria[0].normalised, 0.8);
  EXPECT_DOUBLE_EQ(e->criteria[0].weight, 0.6);
  EXPECT_NEAR(e->criteria[0].contribution, 48, 1e-12);
  EXPECT_NEAR(e->criteria[1].contribution, 15, 1e-12);
  EXPECT_NEAR(e->criteria[2].contribution, 15, 1e-12);
  EXPECT_NEAR(e->Subtotal(Category::kValue), 48, 1e-12);
  EXPECT_NEAR(e->Subtotal(Category::kRisk), 15, 1e-12);
  EXPECT_NEAR(e->Subtotal(Category::kCost), 15, 1e-12);
  EXPECT_EQ(e->Subtotal(Category::kUrgency), 0);
  EXPECT_FALSE(e->AnyMissing());
}

TEST(ScorerTest, ScalingAllWeightsChangesNothing) {
  ScoringModel scaled = WeightedSum();
  for (Criterion& c : scaled.criteria) c.weight *= 17.5;
  const Ratings ratings{{"value", 3}, {"risk", 4}, {"cost", 900}};
  auto a = Scorer::Create(WeightedSum())->Score(ratings, std::nullopt);
  auto b = Scorer::Create(scaled)->Score(ratings, std::nullopt);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NEAR(a->score, b->score, 1e-12);
  for (size_t i = 0; i < a->criteria.size(); ++i) EXPECT_NEAR(a->criteria[i].weight, b->criteria[i].weight, 1e-15);
}

TEST(ScorerTest, BestAndWorstRatingsGiveTheEndsOfTheRange) {
  auto scorer = Scorer::Create(WeightedSum());
  EXPECT_NEAR(scorer->Score({{"value", 10}, {"risk", 1}, {"cost", 0}}, std::nullopt)->score, kMaxScore, 1e-12);
  EXPECT_NEAR(scorer->Score({{"value", 0}, {"risk", 5}, {"cost", 1000}}, std::nullopt)->score, 0, 1e-12);
}

TEST(ScorerTest, MissingRatingCountsAsTheWorstValueAndIsFlagged) {
  auto scorer = Scorer::Create(WeightedSum());
  auto e = scorer->Score({{"value", 8}, {"cost", 250}}, std::nullopt);
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->AnyMissing());
  const CriterionScore& risk = e->criteria[1];
  EXPECT_TRUE(risk.missing);
  EXPECT_DOUBLE_EQ(risk.rating, 5);  // the worst end of a lower-is-better 1..5 scale
  EXPECT_DOUBLE_EQ(risk.normalised, 0);
  EXPECT_DOUBLE_EQ(risk.contribution, 0);
  EXPECT_NEAR(e->score, 63.0, 1e-12);
  // Leaving a rating out never beats giving the worst rating.
  EXPECT_NEAR(scorer->Score({{"value", 8}, {"risk", 5}, {"cost", 250}}, std::nullopt)->score, e->score, 1e-12);
}

TEST(ScorerTest, IgnoresRatingsForUnknownKeysAndRefusesNonFiniteOnes) {
  auto scorer = Scorer::Create(WeightedSum());
  EXPECT_TRUE(scorer->Score({{"value", 8}, {"retired_criterion", 3}}, std::nullopt).ok());
  auto bad = scorer->Score({{"value", std::numeric_limits<double>::quiet_NaN()},
                            {"cost", std::numeric_limits<double>::infinity()}},
                           1.5);
  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ratings[value]")));
  EXPECT_THAT(ViolationFields(bad), UnorderedElementsAre("ratings[value]", "ratings[cost]", "alignment"));
}

TEST(ScorerTest, CreateRefusesAnInvalidModel) {
  EXPECT_THAT(Scorer::Create(ScoringModel{}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("criterion")));
}

TEST(ScorerTest, AlignmentIsComputedNotTyped) {
  ScoringModel m = WeightedSum();
  m.criteria.push_back(Make("okr", Category::kAlignment, 5, Direction::kHigherIsBetter, {0, 5}));
  auto scorer = Scorer::Create(m);
  ASSERT_TRUE(scorer.ok());
  // A typed rating for the alignment key is ignored; the computed 0.6 is used.
  auto e = scorer->Score({{"value", 8}, {"risk", 2}, {"cost", 250}, {"okr", 5}}, 0.6);
  ASSERT_TRUE(e.ok());
  const CriterionScore& okr = e->criteria[3];
  EXPECT_TRUE(okr.computed);
  EXPECT_FALSE(okr.missing);
  EXPECT_DOUBLE_EQ(okr.rating, 3);  // 0.6 placed on the 0..5 scale
  EXPECT_DOUBLE_EQ(okr.normalised, 0.6);
  EXPECT_DOUBLE_EQ(okr.weight, 0.5);
  EXPECT_NEAR(e->Subtotal(Category::kAlignment), 30, 1e-12);
  EXPECT_NEAR(e->score, 0.5 * 78 + 30, 1e-12);
  // No alignment known yet counts as missing.
  auto unknown = scorer->Score({{"value", 8}, {"risk", 2}, {"cost", 250}}, std::nullopt);
  EXPECT_TRUE(unknown->criteria[3].missing);
  EXPECT_NEAR(unknown->score, 39, 1e-12);
}

TEST(ScorerTest, WsjfDividesCostOfDelayByJobSize) {
  auto scorer = Scorer::Create(Wsjf());
  ASSERT_TRUE(scorer.ok()) << scorer.status();
  // value 10 -> 1, urgency 5.5 -> 0.5: CoD = 0.5 * 1 + 0.5 * 0.5 = 0.75.
  // size 7 on 1..13 lower-better -> n = 0.5 -> size 1 + 9 * 0.5 = 5.5.
  auto e = scorer->Score({{"value", 10}, {"urgency", 5.5}, {"size", 7}}, std::nullopt);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_NEAR(e->cost_of_delay, 0.75, 1e-15);
  EXPECT_NEAR(e->job_size, 5.5, 1e-15);
  EXPECT_NEAR(e->score, 100 * 0.75 / 5.5, 1e-12);
  EXPECT_NEAR(e->criteria[0].contribution, 50, 1e-12);
  EXPECT_NEAR(e->criteria[1].contribution, 25, 1e-12);
  EXPECT_NEAR(e->criteria[2].contribution, -100 * 0.75 * 4.5 / 5.5, 1e-12);
  EXPECT_NEAR(SumOfContributions(*e), e->score, 1e-9);
}

TEST(ScorerTest, WsjfPrefersTheSmallerJobAtEqualCostOfDelay) {
  auto scorer = Scorer::Create(Wsjf());
  const double small = scorer->Score({{"value", 6}, {"urgency", 6}, {"size", 1}}, std::nullopt)->score;
  const double large = scorer->Score({{"value", 6}, {"urgency", 6}, {"size", 13}}, std::nullopt)->score;
  EXPECT_NEAR(small / large, kWsjfSizeSpread, 1e-9);
  // The best possible job scores 100.
  EXPECT_NEAR(scorer->Score({{"value", 10}, {"urgency", 10}, {"size", 1}}, std::nullopt)->score, 100, 1e-12);
}

TEST(ScorerTest, WsjfMissingSizeCountsAsTheLargestJob) {
  auto scorer = Scorer::Create(Wsjf());
  auto e = scorer->Score({{"value", 10}, {"urgency", 10}}, std::nullopt);
  EXPECT_TRUE(e->criteria[2].missing);
  EXPECT_NEAR(e->job_size, kWsjfSizeSpread, 1e-12);
  EXPECT_NEAR(e->score, 100 / kWsjfSizeSpread, 1e-12);
}

// Property: on random models and ratings, for both model types, the contributions add
// up to the score, the subtotals add up to the score, and the score stays in [0, 100].
TEST(ScorerTest, ExplanationAlwaysSumsToTheScore) {
  std::mt19937_64 rng(20270101);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int round = 0; round < 2000; ++round) {
    ScoringModel m;
    m.type = round % 2 ? ModelType::kWsjf : ModelType::kWeightedSum;
    const int count = 2 + static_cast<int>(rng() % 8);
    for (int k = 0; k < count; ++k) {
      Category category = kAllCategories[rng() % kCategoryCount];
      if (k == 0) category = Category::kValue;
      if (k == 1) category = Category::kCost;
      const double lo = std::floor(unit(rng) * 100 - 50);
      Criterion c = Make("c" + std::to_string(k), category, unit(rng) < 0.1 ? 0 : unit(rng) * 10,
                         unit(rng) < 0.5 || category == Category::kAlignment ? Direction::kHigherIsBetter
                                                                             : Direction::kLowerIsBetter,
                         {lo, lo + 1 + unit(rng) * 1000});
      m.criteria.push_back(c);
    }
    m.criteria[0].weight = 1;
    m.criteria[1].weight = 1;
    auto scorer = Scorer::Create(m);
    ASSERT_TRUE(scorer.ok()) << scorer.status();
    Ratings ratings;
    for (const Criterion& c : m.criteria) {
      if (unit(rng) < 0.15) continue;  // missing
      const double span = c.scale.max - c.scale.min;
      ratings[c.key] = c.scale.min - 0.1 * span + unit(rng) * 1.2 * span;  // sometimes outside the scale
    }
    std::optional<double> alignment;
    if (unit(rng) < 0.8) alignment = unit(rng);
    auto e = scorer->Score(ratings, alignment);
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_NEAR(SumOfContributions(*e), e->score, 1e-9);
    double subtotal_sum = 0;
    for (double s : e->subtotals) subtotal_sum += s;
    EXPECT_NEAR(subtotal_sum, e->score, 1e-9);
    EXPECT_GE(e->score, 0);
    EXPECT_LE(e->score, kMaxScore + 1e-9);
    if (m.type == ModelType::kWsjf) {
      EXPECT_NEAR(e->score, kMaxScore * e->cost_of_delay / e->job_size, 1e-9);
      EXPECT_GE(e->job_size, 1 - 1e-12);
      EXPECT_LE(e->job_size, kWsjfSizeSpread + 1e-12);
    }
  }
}

}  // namespace
}  // namespace pmo::scoring::domain
