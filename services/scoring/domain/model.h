// The scoring model: weighted criteria with a category, a direction and a scale, used
// either as a weighted sum or as WSJF. Validation reports every problem at once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace pmo::scoring::domain {

enum class Category { kValue, kRisk, kCost, kUrgency, kAlignment };
inline constexpr size_t kCategoryCount = 5;
inline constexpr std::array<Category, kCategoryCount> kAllCategories = {
    Category::kValue, Category::kRisk, Category::kCost, Category::kUrgency, Category::kAlignment};

enum class Direction { kHigherIsBetter, kLowerIsBetter };

enum class ModelType { kWeightedSum, kWsjf };

// "VALUE", "HIGHER_IS_BETTER", "WSJF": the names used in protos, events and messages.
std::string_view CategoryName(Category category);
std::string_view DirectionName(Direction direction);
std::string_view ModelTypeName(ModelType type);
std::optional<Category> ParseCategory(std::string_view name);
std::optional<Direction> ParseDirection(std::string_view name);
std::optional<ModelType> ParseModelType(std::string_view name);

// The range a rating is given on, e.g. 1..5 or 0..1,000,000 (money). Ratings outside
// it are clamped when normalised, so a scale is a statement of what "best" and "worst"
// mean, not an input check.
struct Scale {
  double min = 0;
  double max = 10;
  bool operator==(const Scale&) const = default;
};

struct Criterion {
  std::string key;   // stable identifier ratings refer to, e.g. "market_size"
  std::string name;  // shown to people
  Category category = Category::kValue;
  // Relative importance. Weights need not sum to 1: the scorer normalises them (within
  // each WSJF group for WSJF models), so "3, 1" means "75 %, 25 %".
  double weight = 1;
  Direction direction = Direction::kHigherIsBetter;
  Scale scale;
  bool operator==(const Criterion&) const = default;
};

// WSJF (Weighted Shortest Job First, as in SAFe) splits the criteria in two groups:
//   cost of delay = VALUE (user/business value) + URGENCY (time criticality)
//                   + RISK (risk reduction / opportunity enablement)
//                   + ALIGNMENT (strategic value, SAFe counts it as business value);
//   job size      = COST.
// A WSJF model therefore needs at least one positively weighted criterion in each group.
bool IsCostOfDelay(Category category);
bool IsJobSize(Category category);

struct ScoringModel {
  ModelType type = ModelType::kWeightedSum;
  // Incremented by the service on every change; scores carry the version they used.
  int64_t version = 0;
  std::vector<Criterion> criteria;
  bool operator==(const ScoringModel&) const = default;
};

// OK, or INVALID_ARGUMENT listing every violation (pmo::ViolationsOf), with field paths
// "criteria[2].weight", "criteria[0].scale", "criteria" (model-wide rules). Checks:
// at least one criterion; non-empty, unique keys; non-empty names; known enum values;
// finite, non-negative weights summing to a positive number; finite scales with
// min < max; ALIGNMENT criteria higher-is-better (alignment is computed as "more is
// better"); for WSJF, both groups present with positive weight; a non-negative version.
absl::Status ValidateModel(const ScoringModel& model);

}  // namespace pmo::scoring::domain
