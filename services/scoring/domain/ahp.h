// Criterion weights from pairwise comparisons (Saaty's Analytic Hierarchy Process):
// principal eigenvector, consistency ratio, and the judgements that break consistency.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace pmo::scoring::domain {

// "a is `value` times as important as b" on Saaty's 1-9 scale: 1 equal, 3 moderate,
// 5 strong, 7 very strong, 9 extreme (even numbers in between); 1/3 means b is
// moderately more important. Values between 1/9 and 9 are accepted, with 5 % slack for
// rounded decimals (0.11 for 1/9); the reverse judgement may be given too if it agrees.
struct PairwiseJudgement {
  std::string a;
  std::string b;
  double value = 1;
};

inline constexpr double kMinJudgement = 1.0 / 9.0;
inline constexpr double kMaxJudgement = 9.0;
// Saaty's threshold: above it the judgements are too contradictory to derive weights.
inline constexpr double kMaxConsistencyRatio = 0.1;
// The random index table covers matrices up to this size.
inline constexpr int kMaxAhpCriteria = 15;

// Saaty's random index RI(n), the mean consistency index of random reciprocal matrices
// of size n (Saaty 1980): 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51,
// 1.48, 1.56, 1.57, 1.59 for n = 1..15. Requires 1 <= n <= kMaxAhpCriteria.
double RandomIndex(int n);

struct JudgementError {
  std::string a;
  std::string b;
  double given = 1;    // a_ab as judged
  double implied = 1;  // w_a / w_b, what the derived weights say
  double error = 0;    // |ln(a_ab * w_b / w_a)|: 0 for a judgement the weights agree with
};

struct AhpResult {
  std::vector<std::string> keys;  // as given
  std::vector<double> weights;    // per key, positive, summing to 1
  double lambda_max = 0;          // principal eigenvalue (>= n)
  double consistency_index = 0;   // CI = (lambda_max - n) / (n - 1); 0 for n <= 2
  double random_index = 0;        // RI(n)
  double consistency_ratio = 0;   // CR = CI / RI; 0 for n <= 2 (always consistent)
  // Every pair a < b (in key order), most inconsistent first.
  std::vector<JudgementError> judgement_errors;
};

// Builds the reciprocal matrix from the judgements (a_ba = 1 / a_ab) and computes the
// principal eigenvector by power iteration. INVALID_ARGUMENT, with every violation,
// when: keys are empty, repeated or more than kMaxAhpCriteria; a judgement names an
// unknown key; a value is not finite or outside [1/9, 9]; a criterion is compared with
// itself with a value other than 1; the same pair is judged twice in a way that is not
// reciprocal (a,b,v and b,a,1/v agree); or any pair is not judged at all. Does not
// refuse inconsistent judgements: the result carries the ratio for the caller to show.
absl::StatusOr<AhpResult> AnalysePairwise(const std::vector<std::string>& keys,
                                          const std::vector<PairwiseJudgement>& judgements);

// AnalysePairwise, refusing a consistency ratio above kMaxConsistencyRatio with
// FAILED_PRECONDITION: the message gives the ratio and names the most inconsistent
// pairs (largest |ln(a_ij * w_j / w_i)|) with the value given and the value the
// weights imply, so the person knows which judgements to revisit.
absl::StatusOr<AhpResult> DeriveWeights(const std::vector<std::string>& keys,
                                        const std::vector<PairwiseJudgement>& judgements);

}  // namespace pmo::scoring::domain
