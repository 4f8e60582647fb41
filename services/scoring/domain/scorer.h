// Scores an initiative with a validated scoring model and explains the score criterion
// by criterion: normalisation, weighted sum, WSJF and the missing-rating policy.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/scoring/domain/model.h"

namespace pmo::scoring::domain {

// Scores lie in [0, kMaxScore] for both model types.
inline constexpr double kMaxScore = 100;

// In WSJF, a job-size criterion maps its normalised rating n onto a relative size
// 1 + (kWsjfSizeSpread - 1) * (1 - n): the best (smallest) job has size 1, the worst
// kWsjfSizeSpread. A floor of 1 keeps the division defined, and a spread of 10 mirrors
// the range of SAFe's relative sizing without letting tiny jobs dominate the ranking.
inline constexpr double kWsjfSizeSpread = 10;

// Maps a rating onto [0, 1], where 1 is the best end of the scale: (r - min) / (max -
// min) for higher-is-better, (max - r) / (max - min) for lower-is-better. Ratings
// outside the scale are clamped. Expects a valid scale (min < max, both finite).
double Normalise(double rating, const Scale& scale, Direction direction);

// The scale value with normalised 0: what a missing rating counts as.
double WorstRating(const Scale& scale, Direction direction);

// Ratings typed in by people (intake's business case), keyed by criterion key.
using Ratings = std::map<std::string, double, std::less<>>;

struct CriterionScore {
  std::string key;
  Category category = Category::kValue;
  double rating = 0;      // as given, or the worst scale value when missing
  double normalised = 0;  // Normalise(rating): 0 worst .. 1 best
  // The weight as used: normalised to sum 1 over the model (weighted sum) or over the
  // criterion's WSJF group (cost of delay or job size).
  double weight = 0;
  double contribution = 0;  // points of the score this criterion accounts for
  bool missing = false;     // no rating was given (or no alignment is known yet)
  bool computed = false;    // the rating was computed (ALIGNMENT), not typed in
};

// The contributions add up to `score` (it is computed as their sum), and `subtotals`
// add them up per category.
struct ScoreExplanation {
  ModelType model_type = ModelType::kWeightedSum;
  int64_t model_version = 0;
  double score = 0;
  std::vector<CriterionScore> criteria;  // in model order
  std::array<double, kCategoryCount> subtotals{};
  // WSJF only: cost of delay in [0, 1] and relative job size in [1, kWsjfSizeSpread].
  double cost_of_delay = 0;
  double job_size = 0;

  double Subtotal(Category category) const { return subtotals[static_cast<size_t>(category)]; }
  bool AnyMissing() const;
};

// Formulas, with n the normalised rating and w the weight as used:
//
// WEIGHTED_SUM: score = 100 * sum(w_c * n_c); contribution_c = 100 * w_c * n_c.
//
// WSJF: CoD = sum over cost-of-delay criteria of w_c * n_c (in [0, 1]);
//       JobSize = sum over job-size criteria of w_c * size_c, size_c = 1 + 9 * (1 - n_c);
//       score = 100 * CoD / JobSize.
//   The explanation splits that score additively: a cost-of-delay criterion contributes
//   100 * w_c * n_c (what it would earn on the smallest job), and a job-size criterion
//   contributes -100 * CoD * w_c * (size_c - 1) / JobSize (the share of the penalty for
//   size it causes). These add up exactly to 100 * CoD / JobSize.
//
// Missing ratings: a criterion without a rating counts as the worst value of its scale
// (normalised 0, so the largest size in WSJF) and is flagged `missing`. An initiative
// cannot climb the ranking by leaving out an unfavourable rating.
//
// ALIGNMENT criteria are never typed in: their rating is the computed alignment a in
// [0, 1] placed on the criterion's scale (min + a * (max - min)); a typed rating for
// such a key is ignored. No alignment known yet (nullopt) counts as missing.
class Scorer {
 public:
  // Validates the model (ValidateModel) and precomputes the normalised weights.
  static absl::StatusOr<Scorer> Create(ScoringModel model);

  const ScoringModel& model() const { return model_; }

  // INVALID_ARGUMENT (every violation listed) for a non-finite rating or an alignment
  // outside [0, 1]. Ratings for keys the model does not have are ignored, so ratings
  // kept from an earlier model version do not make scoring fail.
  absl::StatusOr<ScoreExplanation> Score(const Ratings& ratings, std::optional<double> alignment) const;

 private:
  explicit Scorer(ScoringModel model, std::vector<double> weights)
      : model_(std::move(model)), weights_(std::move(weights)) {}

  ScoringModel model_;
  std::vector<double> weights_;  // per criterion, normalised as documented above
};

}  // namespace pmo::scoring::domain
