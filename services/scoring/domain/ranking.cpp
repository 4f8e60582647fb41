#include "services/scoring/domain/ranking.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"
#include "pmo/base/validation.h"

namespace pmo::scoring::domain {
namespace {

double Quantised(double v) { return std::nearbyint(v / kScoreTieResolution); }

}  // namespace

absl::StatusOr<std::vector<RankedEntry>> Rank(const std::vector<RankInput>& inputs) {
  Violations violations;
  std::set<std::string_view> ids;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const RankInput& in = inputs[i];
    const std::string at = absl::StrCat("inputs[", i, "]");
    if (in.id.empty()) {
      violations.Add(at + ".id", "must not be empty");
    } else if (!ids.insert(in.id).second) {
      violations.Add(at + ".id", absl::StrCat("duplicate id \"", in.id, "\""));
    }
    CheckFinite(in.score, at + ".score", violations);
    CheckFinite(in.value_subtotal, at + ".value_subtotal", violations);
  }
  if (!violations.empty()) return violations.ToStatus("invalid ranking input");

  struct Keyed {
    double score, value;
    const RankInput* in;
  };
  std::vector<Keyed> keyed;
  keyed.reserve(inputs.size());
  for (const RankInput& in : inputs) keyed.push_back({Quantised(in.score), Quantised(in.value_subtotal), &in});
  std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    // Negated keys turn "higher first" into tuple's ascending comparison.
    return std::forward_as_tuple(-a.score, -a.value, a.in->submitted_at_unix_ms, a.in->id) <
           std::forward_as_tuple(-b.score, -b.value, b.in->submitted_at_unix_ms, b.in->id);
  });
  std::vector<RankedEntry> out;
  out.reserve(keyed.size());
  for (size_t i = 0; i < keyed.size(); ++i) {
    const RankInput& in = *keyed[i].in;
    out.push_back({static_cast<int>(i + 1), in.id, in.score, in.value_subtotal, in.submitted_at_unix_ms});
  }
  return out;
}

std::vector<RankMove> DiffRankings(const std::vector<RankedEntry>& before, const std::vector<RankedEntry>& after) {
  std::map<std::string_view, int> old_rank;
  for (const RankedEntry& e : before) old_rank[e.id] = e.rank;
  std::vector<RankMove> moves;
  std::set<std::string_view> still_ranked;
  std::vector<const RankedEntry*> sorted_after;
  for (const RankedEntry& e : after) sorted_after.push_back(&e);
  std::sort(sorted_after.begin(), sorted_after.end(),
            [](const RankedEntry* a, const RankedEntry* b) { return a->rank < b->rank; });
  for (const RankedEntry* e : sorted_after) {
    still_ranked.insert(e->id);
    auto it = old_rank.find(e->id);
    const int was = it == old_rank.end() ? kNotRanked : it->second;
    if (was != e->rank) moves.push_back({e->id, was, e->rank});
  }
  std::vector<const RankedEntry*> left;
  for (const RankedEntry& e : before) {
    if (!still_ranked.contains(e.id)) left.push_back(&e);
  }
  std::sort(left.begin(), left.end(), [](const RankedEntry* a, const RankedEntry* b) { return a->rank < b->rank; });
  for (const RankedEntry* e : left) moves.push_back({e->id, e->rank, kNotRanked});
  return moves;
}

}  // namespace pmo::scoring::domain
