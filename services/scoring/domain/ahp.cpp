#include "services/scoring/domain/ahp.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"

namespace pmo::scoring::domain {
namespace {

constexpr std::array<double, kMaxAhpCriteria> kRandomIndex = {0.00, 0.00, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41,
                                                              1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59};
// Judged values are often typed as rounded decimals (0.33 for 1/3, 0.14 for 1/7), so
// reciprocity and the scale bounds allow this relative slack; a real contradiction
// (3 one way, 3 the other) is off by a factor of 9.
constexpr double kJudgementTolerance = 0.05;
// How many pairs a refusal names: enough to act on, few enough to read.
constexpr size_t kPairsNamedInRefusal = 3;
constexpr int kMaxIterations = 10000;
constexpr double kConvergence = 1e-15;

// Three significant digits are what a person compares judgements by.
double ForMessage(double v) {
  if (v == 0 || !std::isfinite(v)) return v;
  const double scale = std::pow(10.0, 2 - std::floor(std::log10(std::abs(v))));
  return std::round(v * scale) / scale;
}

}  // namespace

double RandomIndex(int n) { return kRandomIndex[static_cast<size_t>(n - 1)]; }

absl::StatusOr<AhpResult> AnalysePairwise(const std::vector<std::string>& keys,
                                          const std::vector<PairwiseJudgement>& judgements) {
  Violations violations;
  std::map<std::string, size_t, std::less<>> index;
  if (keys.empty()) violations.Add("keys", "at least one criterion is needed");
  if (keys.size() > static_cast<size_t>(kMaxAhpCriteria)) {
    violations.Add("keys", absl::StrCat("at most ", kMaxAhpCriteria, " criteria can be compared (got ", keys.size(),
                                        "); group them and compare the groups"));
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].empty()) {
      violations.Add(absl::StrCat("keys[", i, "]"), "must not be empty");
    } else if (!index.emplace(keys[i], i).second) {
      violations.Add(absl::StrCat("keys[", i, "]"), absl::StrCat("duplicate key \"", keys[i], "\""));
    }
  }
  if (!violations.empty()) return violations.ToStatus("invalid pairwise comparison");

  const size_t n = keys.size();
  // 0 marks "not judged yet"; the diagonal is 1 by definition.
  std::vector<std::vector<double>> a(n, std::vector<double>(n, 0.0));
  std::vector<std::vector<size_t>> judged_at(n, std::vector<size_t>(n, 0));
  for (size_t i = 0; i < n; ++i) a[i][i] = 1;
  for (size_t k = 0; k < judgements.size(); ++k) {
    const PairwiseJudgement& j = judgements[k];
    const std::string at = absl::StrCat("judgements[", k, "]");
    auto ia = index.find(j.a);
    auto ib = index.find(j.b);
    if (ia == index.end()) violations.Add(at + ".a", absl::StrCat("unknown criterion \"", j.a, "\""));
    if (ib == index.end()) violations.Add(at + ".b", absl::StrCat("unknown criterion \"", j.b, "\""));
    if (!std::isfinite(j.value) || j.value < kMinJudgement * (1 - kJudgementTolerance) ||
        j.value > kMaxJudgement * (1 + kJudgementTolerance)) {
      violations.Add(at + ".value", absl::StrCat("must lie on Saaty's scale, 1/9 to 9 (got ", j.value, ")"));
      continue;
    }
    if (ia == index.end() || ib == index.end()) continue;
    const size_t r = ia->second;
    const size_t c = ib->second;
    if (r == c) {
      if (std::abs(j.value - 1) > kJudgementTolerance) {
        violations.Add(at + ".value", "a criterion compared with itself must be 1");
      }
      continue;
    }
    if (a[r][c] != 0) {
      if (std::abs(a[r][c] / j.value - 1) > kJudgementTolerance) {
        violations.Add(at, absl::StrCat("contradicts judgements[", judged_at[r][c], "]: ", j.a, " vs ", j.b,
                                        " was judged ", a[r][c], " (the reverse of a judgement is its reciprocal)"));
      }
      continue;
    }
    a[r][c] = j.value;
    a[c][r] = 1 / j.value;
    judged_at[r][c] = judged_at[c][r] = k;
  }
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = r + 1; c < n; ++c) {
      if (a[r][c] == 0) violations.Add("judgements", absl::StrCat("missing comparison of ", keys[r], " and ", keys[c]));
    }
  }
  if (!violations.empty()) return violations.ToStatus("invalid pairwise comparison");

  // Power iteration: a positive matrix has a simple dominant eigenvalue with a
  // positive eigenvector (Perron), so w <- A w / |A w| converges from any positive start.
  std::vector<double> w(n, 1.0 / static_cast<double>(n));
  std::vector<double> next(n);
  double lambda = static_cast<double>(n);
  for (int iteration = 0; iteration < kMaxIterations; ++iteration) {
    double sum = 0;
    for (size_t r = 0; r < n; ++r) {
      next[r] = 0;
      for (size_t c = 0; c < n; ++c) next[r] += a[r][c] * w[c];
      sum += next[r];
    }
    // With sum(w) = 1, sum(A w) is the Rayleigh-style estimate of lambda_max.
    lambda = sum;
    double change = 0;
    for (size_t r = 0; r < n; ++r) {
      next[r] /= sum;
      change = std::max(change, std::abs(next[r] - w[r]));
    }
    w.swap(next);
    if (change < kConvergence) break;
  }

  AhpResult out;
  out.keys = keys;
  out.weights = w;
  out.lambda_max = lambda;
  out.random_index = RandomIndex(static_cast<int>(n));
  if (n > 2) {
    // lambda_max >= n in exact arithmetic; rounding can undershoot a consistent matrix.
    out.consistency_index = std::max(0.0, (lambda - static_cast<double>(n)) / static_cast<double>(n - 1));
    out.consistency_ratio = out.consistency_index / out.random_index;
  }
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = r + 1; c < n; ++c) {
      const double implied = w[r] / w[c];
      out.judgement_errors.push_back({keys[r], keys[c], a[r][c], implied, std::abs(std::log(a[r][c] / implied))});
    }
  }
  std::stable_sort(out.judgement_errors.begin(), out.judgement_errors.end(),
                   [](const JudgementError& x, const JudgementError& y) { return x.error > y.error; });
  return out;
}

absl::StatusOr<AhpResult> DeriveWeights(const std::vector<std::string>& keys,
                                        const std::vector<PairwiseJudgement>& judgements) {
  absl::StatusOr<AhpResult> result = AnalysePairwise(keys, judgements);
  if (!result.ok()) return result.status();
  if (result->consistency_ratio <= kMaxConsistencyRatio) return result;
  std::string message =
      absl::StrCat("judgements are too inconsistent: consistency ratio ", ForMessage(result->consistency_ratio),
                   " exceeds ", kMaxConsistencyRatio, "; revisit the most inconsistent pairs:");
  const size_t named = std::min(kPairsNamedInRefusal, result->judgement_errors.size());
  for (size_t i = 0; i < named; ++i) {
    const JudgementError& e = result->judgement_errors[i];
    absl::StrAppend(&message, i == 0 ? " " : "; ", e.a, " vs ", e.b, " (judged ", ForMessage(e.given),
                    ", the weights imply ", ForMessage(e.implied), ")");
  }
  return absl::FailedPreconditionError(message);
}

}  // namespace pmo::scoring::domain
