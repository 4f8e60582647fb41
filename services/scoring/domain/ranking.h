// The ranking of a portfolio's initiatives by score, with deterministic tie-breaks, and
// the difference between two rankings (who moved) for RankingChanged events.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pmo::scoring::domain {

struct RankInput {
  std::string id;
  double score = 0;
  double value_subtotal = 0;         // ScoreExplanation::Subtotal(Category::kValue)
  int64_t submitted_at_unix_ms = 0;  // when intake accepted the submission
};

struct RankedEntry {
  int rank = 0;  // 1..n
  std::string id;
  double score = 0;
  double value_subtotal = 0;
  int64_t submitted_at_unix_ms = 0;
};

// Scores closer than this count as equal, so that two initiatives whose scores differ
// only by floating-point rounding are ordered by the tie-breaks, not by noise. Values
// are compared after rounding to this grid, which keeps the ordering transitive.
inline constexpr double kScoreTieResolution = 1e-9;

// Orders by, in turn:
//   1. higher score;
//   2. higher VALUE subtotal (among equals, what the initiative is worth beats how
//      cheap or safe it is);
//   3. earlier submission (first come, first served);
//   4. id, lexicographically ascending (a total order, so the result never depends on
//      input order).
// Ranks are 1..n with no shared ranks. INVALID_ARGUMENT for an empty or duplicate id or
// a non-finite score or subtotal.
absl::StatusOr<std::vector<RankedEntry>> Rank(const std::vector<RankInput>& inputs);

// Marks "not in this ranking" in a RankMove (ranks start at 1).
inline constexpr int kNotRanked = 0;

struct RankMove {
  std::string id;
  int old_rank = kNotRanked;  // kNotRanked: entered the ranking
  int new_rank = kNotRanked;  // kNotRanked: left the ranking
  bool operator==(const RankMove&) const = default;
};

// Every id whose rank differs between `before` and `after`, including those that
// entered or left. Ordered by new rank, then those that left by their old rank.
std::vector<RankMove> DiffRankings(const std::vector<RankedEntry>& before, const std::vector<RankedEntry>& after);

}  // namespace pmo::scoring::domain
