#include "services/scoring/domain/scorer.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"
#include "pmo/base/validation.h"

namespace pmo::scoring::domain {

double Normalise(double rating, const Scale& scale, Direction direction) {
  double n = (rating - scale.min) / (scale.max - scale.min);
  n = std::clamp(n, 0.0, 1.0);
  return direction == Direction::kHigherIsBetter ? n : 1.0 - n;
}

double WorstRating(const Scale& scale, Direction direction) {
  return direction == Direction::kHigherIsBetter ? scale.min : scale.max;
}

bool ScoreExplanation::AnyMissing() const {
  return std::any_of(criteria.begin(), criteria.end(), [](const CriterionScore& c) { return c.missing; });
}

absl::StatusOr<Scorer> Scorer::Create(ScoringModel model) {
  if (absl::Status status = ValidateModel(model); !status.ok()) return status;
  // Normalisation groups: the whole model for a weighted sum; cost of delay and job
  // size separately for WSJF, so each group's weights sum to 1.
  auto group_of = [&](Category c) {
    if (model.type == ModelType::kWeightedSum) return 0;
    return IsJobSize(c) ? 1 : 0;
  };
  std::array<double, 2> group_sum{};
  for (const Criterion& c : model.criteria) group_sum[group_of(c.category)] += c.weight;
  std::vector<double> weights;
  weights.reserve(model.criteria.size());
  for (const Criterion& c : model.criteria) weights.push_back(c.weight / group_sum[group_of(c.category)]);
  return Scorer(std::move(model), std::move(weights));
}

absl::StatusOr<ScoreExplanation> Scorer::Score(const Ratings& ratings, std::optional<double> alignment) const {
  Violations violations;
  if (alignment && !(*alignment >= 0 && *alignment <= 1)) {
    violations.Add("alignment", absl::StrCat("must lie in [0, 1] (got ", *alignment, ")"));
  }
  for (const Criterion& c : model_.criteria) {
    if (c.category == Category::kAlignment) continue;
    auto it = ratings.find(c.key);
    if (it != ratings.end()) CheckFinite(it->second, absl::StrCat("ratings[", c.key, "]"), violations);
  }
  if (!violations.empty()) return violations.ToStatus("invalid ratings");

  ScoreExplanation out;
  out.model_type = model_.type;
  out.model_version = model_.version;
  out.criteria.reserve(model_.criteria.size());
  for (size_t i = 0; i < model_.criteria.size(); ++i) {
    const Criterion& c = model_.criteria[i];
    CriterionScore cs;
    cs.key = c.key;
    cs.category = c.category;
    cs.weight = weights_[i];
    if (c.category == Category::kAlignment) {
      cs.computed = true;
      if (alignment) {
        cs.rating = c.scale.min + *alignment * (c.scale.max - c.scale.min);
        cs.normalised = *alignment;  // exact, rather than a round trip through the scale
      } else {
        cs.missing = true;
      }
    } else if (auto it = ratings.find(c.key); it != ratings.end()) {
      cs.rating = it->second;
      cs.normalised = Normalise(cs.rating, c.scale, c.direction);
    } else {
      cs.missing = true;
    }
    if (cs.missing) {
      cs.rating = WorstRating(c.scale, c.direction);
      cs.normalised = 0;
    }
    out.criteria.push_back(std::move(cs));
  }

  if (model_.type == ModelType::kWeightedSum) {
    for (CriterionScore& cs : out.criteria) cs.contribution = kMaxScore * cs.weight * cs.normalised;
  } else {
    double cost_of_delay = 0;
    double job_size = 0;
    for (const CriterionScore& cs : out.criteria) {
      if (IsJobSize(cs.category)) {
        job_size += cs.weight * (1 + (kWsjfSizeSpread - 1) * (1 - cs.normalised));
      } else {
        cost_of_delay += cs.weight * cs.normalised;
      }
    }
    out.cost_of_delay = cost_of_delay;
    out.job_size = job_size;
    for (CriterionScore& cs : out.criteria) {
      if (IsJobSize(cs.category)) {
        const double size = 1 + (kWsjfSizeSpread - 1) * (1 - cs.normalised);
        cs.contribution = -kMaxScore * cost_of_delay * cs.weight * (size - 1) / job_size;
      } else {
        cs.contribution = kMaxScore * cs.weight * cs.normalised;
      }
    }
  }
  // The score is the sum of the contributions, so the explanation adds up by
  // construction; in exact arithmetic it equals the formulas above.
  for (const CriterionScore& cs : out.criteria) {
    out.score += cs.contribution;
    out.subtotals[static_cast<size_t>(cs.category)] += cs.contribution;
  }
  // Rounding can leave the sum a hair outside [0, 100]; clamp only those hairs.
  if (out.score < 0 && out.score > -1e-9) out.score = 0;
  return out;
}

}  // namespace pmo::scoring::domain
