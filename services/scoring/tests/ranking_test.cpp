#include "services/scoring/domain/ranking.h"

#include <algorithm>
#include <limits>
#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "status_matchers.h"

namespace pmo::scoring::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::StatusIs;

std::vector<std::string> Ids(const std::vector<RankedEntry>& ranking) {
  std::vector<std::string> ids;
  for (const RankedEntry& e : ranking) ids.push_back(e.id);
  return ids;
}

TEST(RankingTest, HigherScoreFirstWithRanksOneToN) {
  auto r = Rank({{"a", 10, 0, 0}, {"b", 30, 0, 0}, {"c", 20, 0, 0}});
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Ids(*r), ElementsAre("b", "c", "a"));
  EXPECT_EQ((*r)[0].rank, 1);
  EXPECT_EQ((*r)[2].rank, 3);
  EXPECT_DOUBLE_EQ((*r)[0].score, 30);
}

TEST(RankingTest, TieBrokenByValueSubtotal) {
  auto r = Rank({{"a", 50, 10, 0}, {"b", 50, 30, 0}, {"c", 50, 20, 0}});
  EXPECT_THAT(Ids(*r), ElementsAre("b", "c", "a"));
}

TEST(RankingTest, ThenByEarlierSubmission) {
  auto r = Rank({{"a", 50, 10, 300}, {"b", 50, 10, 100}, {"c", 50, 10, 200}});
  EXPECT_THAT(Ids(*r), ElementsAre("b", "c", "a"));
}

TEST(RankingTest, ThenById) {
  auto r = Rank({{"init-10", 50, 10, 100}, {"init-02", 50, 10, 100}, {"init-1", 50, 10, 100}});
  EXPECT_THAT(Ids(*r), ElementsAre("init-02", "init-1", "init-10"));
}

TEST(RankingTest, RoundingNoiseCountsAsATie) {
  // 0.1 + 0.2 != 0.3 in binary floating point; the tie-break decides, not the noise.
  auto r = Rank({{"a", 0.1 + 0.2, 1, 0}, {"b", 0.3, 2, 0}});
  EXPECT_THAT(Ids(*r), ElementsAre("b", "a"));
  // A real difference still counts.
  auto s = Rank({{"a", 0.3 + 1e-6, 1, 0}, {"b", 0.3, 2, 0}});
  EXPECT_THAT(Ids(*s), ElementsAre("a", "b"));
}

TEST(RankingTest, IndependentOfInputOrder) {
  std::vector<RankInput> inputs;
  for (int i = 0; i < 60; ++i) {
    inputs.push_back({"i" + std::to_string(i), static_cast<double>(i % 4), static_cast<double>(i % 3),
                      static_cast<int64_t>(i % 5)});
  }
  const std::vector<std::string> expected = Ids(*Rank(inputs));
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    std::shuffle(inputs.begin(), inputs.end(), rng);
    EXPECT_EQ(Ids(*Rank(inputs)), expected);
  }
}

TEST(RankingTest, RefusesDuplicateIdsAndNonFiniteScores) {
  EXPECT_THAT(Rank({{"a", 1, 0, 0}, {"a", 2, 0, 0}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate id \"a\"")));
  EXPECT_THAT(Rank({{"a", std::numeric_limits<double>::quiet_NaN(), 0, 0}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("inputs[0].score")));
}

TEST(RankingTest, DiffListsWhoMovedEnteredAndLeft) {
  auto before = Rank({{"a", 30, 0, 0}, {"b", 20, 0, 0}, {"c", 10, 0, 0}, {"e", 5, 0, 0}});
  auto after = Rank({{"b", 40, 0, 0}, {"a", 30, 0, 0}, {"d", 15, 0, 0}, {"e", 5, 0, 0}});
  EXPECT_THAT(DiffRankings(*before, *after),
              ElementsAre(RankMove{"b", 2, 1}, RankMove{"a", 1, 2}, RankMove{"d", kNotRanked, 3},
                          RankMove{"c", 3, kNotRanked}));
  EXPECT_TRUE(DiffRankings(*after, *after).empty());
}

}  // namespace
}  // namespace pmo::scoring::domain
