#include "services/okr/domain/progress.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "services/okr/domain/check_ins.h"

namespace pmo::okr::domain {
namespace {

double Clamp01(double x) {
  if (std::isnan(x)) return 0;
  return std::clamp(x, 0.0, 1.0);
}

// Whether `value` has reached the target in the key result's direction; the answer
// for inputs the formulas cannot handle.
double ReachedOrNot(const KeyResult& kr, double value) {
  if (!std::isfinite(value) || !std::isfinite(kr.target)) return 0;
  switch (kr.direction) {
    case Direction::kIncrease: return value >= kr.target ? 1 : 0;
    case Direction::kDecrease: return value <= kr.target ? 1 : 0;
    case Direction::kMaintain: return value == kr.target ? 1 : 0;
    case Direction::kUnspecified: return 0;
  }
  return 0;
}

bool IsCountedChild(const Objective& child) {
  return child.status != ObjectiveStatus::kRetired && std::isfinite(child.priority) && child.priority > 0;
}

}  // namespace

double ProgressOf(const KeyResult& kr, double value) {
  const double b = kr.baseline;
  const double t = kr.target;
  if (!std::isfinite(value) || !std::isfinite(b) || !std::isfinite(t)) return ReachedOrNot(kr, value);
  switch (kr.direction) {
    case Direction::kIncrease:
      if (t <= b) return ReachedOrNot(kr, value);
      return Clamp01((value - b) / (t - b));
    case Direction::kDecrease:
      if (t >= b) return ReachedOrNot(kr, value);
      return Clamp01((b - value) / (b - t));
    case Direction::kMaintain: {
      const double tolerance = std::isfinite(kr.tolerance) ? std::max(kr.tolerance, 0.0) : 0.0;
      const double drift = std::abs(value - t);
      if (drift <= tolerance) return 1;
      return Clamp01(1 - (drift - tolerance) / std::max(std::abs(t), 1.0));
    }
    case Direction::kUnspecified:
      return 0;
  }
  return 0;
}

KeyResultProgress EvaluateKeyResult(const KeyResult& key_result, const CheckIn* latest) {
  if (latest == nullptr) return KeyResultProgress{};
  return KeyResultProgress{ProgressOf(key_result, latest->value), Clamp01(latest->confidence), true, latest->as_of};
}

ProgressTree ComputeProgress(const std::vector<Objective>& objectives, const std::vector<KeyResult>& key_results,
                             const std::vector<CheckIn>& check_ins) {
  ProgressTree tree;

  std::unordered_map<std::string, size_t> index;
  index.reserve(objectives.size());
  for (size_t i = 0; i < objectives.size(); ++i) index.emplace(objectives[i].id, i);

  std::vector<std::vector<size_t>> children(objectives.size());
  for (size_t i = 0; i < objectives.size(); ++i) {
    const std::string& parent = objectives[i].parent_id;
    if (parent.empty() || parent == objectives[i].id) continue;
    if (auto it = index.find(parent); it != index.end()) children[it->second].push_back(i);
  }

  const auto latest = LatestCheckIns(check_ins);
  std::vector<std::vector<const KeyResultProgress*>> direct(objectives.size());
  for (const KeyResult& kr : key_results) {
    const auto found = latest.find(kr.id);
    const KeyResultProgress& p = tree.key_results[kr.id] =
        EvaluateKeyResult(kr, found == latest.end() ? nullptr : found->second);
    if (kr.retired) continue;
    if (auto it = index.find(kr.objective_id); it != index.end()) direct[it->second].push_back(&p);
  }

  enum class Mark { kNew, kInProgress, kDone };
  std::vector<Mark> marks(objectives.size(), Mark::kNew);
  std::vector<ObjectiveProgress> results(objectives.size());

  std::function<void(size_t)> visit = [&](size_t i) {
    marks[i] = Mark::kInProgress;
    double weight = 0;
    double progress = 0;
    double confidence = 0;
    int32_t unchecked = 0;
    for (const KeyResultProgress* kr : direct[i]) {
      weight += 1;
      progress += kr->progress;
      confidence += kr->confidence;
      if (!kr->checked_in) ++unchecked;
    }
    for (size_t c : children[i]) {
      if (marks[c] == Mark::kInProgress) continue;  // would close a cycle
      if (marks[c] == Mark::kNew) visit(c);
      if (!IsCountedChild(objectives[c])) continue;
      const double w = objectives[c].priority;
      weight += w;
      progress += w * results[c].progress;
      confidence += w * results[c].confidence;
      unchecked += results[c].key_results_without_check_in;
    }
    ObjectiveProgress& out = results[i];
    out.total_weight = weight;
    out.key_results_without_check_in = unchecked;
    if (weight > 0) {
      out.progress = Clamp01(progress / weight);
      out.confidence = Clamp01(confidence / weight);
    }
    marks[i] = Mark::kDone;
  };
  for (size_t i = 0; i < objectives.size(); ++i) {
    if (marks[i] == Mark::kNew) visit(i);
  }
  for (size_t i = 0; i < objectives.size(); ++i) tree.objectives.emplace(objectives[i].id, results[i]);
  return tree;
}

std::vector<ObjectiveRollUp> AncestorRollUp(const std::vector<Objective>& objectives, const ProgressTree& tree,
                                            const std::string& objective_id) {
  std::unordered_map<std::string_view, const Objective*> by_id;
  for (const Objective& o : objectives) by_id.emplace(o.id, &o);
  std::vector<ObjectiveRollUp> out;
  std::unordered_set<std::string_view> visited;
  for (auto it = by_id.find(objective_id); it != by_id.end() && visited.insert(it->first).second;
       it = by_id.find(it->second->parent_id)) {
    ObjectiveRollUp& up = out.emplace_back();
    up.objective_id = it->second->id;
    if (auto p = tree.objectives.find(up.objective_id); p != tree.objectives.end()) {
      up.progress = p->second.progress;
      up.confidence = p->second.confidence;
    }
  }
  return out;
}

}  // namespace pmo::okr::domain
