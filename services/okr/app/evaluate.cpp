#include "services/okr/app/evaluate.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "services/okr/app/convert.h"
#include "services/okr/domain/validation.h"

namespace pmo::okr::app {

Evaluated Evaluate(std::vector<v1::Objective> objectives, std::vector<v1::KeyResult> key_results) {
  std::vector<domain::Objective> os;
  os.reserve(objectives.size());
  std::unordered_map<std::string, size_t> index;
  for (const auto& o : objectives) {
    index.emplace(o.id(), os.size());
    os.push_back(FromProto(o));
  }
  std::vector<domain::KeyResult> krs;
  std::vector<domain::CheckIn> check_ins;
  krs.reserve(key_results.size());
  for (const auto& kr : key_results) {
    krs.push_back(FromProto(kr));
    if (kr.has_latest_check_in()) check_ins.push_back(FromProto(kr.latest_check_in()));
  }
  domain::ProgressTree tree = domain::ComputeProgress(os, krs, check_ins);
  Evaluated out{std::move(objectives), std::move(key_results), std::move(tree), std::move(os)};
  for (auto& o : out.objectives) {
    const auto& p = out.tree.objectives.at(o.id());
    o.set_progress(p.progress);
    o.set_confidence(p.confidence);
    o.set_key_results_without_check_in(p.key_results_without_check_in);
  }
  for (size_t i = 0; i < out.key_results.size(); ++i) {
    auto& kr = out.key_results[i];
    const auto& p = out.tree.key_results.at(kr.id());
    kr.set_progress(p.progress);
    kr.set_confidence(p.confidence);
    auto o = index.find(kr.objective_id());
    kr.set_measurable(o != index.end() && domain::IsMeasurable(krs[i], out.domain_objectives[o->second]).measurable);
  }
  return out;
}

void Evaluate(v1::KeyResult& key_result) {
  auto latest = LatestOf(key_result);
  auto p = domain::EvaluateKeyResult(FromProto(key_result), latest ? &*latest : nullptr);
  key_result.set_progress(p.progress);
  key_result.set_confidence(p.confidence);
}

void SortLinks(v1::Alignment& alignment) {
  std::sort(alignment.mutable_links()->begin(), alignment.mutable_links()->end(),
            [](const v1::Link& x, const v1::Link& y) { return x.key_result_id() < y.key_result_id(); });
}

bool SameLinks(const v1::Alignment& a, const v1::Alignment& b) {
  if (a.links_size() != b.links_size()) return false;
  for (int i = 0; i < a.links_size(); ++i)
    if (a.links(i).SerializeAsString() != b.links(i).SerializeAsString()) return false;
  return true;
}

}  // namespace pmo::okr::app
