#include "services/scoring/domain/rank_key.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pmo::scoring::domain {

std::string RankKey(const RankInput& in) {
  // Fixed-width, non-negative encodings so byte order is numeric order; "higher first"
  // becomes ascending by subtracting from an offset.
  constexpr double kOffset = 4e15;
  auto inverted = [&](double v) {
    double q = std::nearbyint(v / kScoreTieResolution);
    q = std::clamp(q, -kOffset + 1, kOffset - 1);
    return static_cast<unsigned long long>(kOffset - q);
  };
  char buf[64];
  std::snprintf(buf, sizeof buf, "%016llu|%016llu|%015lld|", inverted(in.score), inverted(in.value_subtotal),
                static_cast<long long>(std::max<int64_t>(0, in.submitted_at_unix_ms)));
  return std::string(buf) + in.id;
}

std::string_view IdOfRankKey(std::string_view key) { return key.substr(key.rfind('|') + 1); }

int RankAfterMove(int64_t keys_before_new, std::string_view old_key, std::string_view new_key) {
  int rank = RankAt(keys_before_new);
  if (!old_key.empty() && old_key < new_key) --rank;  // the old entry leaves from above
  return rank;
}

}  // namespace pmo::scoring::domain
