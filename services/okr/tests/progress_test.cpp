#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "services/okr/domain/progress.h"
#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::okr::domain {
namespace {

using ::testing::DoubleNear;
using testing::CheckInOf;
using testing::Day;
using testing::KeyResultOf;
using testing::ObjectiveAt;

constexpr double kEps = 1e-12;

TEST(ProgressOfTest, IncreaseIsTheShareOfTheWayFromBaselineToTarget) {
  const KeyResult kr = KeyResultOf("kr", "o", Direction::kIncrease, 10, 20);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 10), 0.0);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 15), 0.5);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 17.5), 0.75);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 20), 1.0);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 35), 1.0);  // overshoot is clamped
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 4), 0.0);   // below the baseline is clamped
}

TEST(ProgressOfTest, DecreaseIsTheShareOfTheWayDown) {
  const KeyResult kr = KeyResultOf("kr", "o", Direction::kDecrease, 100, 60);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 100), 0.0);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 80), 0.5);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 70), 0.75);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 60), 1.0);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 40), 1.0);   // overshoot is clamped
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 120), 0.0);  // got worse than the baseline

  const KeyResult negative = KeyResultOf("kr", "o", Direction::kDecrease, 0, -10);
  EXPECT_DOUBLE_EQ(ProgressOf(negative, -5), 0.5);
}

// MAINTAIN: 1 inside the band; outside, 1 - (|v - t| - tol) / max(|t|, 1), floored at 0.
TEST(ProgressOfTest, MaintainIsFullInsideTheToleranceAndFallsOffOutside) {
  const KeyResult kr = KeyResultOf("kr", "o", Direction::kMaintain, 100, 100, 2);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 100), 1.0);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 102), 1.0);  // the band's edge is inside
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 98), 1.0);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 97), 0.99);   // 1 - (3 - 2) / 100
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 110), 0.92);  // 1 - (10 - 2) / 100
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 150), 0.52);  // 1 - 48 / 100
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 202), 0.0);   // drift beyond the band equals |t|
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 400), 0.0);   // and stays 0 beyond
}

TEST(ProgressOfTest, MaintainNearZeroTargetMeasuresDriftInUnits) {
  // Target 0 incidents, tolerance 0.5: the floor of 1 unit in the denominator.
  const KeyResult kr = KeyResultOf("kr", "o", Direction::kMaintain, 0, 0, 0.5);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 1), 0.5);   // 1 - (1 - 0.5) / 1
  EXPECT_DOUBLE_EQ(ProgressOf(kr, -1), 0.5);  // drift either way counts the same
  EXPECT_DOUBLE_EQ(ProgressOf(kr, 3), 0.0);

  const KeyResult exact = KeyResultOf("kr", "o", Direction::kMaintain, 5, -20, 0);
  EXPECT_DOUBLE_EQ(ProgressOf(exact, -20), 1.0);
  EXPECT_DOUBLE_EQ(ProgressOf(exact, -25), 0.75);  // 1 - 5 / 20
}

TEST(ProgressOfTest, DegenerateInputFallsBackToReachedOrNot) {
  const KeyResult flat = KeyResultOf("kr", "o", Direction::kIncrease, 10, 10);
  EXPECT_DOUBLE_EQ(ProgressOf(flat, 9), 0.0);
  EXPECT_DOUBLE_EQ(ProgressOf(flat, 10), 1.0);
  const KeyResult wrong_way = KeyResultOf("kr", "o", Direction::kDecrease, 10, 20);
  EXPECT_DOUBLE_EQ(ProgressOf(wrong_way, 25), 0.0);  // not down to 20
  EXPECT_DOUBLE_EQ(ProgressOf(wrong_way, 20), 1.0);
  const KeyResult ok = KeyResultOf("kr", "o", Direction::kIncrease, 0, 10);
  EXPECT_DOUBLE_EQ(ProgressOf(ok, std::numeric_limits<double>::quiet_NaN()), 0.0);
  EXPECT_DOUBLE_EQ(ProgressOf(KeyResultOf("kr", "o", Direction::kUnspecified, 0, 10), 5), 0.0);
}

TEST(EvaluateKeyResultTest, NoCheckInIsZeroAndFlagged) {
  const KeyResultProgress p = EvaluateKeyResult(KeyResultOf("kr", "o", Direction::kIncrease, 0, 10), nullptr);
  EXPECT_EQ(p.progress, 0.0);
  EXPECT_EQ(p.confidence, 0.0);
  EXPECT_FALSE(p.checked_in);
}

TEST(EvaluateKeyResultTest, UsesTheGivenCheckIn) {
  const CheckIn c = CheckInOf("kr", 4, 0.7, Day(2027, 2, 1), "s");
  const KeyResultProgress p = EvaluateKeyResult(KeyResultOf("kr", "o", Direction::kIncrease, 0, 10), &c);
  EXPECT_DOUBLE_EQ(p.progress, 0.4);
  EXPECT_DOUBLE_EQ(p.confidence, 0.7);
  EXPECT_TRUE(p.checked_in);
  EXPECT_EQ(p.as_of, Day(2027, 2, 1));
}

// The three-level cascade, with the numbers worked by hand:
//
//   co (COMPANY)
//   ├── kr co-a   INCREASE 0 -> 100, value 40               p 0.40  c 0.9
//   ├── kr co-old retired                                    (left out)
//   ├── pf1 (PORTFOLIO, priority 2)
//   │   ├── kr pf1-a  DECREASE 50 -> 30, value 35           p 0.75  c 0.8
//   │   └── pg1 (PROGRAM, priority 1)
//   │       ├── kr pg1-a  INCREASE 0 -> 10, value 10 (+ a late, older 2)  p 1.00  c 0.6
//   │       └── kr pg1-b  MAINTAIN 100 +-5, value 110       p 1 - (10-5)/100 = 0.95  c 0.5
//   ├── pf2 (PORTFOLIO, priority 3)
//   │   └── kr pf2-a  INCREASE 0 -> 4, no check-in           p 0     c 0   (flagged)
//   └── pf3 (PORTFOLIO, priority 5, RETIRED)                 (left out of co)
//       └── kr pf3-a  INCREASE 0 -> 1, value 0               p 0     c 0.2
//
//   pg1 = (1.00 + 0.95) / 2                  = 0.975      c = (0.6 + 0.5) / 2  = 0.55
//   pf1 = (1 * 0.75 + 1 * 0.975) / (1 + 1)   = 0.8625     c = (0.8 + 0.55) / 2 = 0.675
//   pf2 = 0 / 1                              = 0          c = 0
//   co  = (1 * 0.40 + 2 * 0.8625 + 3 * 0) / (1 + 2 + 3) = 2.125 / 6 = 0.3541666...
//         c = (0.9 + 2 * 0.675 + 3 * 0) / 6 = 2.25 / 6 = 0.375
class CascadeTest : public ::testing::Test {
 protected:
  std::vector<Objective> objectives = {
      ObjectiveAt("co", Level::kCompany, "", 1),
      ObjectiveAt("pf1", Level::kPortfolio, "co", 2),
      ObjectiveAt("pg1", Level::kProgram, "pf1", 1),
      ObjectiveAt("pf2", Level::kPortfolio, "co", 3),
      ObjectiveAt("pf3", Level::kPortfolio, "co", 5, ObjectiveStatus::kRetired),
  };
  std::vector<KeyResult> key_results = {
      KeyResultOf("co-a", "co", Direction::kIncrease, 0, 100),
      Retired(KeyResultOf("co-old", "co", Direction::kIncrease, 0, 100)),
      KeyResultOf("pf1-a", "pf1", Direction::kDecrease, 50, 30),
      KeyResultOf("pg1-a", "pg1", Direction::kIncrease, 0, 10),
      KeyResultOf("pg1-b", "pg1", Direction::kMaintain, 100, 100, 5),
      KeyResultOf("pf2-a", "pf2", Direction::kIncrease, 0, 4),
      KeyResultOf("pf3-a", "pf3", Direction::kIncrease, 0, 1),
  };
  std::vector<CheckIn> check_ins = {
      CheckInOf("co-a", 40, 0.9, Day(2027, 2, 1), "s1"),
      CheckInOf("co-old", 0, 0.0, Day(2027, 2, 1), "s2"),
      CheckInOf("pf1-a", 35, 0.8, Day(2027, 2, 1), "s3"),
      CheckInOf("pg1-a", 10, 0.6, Day(2027, 3, 1), "s4"),
      CheckInOf("pg1-a", 2, 0.1, Day(2027, 1, 1), "s5"),  // arrived late, older
      CheckInOf("pg1-b", 110, 0.5, Day(2027, 2, 1), "s6"),
      CheckInOf("pf3-a", 0, 0.2, Day(2027, 2, 1), "s7"),
      CheckInOf("unknown-kr", 1, 1, Day(2027, 2, 1), "s8"),
  };

  static KeyResult Retired(KeyResult kr) {
    kr.retired = true;
    return kr;
  }
};

TEST_F(CascadeTest, RollsUpByTheDocumentedWeights) {
  const ProgressTree tree = ComputeProgress(objectives, key_results, check_ins);

  ASSERT_EQ(tree.objectives.size(), 5u);
  const ObjectiveProgress& pg1 = tree.objectives.at("pg1");
  EXPECT_THAT(pg1.progress, DoubleNear(0.975, kEps));
  EXPECT_THAT(pg1.confidence, DoubleNear(0.55, kEps));
  EXPECT_DOUBLE_EQ(pg1.total_weight, 2);
  EXPECT_EQ(pg1.key_results_without_check_in, 0);

  const ObjectiveProgress& pf1 = tree.objectives.at("pf1");
  EXPECT_THAT(pf1.progress, DoubleNear(0.8625, kEps));
  EXPECT_THAT(pf1.confidence, DoubleNear(0.675, kEps));
  EXPECT_DOUBLE_EQ(pf1.total_weight, 2);

  const ObjectiveProgress& pf2 = tree.objectives.at("pf2");
  EXPECT_EQ(pf2.progress, 0.0);
  EXPECT_EQ(pf2.confidence, 0.0);
  EXPECT_EQ(pf2.key_results_without_check_in, 1);

  const ObjectiveProgress& co = tree.objectives.at("co");
  EXPECT_THAT(co.progress, DoubleNear(2.125 / 6, kEps));
  EXPECT_THAT(co.confidence, DoubleNear(0.375, kEps));
  EXPECT_DOUBLE_EQ(co.total_weight, 6);
  EXPECT_EQ(co.key_results_without_check_in, 1);

  // The retired objective is still reported on its own.
  EXPECT_EQ(tree.objectives.at("pf3").progress, 0.0);
  EXPECT_DOUBLE_EQ(tree.objectives.at("pf3").confidence, 0.2);
}

TEST_F(CascadeTest, ReportsEveryKeyResultFromItsLatestCheckIn) {
  const ProgressTree tree = ComputeProgress(objectives, key_results, check_ins);
  ASSERT_EQ(tree.key_results.size(), key_results.size());
  EXPECT_DOUBLE_EQ(tree.key_results.at("pg1-a").progress, 1.0);  // the late value 2 did not overwrite 10
  EXPECT_EQ(tree.key_results.at("pg1-a").as_of, Day(2027, 3, 1));
  EXPECT_THAT(tree.key_results.at("pg1-b").progress, DoubleNear(0.95, kEps));
  EXPECT_DOUBLE_EQ(tree.key_results.at("pf1-a").progress, 0.75);
  EXPECT_FALSE(tree.key_results.at("pf2-a").checked_in);
  EXPECT_TRUE(tree.key_results.at("co-old").checked_in);  // reported, though not rolled up
}

TEST_F(CascadeTest, InputOrderDoesNotMatter) {
  const ProgressTree forward = ComputeProgress(objectives, key_results, check_ins);
  std::reverse(objectives.begin(), objectives.end());
  std::reverse(key_results.begin(), key_results.end());
  const ProgressTree backward = ComputeProgress(objectives, key_results, check_ins);
  for (const auto& [id, p] : forward.objectives) {
    EXPECT_THAT(backward.objectives.at(id).progress, DoubleNear(p.progress, kEps)) << id;
    EXPECT_THAT(backward.objectives.at(id).confidence, DoubleNear(p.confidence, kEps)) << id;
  }
}

TEST_F(CascadeTest, NewerCheckInMovesEveryAncestor) {
  check_ins.push_back(CheckInOf("pf2-a", 4, 1.0, Day(2027, 3, 1), "s9"));  // pf2 reaches its target
  const ProgressTree tree = ComputeProgress(objectives, key_results, check_ins);
  EXPECT_DOUBLE_EQ(tree.objectives.at("pf2").progress, 1.0);
  // co = (0.40 + 2 * 0.8625 + 3 * 1) / 6 = 5.125 / 6
  EXPECT_THAT(tree.objectives.at("co").progress, DoubleNear(5.125 / 6, kEps));
  EXPECT_EQ(tree.objectives.at("co").key_results_without_check_in, 0);
}

TEST(RollUpTest, ObjectiveWithNothingToRollUpIsZero) {
  const ProgressTree tree = ComputeProgress({ObjectiveAt("lonely", Level::kTeam, "")}, {}, {});
  const ObjectiveProgress& p = tree.objectives.at("lonely");
  EXPECT_EQ(p.progress, 0.0);
  EXPECT_EQ(p.confidence, 0.0);
  EXPECT_EQ(p.total_weight, 0.0);
}

TEST(RollUpTest, UnknownParentMakesARoot) {
  const ProgressTree tree =
      ComputeProgress({ObjectiveAt("pg", Level::kProgram, "elsewhere")},
                      {KeyResultOf("k", "pg", Direction::kIncrease, 0, 2)}, {CheckInOf("k", 1, 0.4, Day(2027, 1, 5), "s")});
  EXPECT_DOUBLE_EQ(tree.objectives.at("pg").progress, 0.5);
}

TEST(RollUpTest, ACycleInStoredDataDoesNotTrapTheComputation) {
  const ProgressTree tree = ComputeProgress(
      {ObjectiveAt("a", Level::kProgram, "b"), ObjectiveAt("b", Level::kPortfolio, "a")},
      {KeyResultOf("ka", "a", Direction::kIncrease, 0, 10), KeyResultOf("kb", "b", Direction::kIncrease, 0, 10)},
      {CheckInOf("ka", 10, 1, Day(2027, 1, 5), "s1"), CheckInOf("kb", 0, 0, Day(2027, 1, 5), "s2")});
  ASSERT_EQ(tree.objectives.size(), 2u);
  for (const auto& [id, p] : tree.objectives) {
    EXPECT_TRUE(std::isfinite(p.progress)) << id;
    EXPECT_GE(p.progress, 0.0);
    EXPECT_LE(p.progress, 1.0);
  }
}

}  // namespace
}  // namespace pmo::okr::domain
