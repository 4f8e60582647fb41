// The scenario solver against exhaustive enumeration on random small instances: the
// same optimum, every constraint respected by the returned set, and infeasible
// instances reported as such by both the solver and the greedy baseline.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <set>

#include "services/scoring/domain/scenario.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pmo::scoring::domain {
namespace {

constexpr int kInstances = 500;
constexpr size_t kMaxCandidates = 16;

// How often each constraint kind (and outcome) appeared, so the test proves it
// exercised all of them rather than assuming the generator did.
struct Coverage {
  int budget = 0, capacity = 0, wip = 0, mandatory = 0, excluded = 0, dependency = 0, exclusive = 0;
  int infeasible = 0, greedy_suboptimal = 0, objective_kinds[3] = {0, 0, 0};
};

// The instance in plain arrays, built straight from the Scenario without the code under
// test, so the checks below are independent of it.
struct Plain {
  size_t n = 0;
  std::vector<std::string> ids;
  std::vector<double> value;
  std::vector<std::string> row_names;
  std::vector<double> limit;
  std::vector<std::vector<double>> use;  // [row][candidate]
  std::vector<bool> mandatory, excluded;
  std::vector<std::pair<size_t, size_t>> needs;  // (dependent, prerequisite)
  std::vector<std::vector<size_t>> groups;
};

Plain ToPlain(const Scenario& s) {
  Plain p;
  p.n = s.candidates.size();
  std::map<std::string, size_t> at;
  for (size_t i = 0; i < p.n; ++i) {
    const Candidate& c = s.candidates[i];
    at[c.id] = i;
    p.ids.push_back(c.id);
    switch (s.objective) {
      case ObjectiveKind::kTotalScore: p.value.push_back(c.score); break;
      case ObjectiveKind::kExpectedBenefit: p.value.push_back(c.expected_benefit); break;
      case ObjectiveKind::kRiskAdjustedValue:
        p.value.push_back(c.expected_benefit - c.expected_benefit * c.risk_probability * c.risk_impact);
        break;
    }
  }
  for (const auto& [q, limit] : s.constraints.budget_per_quarter) {
    p.row_names.push_back("budget " + q);
    p.limit.push_back(limit);
    std::vector<double> row(p.n, 0.0);
    for (size_t i = 0; i < p.n; ++i) {
      auto it = s.candidates[i].cost_per_quarter.find(q);
      if (it != s.candidates[i].cost_per_quarter.end()) row[i] = it->second;
    }
    p.use.push_back(row);
  }
  for (const auto& [skill, per_quarter] : s.constraints.capacity_hours) {
    for (const auto& [q, limit] : per_quarter) {
      p.row_names.push_back("capacity " + skill + " " + q);
      p.limit.push_back(limit);
      std::vector<double> row(p.n, 0.0);
      for (size_t i = 0; i < p.n; ++i) {
        auto sk = s.candidates[i].effort_hours.find(skill);
        if (sk == s.candidates[i].effort_hours.end()) continue;
        auto it = sk->second.find(q);
        if (it != sk->second.end()) row[i] = it->second;
      }
      p.use.push_back(row);
    }
  }
  if (s.constraints.wip_limit) {
    p.row_names.push_back("wip");
    p.limit.push_back(static_cast<double>(*s.constraints.wip_limit));
    std::vector<double> row(p.n, 0.0);
    for (size_t i = 0; i < p.n; ++i) row[i] = s.candidates[i].counts_toward_wip ? 1 : 0;
    p.use.push_back(row);
  }
  p.mandatory.assign(p.n, false);
  p.excluded.assign(p.n, false);
  for (const std::string& id : s.constraints.mandatory) p.mandatory[at[id]] = true;
  for (const std::string& id : s.constraints.excluded) p.excluded[at[id]] = true;
  for (const Dependency& d : s.constraints.dependencies) p.needs.emplace_back(at[d.dependent], at[d.prerequisite]);
  for (const ExclusiveGroup& g : s.constraints.exclusive_groups) {
    std::vector<size_t> members;
    for (const std::string& id : g.ids) members.push_back(at[id]);
    p.groups.push_back(members);
  }
  return p;
}

// Empty when `x` satisfies every constraint; otherwise what it breaks. Data are whole
// numbers, so sums are exact.
std::string Broken(const Plain& p, const std::vector<bool>& x) {
  for (size_t r = 0; r < p.limit.size(); ++r) {
    double use = 0;
    for (size_t i = 0; i < p.n; ++i) use += x[i] ? p.use[r][i] : 0;
    if (use > p.limit[r]) return p.row_names[r];
  }
  for (size_t i = 0; i < p.n; ++i) {
    if (p.mandatory[i] && !x[i]) return "mandatory " + p.ids[i];
    if (p.excluded[i] && x[i]) return "excluded " + p.ids[i];
  }
  for (auto [b, a] : p.needs) {
    if (x[b] && !x[a]) return "dependency " + p.ids[b] + " -> " + p.ids[a];
  }
  for (const auto& g : p.groups) {
    int count = 0;
    for (size_t m : g) count += x[m] ? 1 : 0;
    if (count > 1) return "exclusive group";
  }
  return "";
}

double ValueOf(const Plain& p, const std::vector<bool>& x) {
  double v = 0;
  for (size_t i = 0; i < p.n; ++i) v += x[i] ? p.value[i] : 0;
  return v;
}

std::vector<bool> Indicator(const Plain& p, const std::vector<std::string>& ids) {
  std::vector<bool> x(p.n, false);
  for (const std::string& id : ids) {
    for (size_t i = 0; i < p.n; ++i) {
      if (p.ids[i] == id) x[i] = true;
    }
  }
  return x;
}

// Exhaustive search over all 2^n subsets, pruning a branch once a limit is exceeded
// (uses are non-negative, so adding more can only make it worse).
struct BruteForce {
  const Plain& p;
  std::vector<bool> x;
  std::vector<double> used;
  bool found = false;
  double best = 0;
  std::vector<bool> best_x;

  explicit BruteForce(const Plain& plain) : p(plain), x(plain.n, false), used(plain.limit.size(), 0.0) {
    Visit(0);
  }

  void Visit(size_t i) {
    if (i == p.n) {
      if (!Broken(p, x).empty()) return;
      const double v = ValueOf(p, x);
      if (!found || v > best) {
        found = true;
        best = v;
        best_x = x;
      }
      return;
    }
    if (!p.mandatory[i]) Visit(i + 1);
    if (p.excluded[i]) return;
    bool fits = true;
    for (size_t r = 0; r < used.size(); ++r) {
      used[r] += p.use[r][i];
      fits = fits && used[r] <= p.limit[r];
    }
    x[i] = true;
    if (fits) Visit(i + 1);
    x[i] = false;
    for (size_t r = 0; r < used.size(); ++r) used[r] -= p.use[r][i];
  }
};

Scenario Generate(std::mt19937_64& rng, int index, Coverage& coverage) {
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto fraction = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };

  Scenario s;
  // Every size appears; most instances are large enough to be interesting.
  const size_t n = index < 16 ? static_cast<size_t>(index + 1) : 6 + pick(kMaxCandidates - 5);
  const std::vector<std::string> quarters = {"2027Q1", "2027Q2", "2027Q3"};
  const std::vector<std::string> skills = {"dev", "data"};
  const size_t nq = 1 + pick(3);
  const size_t ns = pick(3);
  s.objective = static_cast<ObjectiveKind>(pick(3));
  coverage.objective_kinds[static_cast<int>(s.objective)]++;
  for (size_t i = 0; i < n; ++i) {
    Candidate c;
    char id[16];
    std::snprintf(id, sizeof id, "c%02zu", (i * 7) % 17);  // ids not in input order
    c.id = id;
    // Some scores repeat on purpose, so the greedy tie-break by id is exercised.
    c.score = chance(0.2) ? 20.0 * static_cast<double>(1 + pick(3)) : static_cast<double>(pick(100000)) / 1000;
    c.expected_benefit = static_cast<double>(pick(1001));
    c.risk_probability = static_cast<double>(pick(11)) / 10;
    c.risk_impact = static_cast<double>(pick(5)) / 4;
    for (size_t q = 0; q < nq; ++q) {
      if (chance(0.75)) c.cost_per_quarter[quarters[q]] = static_cast<double>(pick(41));
      for (size_t k = 0; k < ns; ++k) {
        if (chance(0.5)) c.effort_hours[skills[k]][quarters[q]] = static_cast<double>(pick(31));
      }
    }
    c.counts_toward_wip = chance(0.8);
    s.candidates.push_back(std::move(c));
  }
  auto total = [&](auto amount) {
    double t = 0;
    for (const Candidate& c : s.candidates) t += amount(c);
    return t;
  };
  for (size_t q = 0; q < nq; ++q) {
    if (!chance(0.8)) continue;
    const double all = total([&](const Candidate& c) {
      auto it = c.cost_per_quarter.find(quarters[q]);
      return it == c.cost_per_quarter.end() ? 0.0 : it->second;
    });
    s.constraints.budget_per_quarter[quarters[q]] = std::round(all * fraction(0.2, 0.8));
  }
  for (size_t k = 0; k < ns; ++k) {
    for (size_t q = 0; q < nq; ++q) {
      if (!chance(0.6)) continue;
      const double all = total([&](const Candidate& c) {
        auto sk = c.effort_hours.find(skills[k]);
        if (sk == c.effort_hours.end()) return 0.0;
        auto it = sk->second.find(quarters[q]);
        return it == sk->second.end() ? 0.0 : it->second;
      });
      s.constraints.capacity_hours[skills[k]][quarters[q]] = std::round(all * fraction(0.2, 0.9));
    }
  }
  if (chance(0.5)) s.constraints.wip_limit = static_cast<int64_t>(1 + pick(std::max<size_t>(1, n / 2)));
  auto random_id = [&] { return s.candidates[pick(n)].id; };
  // Occasionally a crowd of mandatory initiatives, which tends to break a limit.
  const size_t mandatory = chance(0.1) ? 3 + pick(4) : chance(0.3) ? 1 + pick(2) : 0;
  for (size_t k = 0; k < mandatory; ++k) s.constraints.mandatory.push_back(random_id());
  if (chance(0.3)) {
    for (size_t k = 0; k < 1 + pick(2); ++k) s.constraints.excluded.push_back(random_id());
  }
  if (n > 1 && chance(0.6)) {
    for (size_t k = 0; k < 1 + pick(4); ++k) {
      const size_t b = pick(n);
      const size_t a = (b + 1 + pick(n - 1)) % n;
      s.constraints.dependencies.push_back({s.candidates[b].id, s.candidates[a].id});
    }
  }
  if (n > 2 && chance(0.5)) {
    for (size_t g = 0; g < 1 + pick(2); ++g) {
      std::set<std::string> members;
      const size_t size = 2 + pick(2);
      while (members.size() < size) members.insert(random_id());
      s.constraints.exclusive_groups.push_back({"g" + std::to_string(g), {members.begin(), members.end()}});
    }
  }
  coverage.budget += !s.constraints.budget_per_quarter.empty();
  coverage.capacity += !s.constraints.capacity_hours.empty();
  coverage.wip += s.constraints.wip_limit.has_value();
  coverage.mandatory += !s.constraints.mandatory.empty();
  coverage.excluded += !s.constraints.excluded.empty();
  coverage.dependency += !s.constraints.dependencies.empty();
  coverage.exclusive += !s.constraints.exclusive_groups.empty();
  s.time_limit_ms = 20'000;
  return s;
}

TEST(ScenarioBruteForceTest, SolverMatchesExhaustiveSearchOnRandomInstances) {
  std::mt19937_64 rng(0x5C0121);
  Coverage coverage;
  const auto started = std::chrono::steady_clock::now();
  for (int index = 0; index < kInstances; ++index) {
    const Scenario scenario = Generate(rng, index, coverage);
    SCOPED_TRACE("instance " + std::to_string(index) + " with " + std::to_string(scenario.candidates.size()) +
                 " candidates");
    const Plain plain = ToPlain(scenario);
    const BruteForce brute(plain);

    auto result = RunScenario(scenario);
    ASSERT_TRUE(result.ok()) << result.status();
    auto greedy = GreedySelect(scenario);

    if (!brute.found) {
      ++coverage.infeasible;
      EXPECT_EQ(result->status, SolveStatus::kInfeasible);
      EXPECT_FALSE(result->conflicts.empty());
      EXPECT_TRUE(result->optimal.selected_ids.empty());
      EXPECT_EQ(greedy.status().code(), absl::StatusCode::kFailedPrecondition);
      continue;
    }
    ASSERT_EQ(result->status, SolveStatus::kOptimal) << "conflicts: " << ::testing::PrintToString(result->conflicts);
    const std::vector<bool> chosen = Indicator(plain, result->optimal.selected_ids);
    EXPECT_EQ(Broken(plain, chosen), "");
    EXPECT_NEAR(ValueOf(plain, chosen), brute.best, 1e-6);
    EXPECT_NEAR(result->optimal.objective_value, brute.best, 1e-6);
    EXPECT_EQ(result->relative_gap, 0);
    EXPECT_TRUE(result->optimal.violations.empty());
    // Reported use per limit matches an independent count.
    for (const ConstraintUse& use : result->optimal.constraints) {
      for (size_t r = 0; r < plain.row_names.size(); ++r) {
        if (plain.row_names[r] != use.name) continue;
        double expected = 0;
        for (size_t i = 0; i < plain.n; ++i) expected += chosen[i] ? plain.use[r][i] : 0;
        EXPECT_DOUBLE_EQ(use.use, expected) << use.name;
        EXPECT_DOUBLE_EQ(use.limit, plain.limit[r]) << use.name;
        EXPECT_EQ(use.binding, expected == plain.limit[r]) << use.name;
      }
    }
    // The greedy answer is valid, never better, and the gain is the difference.
    ASSERT_TRUE(greedy.ok()) << greedy.status();
    const std::vector<bool> funded = Indicator(plain, greedy->selected_ids);
    EXPECT_EQ(Broken(plain, funded), "");
    EXPECT_LE(ValueOf(plain, funded), brute.best + 1e-6);
    EXPECT_EQ(result->greedy.selected_ids, greedy->selected_ids);
    EXPECT_NEAR(result->gain, brute.best - ValueOf(plain, funded), 1e-6);
    if (result->gain > 1e-6) ++coverage.greedy_suboptimal;
    // And the domain's own checker agrees with the independent one on the optimum.
    std::vector<std::string> best_ids;
    for (size_t i = 0; i < plain.n; ++i) {
      if (brute.best_x[i]) best_ids.push_back(plain.ids[i]);
    }
    auto evaluated = EvaluateSelection(scenario, best_ids);
    ASSERT_TRUE(evaluated.ok());
    EXPECT_TRUE(evaluated->violations.empty());
    EXPECT_NEAR(evaluated->objective_value, brute.best, 1e-9);
  }
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "%d instances in %.2f s: budget %d, capacity %d, wip %d, mandatory %d, excluded %d, dependency %d, "
      "exclusive %d; infeasible %d; greedy below optimum %d; objectives %d/%d/%d\n",
      kInstances, seconds, coverage.budget, coverage.capacity, coverage.wip, coverage.mandatory, coverage.excluded,
      coverage.dependency, coverage.exclusive, coverage.infeasible, coverage.greedy_suboptimal,
      coverage.objective_kinds[0], coverage.objective_kinds[1], coverage.objective_kinds[2]);
  EXPECT_GT(coverage.budget, 0);
  EXPECT_GT(coverage.capacity, 0);
  EXPECT_GT(coverage.wip, 0);
  EXPECT_GT(coverage.mandatory, 0);
  EXPECT_GT(coverage.excluded, 0);
  EXPECT_GT(coverage.dependency, 0);
  EXPECT_GT(coverage.exclusive, 0);
  EXPECT_GT(coverage.infeasible, 0);
  EXPECT_GT(coverage.greedy_suboptimal, 0);
  for (int kind : coverage.objective_kinds) EXPECT_GT(kind, 0);
}

}  // namespace
}  // namespace pmo::scoring::domain
