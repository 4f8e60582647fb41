// The re-scoring arithmetic: alignment then score for one initiative, a portfolio scored
// and ranked together (left-out initiatives do not hold the rest back), the moves a full
// and an incremental re-rank announce, and the sorted-set rank arithmetic.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "services/scoring/domain/rank_key.h"
#include "services/scoring/domain/rescoring.h"
#include "services/scoring/tests/status_matchers.h"

namespace pmo::scoring::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::StatusIs;

ScoringModel ValueAndAlignment() {
  ScoringModel m;
  m.version = 3;
  m.criteria.push_back({"value", "Value", Category::kValue, 3, Direction::kHigherIsBetter, {0, 10}});
  m.criteria.push_back({"fit", "Fit", Category::kAlignment, 1, Direction::kHigherIsBetter, {0, 10}});
  return m;
}

ScoringInputs Inputs(std::string id, double value, bool in_play = true, int64_t submitted = 0) {
  return {std::move(id), in_play, {{"value", value}}, submitted};
}

TEST(AlignmentValue, NothingFromOkrIsMissingAndLinksAreWeighedByPriority) {
  EXPECT_EQ(*AlignmentValue(std::nullopt, {{"o1", 2}}), std::nullopt);
  auto half = AlignmentValue(std::vector<KeyResultLink>{{"kr1", "o2", 1.0}}, {{"o1", 2}, {"o2", 1}});
  ASSERT_TRUE(half.ok());
  EXPECT_DOUBLE_EQ(half->value(), 0.5);
  EXPECT_DOUBLE_EQ(**AlignmentValue(std::vector<KeyResultLink>{}, {{"o1", 2}}), 0.0);
  EXPECT_THAT(AlignmentValue(std::vector<KeyResultLink>{{"kr1", "o1", 1.5}}, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("contribution")));
}

TEST(ScoreInitiative, OnlyInPlayInitiativesUnderAModelAreScored) {
  auto scorer = Scorer::Create(ValueAndAlignment());
  ASSERT_TRUE(scorer.ok());
  EXPECT_EQ(*ScoreInitiative(nullptr, Inputs("a", 10), 1.0), std::nullopt);
  EXPECT_EQ(*ScoreInitiative(&*scorer, Inputs("a", 10, /*in_play=*/false), 1.0), std::nullopt);
  auto full = ScoreInitiative(&*scorer, Inputs("a", 10), 1.0);
  ASSERT_TRUE(full.ok() && full->has_value());
  EXPECT_DOUBLE_EQ((*full)->score, 100);
  auto unaligned = ScoreInitiative(&*scorer, Inputs("a", 10), std::nullopt);
  ASSERT_TRUE(unaligned.ok() && unaligned->has_value());
  EXPECT_DOUBLE_EQ((*unaligned)->score, 75);  // the alignment criterion counts as missing
  EXPECT_TRUE((*unaligned)->AnyMissing());
  EXPECT_THAT(ScoreInitiative(&*scorer, Inputs("a", std::nan("")), 1.0),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::_));
  RankInput in = RankInputOf(Inputs("a", 10, true, 42), **full);
  EXPECT_EQ(in.id, "a");
  EXPECT_DOUBLE_EQ(in.score, 100);
  EXPECT_DOUBLE_EQ(in.value_subtotal, 75);
  EXPECT_EQ(in.submitted_at_unix_ms, 42);
}

TEST(PortfolioRescore, ScoresRanksAndLeavesOutWhatCannotBeScored) {
  auto scorer = Scorer::Create(ValueAndAlignment());
  ASSERT_TRUE(scorer.ok());
  PortfolioRescore rescore(&*scorer);
  ASSERT_TRUE(rescore.Add(Inputs("low", 2), 0.0).ok());
  ASSERT_TRUE(rescore.Add(Inputs("high", 9), 1.0).ok());
  auto out_of_play = rescore.Add(Inputs("draft", 10, /*in_play=*/false), 1.0);
  ASSERT_TRUE(out_of_play.ok());
  EXPECT_EQ(*out_of_play, std::nullopt);  // scored as unranked: written, not ranked
  EXPECT_FALSE(rescore.Add(Inputs("broken", std::nan("")), 1.0).ok());
  // Equal scores: the earlier submission first.
  ASSERT_TRUE(rescore.Add(Inputs("tie-late", 2, true, 20), 0.0).ok());
  EXPECT_EQ(rescore.ranked_inputs().size(), 3u);
  auto ranking = rescore.Rank();
  ASSERT_TRUE(ranking.ok());
  std::vector<std::string> ids;
  for (const auto& e : ranking->entries()) ids.push_back(e.id);
  EXPECT_THAT(ids, ElementsAre("high", "low", "tie-late"));
  EXPECT_EQ(ranking->RankOf("high"), 1);
  EXPECT_EQ(ranking->RankOf("tie-late"), 3);
  EXPECT_EQ(ranking->RankOf("draft"), kNotRanked);
  EXPECT_EQ(ranking->RankOf("broken"), kNotRanked);
}

TEST(PortfolioRescore, WithoutAModelNothingIsRanked) {
  PortfolioRescore rescore(nullptr);
  EXPECT_EQ(*rescore.Add(Inputs("a", 5), 1.0), std::nullopt);
  auto ranking = rescore.Rank();
  ASSERT_TRUE(ranking.ok());
  EXPECT_TRUE(ranking->empty());
  auto moves = FullRerankMoves(ranking->entries(), 5000);
  ASSERT_EQ(moves.size(), 1u);  // one empty announcement: the ranking is empty now
  EXPECT_TRUE(moves[0].empty());
}

TEST(FullRerankMoves, EveryEntryWithItsNewRankInGroupsLikeDiffingAgainstNothing) {
  std::vector<RankInput> inputs;
  for (int i = 0; i < 12; ++i) inputs.push_back({"i" + std::to_string(i), static_cast<double>(i % 5), 0, i});
  auto ranking = Rank(inputs);
  ASSERT_TRUE(ranking.ok());
  auto groups = FullRerankMoves(*ranking, 5);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].size(), 5u);
  EXPECT_EQ(groups[2].size(), 2u);
  std::vector<RankMove> flat;
  for (const auto& g : groups) flat.insert(flat.end(), g.begin(), g.end());
  EXPECT_EQ(flat, DiffRankings({}, *ranking));
  EXPECT_EQ(flat.front().old_rank, kNotRanked);
  EXPECT_EQ(flat.front().new_rank, 1);
  EXPECT_EQ(FullRerankMoves(*ranking, 12).size(), 1u);
}

TEST(IncrementalMove, OnlyAChangedRankIsAMove) {
  EXPECT_EQ(IncrementalMove("a", 3, 3), std::nullopt);
  EXPECT_EQ(IncrementalMove("a", kNotRanked, 2), (RankMove{"a", kNotRanked, 2}));
  EXPECT_EQ(IncrementalMove("a", 2, kNotRanked), (RankMove{"a", 2, kNotRanked}));
  EXPECT_EQ(NextScoreVersion(0), 1);
  EXPECT_EQ(NextScoreVersion(7), 8);
}

// RankAfterMove on a sorted set of keys must give the rank the entry really has after
// its old key is replaced, for random rankings and moves.
TEST(RankAfterMove, MatchesTheRankAfterReplacingTheKey) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> score(0, 9);
  for (int round = 0; round < 300; ++round) {
    std::map<std::string, std::string> key_of;  // id → key
    const int n = 1 + round % 15;
    for (int i = 0; i < n; ++i) {
      std::string id = "x" + std::to_string(i);
      key_of[id] = RankKey({id, static_cast<double>(score(rng)), 0, 0});
    }
    const std::string id = "x" + std::to_string(round % (n + 1));  // sometimes a newcomer
    const std::string old_key = key_of.contains(id) ? key_of[id] : "";
    const std::string new_key = RankKey({id, static_cast<double>(score(rng)), 0, 0});
    int64_t before_new = 0;
    for (const auto& [other, key] : key_of) before_new += key < new_key ? 1 : 0;  // old key still in place
    key_of[id] = new_key;
    std::vector<std::string> keys;
    for (const auto& [other, key] : key_of) keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    const int actual = static_cast<int>(std::find(keys.begin(), keys.end(), new_key) - keys.begin()) + 1;
    ASSERT_EQ(RankAfterMove(before_new, old_key, new_key), actual) << "round " << round;
    EXPECT_EQ(IdOfRankKey(new_key), id);
  }
  EXPECT_EQ(RankAt(0), 1);
}

}  // namespace
}  // namespace pmo::scoring::domain
