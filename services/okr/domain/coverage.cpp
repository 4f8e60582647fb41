#include "services/okr/domain/coverage.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <unordered_set>

#include "services/okr/domain/validation.h"

namespace pmo::okr::domain {
namespace {

bool IsLive(ObjectiveStatus status) {
  return status == ObjectiveStatus::kActive || status == ObjectiveStatus::kDeprioritised;
}

std::vector<std::string> Sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

bool IsActiveStage(std::string_view stage) {
  static constexpr std::array<std::string_view, 8> kActive = {
      "SUBMITTED", "IN_REVIEW", "APPROVED", "ACTIVE", "DELIVERED", "SUSTAINING", "PAUSED", "PIVOTING"};
  return std::find(kActive.begin(), kActive.end(), stage) != kActive.end();
}

Coverage ComputeCoverage(const CoverageInput& input) {
  Coverage coverage;

  std::unordered_map<std::string_view, const Objective*> objectives;
  for (const Objective& o : input.objectives) objectives.emplace(o.id, &o);

  // Live key results, with whether each is measurable.
  std::unordered_map<std::string_view, const KeyResult*> key_results;
  std::unordered_set<std::string_view> measurable;
  for (const KeyResult& kr : input.key_results) {
    if (kr.retired) continue;
    key_results.emplace(kr.id, &kr);
    const auto objective = objectives.find(kr.objective_id);
    if (objective != objectives.end() && IsMeasurable(kr, *objective->second).measurable) measurable.insert(kr.id);
  }

  std::unordered_set<std::string_view> active;
  for (const InitiativeRef& initiative : input.initiatives) {
    if (initiative.active) active.insert(initiative.id);
  }

  std::unordered_set<std::string_view> linked;
  std::unordered_set<std::string_view> linked_measurable;
  std::unordered_set<std::string_view> covered;
  for (const Link& link : input.links) {
    if (!active.contains(link.initiative_id)) continue;
    const auto kr = key_results.find(link.key_result_id);
    if (kr == key_results.end()) continue;
    linked.insert(link.initiative_id);
    if (measurable.contains(link.key_result_id)) linked_measurable.insert(link.initiative_id);
    // Mark the key result's objective and its ancestors, stopping above a RETIRED one
    // and at one already marked (its ancestors were handled then).
    auto node = objectives.find(kr->second->objective_id);
    while (node != objectives.end() && covered.insert(node->first).second) {
      if (node->second->status == ObjectiveStatus::kRetired) break;
      node = objectives.find(node->second->parent_id);
    }
  }

  for (const InitiativeRef& initiative : input.initiatives) {
    if (!initiative.active) continue;
    ++coverage.active_initiatives;
    if (linked.contains(initiative.id)) {
      ++coverage.active_linked;
    } else {
      coverage.initiatives_linked_to_nothing.push_back(initiative.id);
    }
    if (linked_measurable.contains(initiative.id)) ++coverage.active_with_measurable_key_result;
  }
  if (coverage.active_initiatives > 0) {
    coverage.measurable_share =
        static_cast<double>(coverage.active_with_measurable_key_result) / coverage.active_initiatives;
  }

  for (const Objective& o : input.objectives) {
    if (o.status == ObjectiveStatus::kActive && !covered.contains(o.id)) {
      coverage.objectives_without_initiative.push_back(o.id);
    }
  }

  std::unordered_map<std::string_view, Date> latest;
  for (const CheckIn& c : input.check_ins) {
    auto [it, inserted] = latest.emplace(c.key_result_id, c.as_of);
    if (!inserted && c.as_of > it->second) it->second = c.as_of;
  }
  const int64_t oldest_fresh = DaysSinceEpoch(input.as_of) - kStaleAfterDays;
  for (const KeyResult& kr : input.key_results) {
    if (kr.retired) continue;
    const auto objective = objectives.find(kr.objective_id);
    if (objective == objectives.end() || !IsLive(objective->second->status)) continue;
    const auto seen = latest.find(kr.id);
    if (seen == latest.end() || DaysSinceEpoch(seen->second) < oldest_fresh) {
      coverage.stale_key_results.push_back(kr.id);
    }
  }

  coverage.initiatives_linked_to_nothing = Sorted(std::move(coverage.initiatives_linked_to_nothing));
  coverage.objectives_without_initiative = Sorted(std::move(coverage.objectives_without_initiative));
  coverage.stale_key_results = Sorted(std::move(coverage.stale_key_results));
  return coverage;
}

}  // namespace pmo::okr::domain
