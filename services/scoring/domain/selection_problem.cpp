#include "services/scoring/domain/selection_problem.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pmo/base/errors.h"
#include "pmo/base/validation.h"

namespace pmo::scoring::domain::selection {
namespace {

// A bundle (a candidate plus the prerequisites it still lacks) larger than this is not
// checked during reduction: the check is only a tightening, and CBC still enforces the
// rows, so skipping it keeps reduction linear on long dependency chains.
constexpr size_t kMaxBundleChecked = 256;

bool NonNegativeFinite(double v) { return std::isfinite(v) && v >= 0; }

// i plus its transitive prerequisites for which `take(p)` holds, or an empty vector if
// more than `cap` were found.
template <typename Take>
std::vector<int> Bundle(const Problem& p, int i, Take take, size_t cap) {
  std::vector<int> out{i};
  std::set<int> seen{i};
  for (size_t k = 0; k < out.size(); ++k) {
    for (int q : p.prerequisites[static_cast<size_t>(out[k])]) {
      if (!take(q) || !seen.insert(q).second) continue;
      out.push_back(q);
      if (out.size() > cap) return {};
    }
  }
  return out;
}

}  // namespace

double Slack(double limit) { return 1e-9 * std::max(1.0, std::abs(limit)); }

namespace {

// Checks every input of the scenario, listing each violation, and indexes the
// candidates by id on the way.
absl::Status Validate(const Scenario& scenario, double budget_scale, std::map<std::string, int, std::less<>>& index) {
  pmo::Violations violations;
  const auto& candidates = scenario.candidates;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    const std::string at = absl::StrCat("candidates[", i, "]");
    if (c.id.empty()) {
      violations.Add(at + ".id", "must not be empty");
    } else if (!index.emplace(c.id, static_cast<int>(i)).second) {
      violations.Add(at + ".id", absl::StrCat("duplicate id \"", c.id, "\""));
    }
    CheckFinite(c.score, at + ".score", violations);
    CheckFinite(c.expected_benefit, at + ".expected_benefit", violations);
    if (!(c.risk_probability >= 0 && c.risk_probability <= 1)) {
      violations.Add(at + ".risk_probability", "must lie in [0, 1]");
    }
    if (!(c.risk_impact >= 0 && c.risk_impact <= 1)) violations.Add(at + ".risk_impact", "must lie in [0, 1]");
    for (const auto& [quarter, amount] : c.cost_per_quarter) {
      if (!NonNegativeFinite(amount)) {
        violations.Add(absl::StrCat(at, ".cost_per_quarter[", quarter, "]"), "must be a finite, non-negative number");
      }
    }
    for (const auto& [skill, per_quarter] : c.effort_hours) {
      for (const auto& [quarter, hours] : per_quarter) {
        if (!NonNegativeFinite(hours)) {
          violations.Add(absl::StrCat(at, ".effort_hours[", skill, "][", quarter, "]"),
                         "must be a finite, non-negative number");
        }
      }
    }
  }
  const ScenarioConstraints& k = scenario.constraints;
  for (const auto& [quarter, limit] : k.budget_per_quarter) {
    if (!NonNegativeFinite(limit)) {
      violations.Add(absl::StrCat("constraints.budget_per_quarter[", quarter, "]"),
                     "must be a finite, non-negative number");
    }
  }
  for (const auto& [skill, per_quarter] : k.capacity_hours) {
    for (const auto& [quarter, limit] : per_quarter) {
      if (!NonNegativeFinite(limit)) {
        violations.Add(absl::StrCat("constraints.capacity_hours[", skill, "][", quarter, "]"),
                       "must be a finite, non-negative number");
      }
    }
  }
  if (k.wip_limit && *k.wip_limit < 0) violations.Add("constraints.wip_limit", "must not be negative");
  auto known = [&](const std::string& id, const std::string& field) {
    if (index.contains(id)) return true;
    violations.Add(field, absl::StrCat("unknown candidate \"", id, "\""));
    return false;
  };
  for (size_t i = 0; i < k.mandatory.size(); ++i) known(k.mandatory[i], absl::StrCat("constraints.mandatory[", i, "]"));
  for (size_t i = 0; i < k.excluded.size(); ++i) known(k.excluded[i], absl::StrCat("constraints.excluded[", i, "]"));
  for (size_t i = 0; i < k.dependencies.size(); ++i) {
    const Dependency& d = k.dependencies[i];
    const std::string at = absl::StrCat("constraints.dependencies[", i, "]");
    const bool ok = known(d.dependent, at + ".dependent") & known(d.prerequisite, at + ".prerequisite");
    if (ok && d.dependent == d.prerequisite) violations.Add(at, "an initiative cannot depend on itself");
  }
  for (size_t g = 0; g < k.exclusive_groups.size(); ++g) {
    std::set<std::string_view> in_group;
    const auto& ids = k.exclusive_groups[g].ids;
    for (size_t m = 0; m < ids.size(); ++m) {
      const std::string at = absl::StrCat("constraints.exclusive_groups[", g, "].ids[", m, "]");
      if (known(ids[m], at) && !in_group.insert(ids[m]).second) {
        violations.Add(at, absl::StrCat("\"", ids[m], "\" is listed twice"));
      }
    }
  }
  if (!NonNegativeFinite(budget_scale)) violations.Add("budget_scale", "must be a finite, non-negative number");
  return violations.ToStatus("invalid scenario");
}

// Required: the mandatory initiatives and, transitively, what they need. Per candidate:
// the mandatory initiative that pulled it in (for the conflict messages), -1 if none.
std::vector<int> RequiredBy(const Problem& p) {
  const size_t n = p.size();
  std::vector<int> required_by(n, -1);
  std::vector<int> queue;
  for (int m : p.mandatory) {
    required_by[static_cast<size_t>(m)] = m;
    queue.push_back(m);
  }
  for (size_t k = 0; k < queue.size(); ++k) {
    const int i = queue[k];
    for (int q : p.prerequisites[static_cast<size_t>(i)]) {
      if (required_by[static_cast<size_t>(q)] != -1) continue;
      required_by[static_cast<size_t>(q)] = required_by[static_cast<size_t>(i)];
      queue.push_back(q);
    }
  }
  return required_by;
}

// What the required set breaks (excluded, two of a group, a limit) as conflicts, and
// the room each row leaves beside it.
void CheckRequired(const Problem& p, const std::vector<int>& required_by, Reduction& r) {
  const size_t n = p.size();
  auto required = [&](int i) { return required_by[static_cast<size_t>(i)] != -1; };
  for (int e : p.excluded) {
    if (!required(e)) continue;
    const int root = required_by[static_cast<size_t>(e)];
    if (root == e) {
      r.conflicts.push_back(absl::StrCat("mandatory and excluded: ", p.ids[static_cast<size_t>(e)]));
    } else {
      r.conflicts.push_back(absl::StrCat("dependency: mandatory ", p.ids[static_cast<size_t>(root)], " needs ",
                                         p.ids[static_cast<size_t>(e)],
                                         " (directly or through its prerequisites), which is excluded"));
    }
  }
  for (const Group& g : p.groups) {
    std::vector<std::string> in;
    for (int m : g.members) {
      if (required(m)) in.push_back(p.ids[static_cast<size_t>(m)]);
    }
    if (in.size() > 1) {
      r.conflicts.push_back(absl::StrCat("exclusive group ", g.name, ": ", absl::StrJoin(in, " and "),
                                         in.size() == 2 ? " are both" : " are all",
                                         " required (mandatory or needed by a mandatory initiative)"));
    }
  }
  r.residual.resize(p.rows.size());
  for (size_t k = 0; k < p.rows.size(); ++k) {
    const Row& row = p.rows[k];
    double use = 0;
    for (size_t i = 0; i < n; ++i) {
      if (required(static_cast<int>(i))) use += row.coef[i];
    }
    if (use > row.limit + Slack(row.limit)) {
      r.conflicts.push_back(absl::StrCat(row.name, ": the mandatory initiatives and what they need use ", use,
                                         " of ", row.limit));
    }
    r.residual[k] = row.limit - use;
  }
}

}  // namespace

absl::StatusOr<Problem> Build(const Scenario& scenario, double budget_scale) {
  std::map<std::string, int, std::less<>> index;
  if (auto valid = Validate(scenario, budget_scale, index); !valid.ok()) return valid;
  const auto& candidates = scenario.candidates;
  const ScenarioConstraints& k = scenario.constraints;

  Problem p;
  const size_t n = candidates.size();
  for (const Candidate& c : candidates) {
    p.ids.push_back(c.id);
    p.value.push_back(ObjectiveValue(c, scenario.objective));
  }
  for (const auto& [quarter, limit] : k.budget_per_quarter) {
    Row row{absl::StrCat("budget ", quarter), limit * budget_scale, std::vector<double>(n, 0.0)};
    for (size_t i = 0; i < n; ++i) {
      if (auto it = candidates[i].cost_per_quarter.find(quarter); it != candidates[i].cost_per_quarter.end()) {
        row.coef[i] = it->second;
      }
    }
    p.rows.push_back(std::move(row));
  }
  for (const auto& [skill, per_quarter] : k.capacity_hours) {
    for (const auto& [quarter, limit] : per_quarter) {
      Row row{absl::StrCat("capacity ", skill, " ", quarter), limit, std::vector<double>(n, 0.0)};
      for (size_t i = 0; i < n; ++i) {
        auto s = candidates[i].effort_hours.find(skill);
        if (s == candidates[i].effort_hours.end()) continue;
        if (auto q = s->second.find(quarter); q != s->second.end()) row.coef[i] = q->second;
      }
      p.rows.push_back(std::move(row));
    }
  }
  if (k.wip_limit) {
    Row row{"wip", static_cast<double>(*k.wip_limit), std::vector<double>(n, 0.0)};
    for (size_t i = 0; i < n; ++i) row.coef[i] = candidates[i].counts_toward_wip ? 1.0 : 0.0;
    p.rows.push_back(std::move(row));
  }
  auto at = [&](std::string_view id) { return index.find(id)->second; };
  p.prerequisites.resize(n);
  for (const Dependency& d : k.dependencies) {
    const int b = at(d.dependent);
    const int a = at(d.prerequisite);
    auto& pre = p.prerequisites[static_cast<size_t>(b)];
    if (std::find(pre.begin(), pre.end(), a) == pre.end()) pre.push_back(a);
    p.dependencies.emplace_back(b, a);
  }
  for (size_t g = 0; g < k.exclusive_groups.size(); ++g) {
    const ExclusiveGroup& group = k.exclusive_groups[g];
    Group out{group.name.empty() ? absl::StrCat(g) : group.name, {}};
    for (const std::string& id : group.ids) out.members.push_back(at(id));
    p.groups.push_back(std::move(out));
  }
  std::set<int> seen;
  for (const std::string& id : k.mandatory) {
    if (seen.insert(at(id)).second) p.mandatory.push_back(at(id));
  }
  seen.clear();
  for (const std::string& id : k.excluded) {
    if (seen.insert(at(id)).second) p.excluded.push_back(at(id));
  }
  return p;
}

Reduction Reduce(const Problem& p) {
  const size_t n = p.size();
  Reduction r;
  r.fix.assign(n, Fix::kFree);

  const std::vector<int> required_by = RequiredBy(p);
  auto required = [&](int i) { return required_by[static_cast<size_t>(i)] != -1; };
  CheckRequired(p, required_by, r);
  if (r.infeasible()) return r;

  for (size_t i = 0; i < n; ++i) {
    if (required(static_cast<int>(i))) r.fix[i] = Fix::kIn;
  }
  auto out = [&](int i) {
    if (r.fix[static_cast<size_t>(i)] == Fix::kFree) r.fix[static_cast<size_t>(i)] = Fix::kOut;
  };
  for (int e : p.excluded) out(e);
  for (const Group& g : p.groups) {
    if (std::none_of(g.members.begin(), g.members.end(), required)) continue;
    for (int m : g.members) out(m);
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < p.rows.size(); ++k) {
      if (p.rows[k].coef[i] > r.residual[k] + Slack(p.rows[k].limit)) out(static_cast<int>(i));
    }
  }

  // A candidate whose prerequisite is out is out too; dependents[i] lists who needs i.
  std::vector<std::vector<int>> dependents(n);
  for (size_t i = 0; i < n; ++i) {
    for (int q : p.prerequisites[i]) dependents[static_cast<size_t>(q)].push_back(static_cast<int>(i));
  }
  auto propagate = [&]() {
    std::vector<int> work;
    for (size_t i = 0; i < n; ++i) {
      if (r.fix[i] == Fix::kOut) work.push_back(static_cast<int>(i));
    }
    while (!work.empty()) {
      const int i = work.back();
      work.pop_back();
      for (int d : dependents[static_cast<size_t>(i)]) {
        if (r.fix[static_cast<size_t>(d)] != Fix::kFree) continue;
        r.fix[static_cast<size_t>(d)] = Fix::kOut;
        work.push_back(d);
      }
    }
  };
  propagate();

  // Choosing i means choosing its whole bundle of free prerequisites; if that bundle
  // alone breaks a group or a limit, i can never be chosen.
  std::vector<std::vector<int>> groups_of(n);
  for (size_t g = 0; g < p.groups.size(); ++g) {
    for (int m : p.groups[g].members) groups_of[static_cast<size_t>(m)].push_back(static_cast<int>(g));
  }
  bool changed = false;
  for (size_t i = 0; i < n; ++i) {
    if (r.fix[i] != Fix::kFree || p.prerequisites[i].empty()) continue;
    std::vector<int> bundle = Bundle(
        p, static_cast<int>(i), [&](int q) { return r.fix[static_cast<size_t>(q)] != Fix::kIn; }, kMaxBundleChecked);
    if (bundle.empty()) continue;
    bool fits = std::all_of(bundle.begin(), bundle.end(), [&](int b) { return r.fix[static_cast<size_t>(b)] != Fix::kOut; });
    std::set<int> groups_hit;
    for (int b : bundle) {
      for (int g : groups_of[static_cast<size_t>(b)]) fits = fits && groups_hit.insert(g).second;
    }
    for (size_t k = 0; fits && k < p.rows.size(); ++k) {
      double use = 0;
      for (int b : bundle) use += p.rows[k].coef[static_cast<size_t>(b)];
      fits = use <= r.residual[k] + Slack(p.rows[k].limit);
    }
    if (!fits) {
      r.fix[i] = Fix::kOut;
      changed = true;
    }
  }
  if (changed) propagate();
  return r;
}

std::vector<char> Greedy(const Problem& p, const Reduction& r) {
  const size_t n = p.size();
  std::vector<char> x(n, 0);
  for (size_t i = 0; i < n; ++i) x[i] = r.fix[i] == Fix::kIn ? 1 : 0;
  std::vector<double> residual = r.residual;
  std::vector<bool> group_used(p.groups.size(), false);
  std::vector<std::vector<int>> groups_of(n);
  for (size_t g = 0; g < p.groups.size(); ++g) {
    for (int m : p.groups[g].members) {
      groups_of[static_cast<size_t>(m)].push_back(static_cast<int>(g));
      if (x[static_cast<size_t>(m)]) group_used[g] = true;
    }
  }
  std::vector<int> order;
  for (size_t i = 0; i < n; ++i) {
    if (r.fix[i] == Fix::kFree) order.push_back(static_cast<int>(i));
  }
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    const double va = p.value[static_cast<size_t>(a)];
    const double vb = p.value[static_cast<size_t>(b)];
    if (va != vb) return va > vb;
    return p.ids[static_cast<size_t>(a)] < p.ids[static_cast<size_t>(b)];
  });
  for (int i : order) {
    if (x[static_cast<size_t>(i)]) continue;  // already funded as someone's prerequisite
    std::vector<int> bundle = Bundle(p, i, [&](int q) { return !x[static_cast<size_t>(q)]; }, n);
    bool fits = true;
    double value = 0;
    std::set<int> groups_hit;
    for (int b : bundle) {
      fits = fits && r.fix[static_cast<size_t>(b)] != Fix::kOut;
      value += p.value[static_cast<size_t>(b)];
      for (int g : groups_of[static_cast<size_t>(b)]) {
        fits = fits && !group_used[static_cast<size_t>(g)] && groups_hit.insert(g).second;
      }
    }
    if (!fits || value <= 0) continue;
    std::vector<double> use(p.rows.size(), 0.0);
    for (size_t k = 0; fits && k < p.rows.size(); ++k) {
      for (int b : bundle) use[k] += p.rows[k].coef[static_cast<size_t>(b)];
      fits = use[k] <= residual[k] + Slack(p.rows[k].limit);
    }
    if (!fits) continue;
    for (int b : bundle) x[static_cast<size_t>(b)] = 1;
    for (int g : groups_hit) group_used[static_cast<size_t>(g)] = true;
    for (size_t k = 0; k < p.rows.size(); ++k) residual[k] -= use[k];
  }
  return x;
}

double Objective(const Problem& p, const std::vector<char>& x) {
  double sum = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (x[i]) sum += p.value[i];
  }
  return sum;
}

std::vector<std::string> Violations(const Problem& p, const std::vector<char>& x) {
  std::vector<std::string> out;
  for (const Row& row : p.rows) {
    double use = 0;
    for (size_t i = 0; i < p.size(); ++i) {
      if (x[i]) use += row.coef[i];
    }
    if (use > row.limit + Slack(row.limit)) out.push_back(absl::StrCat(row.name, ": uses ", use, " of ", row.limit));
  }
  for (int m : p.mandatory) {
    if (!x[static_cast<size_t>(m)]) out.push_back(absl::StrCat("mandatory ", p.ids[static_cast<size_t>(m)], " is not selected"));
  }
  for (int e : p.excluded) {
    if (x[static_cast<size_t>(e)]) out.push_back(absl::StrCat("excluded ", p.ids[static_cast<size_t>(e)], " is selected"));
  }
  for (auto [b, a] : p.dependencies) {
    if (x[static_cast<size_t>(b)] && !x[static_cast<size_t>(a)]) {
      out.push_back(absl::StrCat("dependency: ", p.ids[static_cast<size_t>(b)], " needs ", p.ids[static_cast<size_t>(a)]));
    }
  }
  for (const Group& g : p.groups) {
    std::vector<std::string> in;
    for (int m : g.members) {
      if (x[static_cast<size_t>(m)]) in.push_back(p.ids[static_cast<size_t>(m)]);
    }
    if (in.size() > 1) out.push_back(absl::StrCat("exclusive group ", g.name, ": ", absl::StrJoin(in, ", ")));
  }
  return out;
}

Selection Describe(const Problem& p, const std::vector<char>& x) {
  Selection s;
  for (size_t i = 0; i < p.size(); ++i) {
    if (x[i]) s.selected_ids.push_back(p.ids[i]);
  }
  std::sort(s.selected_ids.begin(), s.selected_ids.end());
  s.objective_value = Objective(p, x);
  for (const Row& row : p.rows) {
    double use = 0;
    for (size_t i = 0; i < p.size(); ++i) {
      if (x[i]) use += row.coef[i];
    }
    s.constraints.push_back({row.name, use, row.limit, std::abs(use - row.limit) <= Slack(row.limit)});
  }
  for (const Group& g : p.groups) {
    double use = 0;
    for (int m : g.members) use += x[static_cast<size_t>(m)] ? 1 : 0;
    s.constraints.push_back({absl::StrCat("exclusive group ", g.name), use, 1, use == 1});
  }
  s.violations = Violations(p, x);
  return s;
}

}  // namespace pmo::scoring::domain::selection
