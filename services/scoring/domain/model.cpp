#include "services/scoring/domain/model.h"

#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"

namespace pmo::scoring::domain {

std::string_view CategoryName(Category category) {
  switch (category) {
    case Category::kValue: return "VALUE";
    case Category::kRisk: return "RISK";
    case Category::kCost: return "COST";
    case Category::kUrgency: return "URGENCY";
    case Category::kAlignment: return "ALIGNMENT";
  }
  return "UNKNOWN";
}

std::string_view DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kHigherIsBetter: return "HIGHER_IS_BETTER";
    case Direction::kLowerIsBetter: return "LOWER_IS_BETTER";
  }
  return "UNKNOWN";
}

std::string_view ModelTypeName(ModelType type) {
  switch (type) {
    case ModelType::kWeightedSum: return "WEIGHTED_SUM";
    case ModelType::kWsjf: return "WSJF";
  }
  return "UNKNOWN";
}

std::optional<Category> ParseCategory(std::string_view name) {
  for (Category c : kAllCategories) {
    if (CategoryName(c) == name) return c;
  }
  return std::nullopt;
}

std::optional<Direction> ParseDirection(std::string_view name) {
  for (Direction d : {Direction::kHigherIsBetter, Direction::kLowerIsBetter}) {
    if (DirectionName(d) == name) return d;
  }
  return std::nullopt;
}

std::optional<ModelType> ParseModelType(std::string_view name) {
  for (ModelType t : {ModelType::kWeightedSum, ModelType::kWsjf}) {
    if (ModelTypeName(t) == name) return t;
  }
  return std::nullopt;
}

bool IsCostOfDelay(Category category) {
  return category == Category::kValue || category == Category::kUrgency || category == Category::kRisk ||
         category == Category::kAlignment;
}

bool IsJobSize(Category category) { return category == Category::kCost; }

absl::Status ValidateModel(const ScoringModel& model) {
  Violations violations;
  if (ModelTypeName(model.type) == "UNKNOWN") violations.Add("type", "unknown model type");
  if (model.version < 0) violations.Add("version", "must not be negative");
  if (model.criteria.empty()) {
    violations.Add("criteria", "a scoring model needs at least one criterion");
    return violations.ToStatus("invalid scoring model");
  }

  std::map<std::string, size_t, std::less<>> first_index;
  double weight_sum = 0;
  double cost_of_delay_weight = 0;
  double job_size_weight = 0;
  for (size_t i = 0; i < model.criteria.size(); ++i) {
    const Criterion& c = model.criteria[i];
    const std::string at = absl::StrCat("criteria[", i, "]");
    if (c.key.empty()) {
      violations.Add(at + ".key", "must not be empty");
    } else if (auto [it, inserted] = first_index.emplace(c.key, i); !inserted) {
      violations.Add(at + ".key", absl::StrCat("duplicate key \"", c.key, "\" (also criteria[", it->second, "])"));
    }
    if (c.name.empty()) violations.Add(at + ".name", "must not be empty");
    const bool known_category = CategoryName(c.category) != "UNKNOWN";
    if (!known_category) violations.Add(at + ".category", "unknown category");
    if (DirectionName(c.direction) == "UNKNOWN") violations.Add(at + ".direction", "unknown direction");
    if (!std::isfinite(c.weight)) {
      violations.Add(at + ".weight", "must be a finite number");
    } else if (c.weight < 0) {
      violations.Add(at + ".weight", absl::StrCat("must not be negative (got ", c.weight, ")"));
    } else {
      weight_sum += c.weight;
      if (known_category && IsCostOfDelay(c.category)) cost_of_delay_weight += c.weight;
      if (known_category && IsJobSize(c.category)) job_size_weight += c.weight;
    }
    if (!std::isfinite(c.scale.min) || !std::isfinite(c.scale.max)) {
      violations.Add(at + ".scale", "min and max must be finite numbers");
    } else if (c.scale.min >= c.scale.max) {
      violations.Add(at + ".scale",
                     absl::StrCat("min must be below max (got min ", c.scale.min, ", max ", c.scale.max, ")"));
    }
    if (c.category == Category::kAlignment && c.direction != Direction::kHigherIsBetter) {
      violations.Add(at + ".direction",
                     "an ALIGNMENT criterion must be HIGHER_IS_BETTER: alignment is computed from key results, "
                     "more is better");
    }
  }
  if (!(weight_sum > 0)) violations.Add("criteria", "weights must sum to a positive number");
  if (model.type == ModelType::kWsjf) {
    if (!(cost_of_delay_weight > 0)) {
      violations.Add("criteria",
                     "a WSJF model needs a cost-of-delay criterion (VALUE, URGENCY, RISK or ALIGNMENT) with "
                     "positive weight");
    }
    if (!(job_size_weight > 0)) {
      violations.Add("criteria", "a WSJF model needs a job-size criterion (COST) with positive weight");
    }
  }
  return violations.ToStatus("invalid scoring model");
}

}  // namespace pmo::scoring::domain
