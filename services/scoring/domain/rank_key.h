// The ranking as bytes: a sort key whose ascending byte order is the domain's ranking
// order, so a sorted set re-ranks one initiative without touching the others.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "services/scoring/domain/ranking.h"

namespace pmo::scoring::domain {

// Ascending byte order equals Rank()'s order (score desc, VALUE subtotal desc,
// submitted earlier, id): fixed-width, non-negative numbers, then the id.
std::string RankKey(const RankInput& input);

// The initiative id a RankKey ends with.
std::string_view IdOfRankKey(std::string_view key);

// The rank (1..n) an initiative takes when its key becomes `new_key` in a ranking where
// `keys_before_new` keys sort below `new_key`, counted while its previous key `old_key`
// ("" when it was not ranked) is still in place: that entry leaves, and if it sorted
// below the new key everyone in between moves up one.
int RankAfterMove(int64_t keys_before_new, std::string_view old_key, std::string_view new_key);

// The rank of an entry with `keys_before` keys below it.
inline int RankAt(int64_t keys_before) { return static_cast<int>(keys_before) + 1; }

}  // namespace pmo::scoring::domain
