#include "services/scoring/domain/alignment.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"

namespace pmo::scoring::domain {

absl::StatusOr<Alignment> ComputeAlignment(const std::vector<KeyResultLink>& links,
                                           const std::vector<ObjectivePriority>& objectives) {
  Violations violations;
  std::map<std::string, double, std::less<>> priority;
  double top = 0;
  for (size_t i = 0; i < objectives.size(); ++i) {
    const ObjectivePriority& o = objectives[i];
    const std::string at = absl::StrCat("objectives[", i, "]");
    if (o.objective_id.empty()) violations.Add(at + ".objective_id", "must not be empty");
    if (!std::isfinite(o.priority) || o.priority < 0) {
      violations.Add(at + ".priority", "must be a finite, non-negative number");
      continue;
    }
    // A repeated objective keeps its highest priority: the read model may hand over
    // more than one snapshot, and the priority never depends on the order.
    auto [it, inserted] = priority.emplace(o.objective_id, o.priority);
    if (!inserted) it->second = std::max(it->second, o.priority);
    top = std::max(top, o.priority);
  }
  std::set<std::string, std::less<>> seen;
  for (size_t i = 0; i < links.size(); ++i) {
    const KeyResultLink& l = links[i];
    const std::string at = absl::StrCat("links[", i, "]");
    if (l.key_result_id.empty()) {
      violations.Add(at + ".key_result_id", "must not be empty");
    } else if (!seen.insert(l.key_result_id).second) {
      violations.Add(at + ".key_result_id", absl::StrCat("key result \"", l.key_result_id, "\" is linked twice"));
    }
    if (l.objective_id.empty()) violations.Add(at + ".objective_id", "must not be empty");
    if (!(l.contribution >= 0 && l.contribution <= 1)) {
      violations.Add(at + ".contribution", absl::StrCat("must lie in [0, 1] (got ", l.contribution, ")"));
    }
  }
  if (!violations.empty()) return violations.ToStatus("invalid alignment input");

  Alignment out;
  double sum = 0;
  for (const KeyResultLink& l : links) {
    AlignmentTerm t;
    t.key_result_id = l.key_result_id;
    t.objective_id = l.objective_id;
    t.contribution = l.contribution;
    if (auto it = priority.find(l.objective_id); it != priority.end() && top > 0) {
      t.normalised_priority = it->second / top;
    }
    t.term = t.contribution * t.normalised_priority;
    sum += t.term;
    out.terms.push_back(std::move(t));
  }
  out.value = std::clamp(sum, 0.0, 1.0);
  return out;
}

}  // namespace pmo::scoring::domain
