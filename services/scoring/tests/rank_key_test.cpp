// The ranking's sorted-set key must order initiatives exactly as the domain's Rank does
// (score desc, VALUE subtotal desc, submitted earlier, id), ties and all.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "services/scoring/domain/rank_key.h"
#include "services/scoring/domain/ranking.h"

namespace pmo::scoring {
namespace {

TEST(RankKey, OrdersLikeTheDomainRanking) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> coarse(0, 20);
  for (int round = 0; round < 200; ++round) {
    std::vector<domain::RankInput> inputs;
    int n = 2 + round % 30;
    for (int i = 0; i < n; ++i) {
      // Coarse values force ties on score and subtotal; some differ by less than the
      // tie resolution, some are negative.
      double score = coarse(rng) * 2.5 - 5 + (coarse(rng) == 0 ? 1e-12 : 0);
      double value = coarse(rng) * 1.25;
      int64_t submitted = coarse(rng) < 10 ? 0 : coarse(rng) * 1000;
      inputs.push_back({"in-" + std::to_string(coarse(rng)) + "-" + std::to_string(i), score, value, submitted});
    }
    auto ranked = domain::Rank(inputs);
    ASSERT_TRUE(ranked.ok());
    std::vector<std::pair<std::string, std::string>> keyed;
    for (const auto& in : inputs) keyed.emplace_back(domain::RankKey(in), in.id);
    std::sort(keyed.begin(), keyed.end());
    for (size_t i = 0; i < keyed.size(); ++i) ASSERT_EQ(keyed[i].second, (*ranked)[i].id) << "round " << round;
  }
}

}  // namespace
}  // namespace pmo::scoring
