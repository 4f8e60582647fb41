// Read-side workflows over a whole portfolio: the alignment tree (objectives with their
// children, key results and the initiatives linked to each) and the coverage figures.
#include <algorithm>
#include <functional>
#include <unordered_map>

#include "pmo/base/errors.h"
#include "pmo/common/proto_convert.h"
#include "services/okr/app/convert.h"
#include "services/okr/app/evaluate.h"
#include "services/okr/app/okr_app.h"
#include "services/okr/domain/coverage.h"

namespace pmo::okr::app {

absl::StatusOr<v1::AlignmentTree> OkrApp::GetAlignmentTree(const v1::GetAlignmentTreeRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto data = store_.LoadPortfolio(req.portfolio_id(),
                                   {.objectives = true, .key_results = true, .alignments = true, .initiatives = true});
  if (!data.ok()) return data.status();
  auto evaluated = Evaluate(std::move(data->objectives), std::move(data->key_results));
  auto& objectives = evaluated.objectives;
  std::sort(objectives.begin(), objectives.end(), [](const auto& a, const auto& b) { return a.id() < b.id(); });
  std::sort(evaluated.key_results.begin(), evaluated.key_results.end(),
            [](const auto& a, const auto& b) { return a.id() < b.id(); });

  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < objectives.size(); ++i) index.emplace(objectives[i].id(), i);
  std::vector<std::vector<size_t>> children(objectives.size());
  std::vector<size_t> roots;
  for (size_t i = 0; i < objectives.size(); ++i) {
    auto parent = index.find(objectives[i].parent_id());
    if (parent == index.end() || parent->second == i)
      roots.push_back(i);
    else
      children[parent->second].push_back(i);
  }
  std::unordered_map<std::string, std::vector<v1::AlignedInitiative>> initiatives_of;
  int32_t links = 0;
  for (const auto& a : data->alignments) {
    auto stage = data->initiative_stages.find(a.initiative_id());
    for (const auto& l : a.links()) {
      v1::AlignedInitiative ai;
      ai.set_initiative_id(a.initiative_id());
      ai.set_contribution(l.contribution());
      ai.set_origin(l.origin());
      if (stage != data->initiative_stages.end()) ai.set_stage(stage->second);
      initiatives_of[l.key_result_id()].push_back(std::move(ai));
      ++links;
    }
  }
  std::vector<std::vector<v1::KeyResult*>> key_results_of(objectives.size());
  for (auto& kr : evaluated.key_results)
    if (auto o = index.find(kr.objective_id()); o != index.end()) key_results_of[o->second].push_back(&kr);

  std::vector<bool> placed(objectives.size(), false);
  std::function<void(size_t, v1::ObjectiveNode*)> build = [&](size_t i, v1::ObjectiveNode* node) {
    placed[i] = true;
    *node->mutable_objective() = std::move(objectives[i]);
    for (v1::KeyResult* kr : key_results_of[i]) {
      auto* krn = node->add_key_results();
      auto linked = initiatives_of.find(kr->id());
      if (linked != initiatives_of.end()) {
        std::sort(linked->second.begin(), linked->second.end(),
                  [](const auto& a, const auto& b) { return a.initiative_id() < b.initiative_id(); });
        for (auto& ai : linked->second) *krn->add_initiatives() = std::move(ai);
      }
      *krn->mutable_key_result() = std::move(*kr);
    }
    for (size_t c : children[i])
      if (!placed[c]) build(c, node->add_children());
  };
  v1::AlignmentTree tree;
  tree.set_portfolio_id(req.portfolio_id());
  tree.set_objectives(static_cast<int32_t>(objectives.size()));
  tree.set_key_results(static_cast<int32_t>(evaluated.key_results.size()));
  tree.set_links(links);
  for (size_t r : roots) build(r, tree.add_roots());
  return tree;
}

absl::StatusOr<v1::Coverage> OkrApp::GetCoverage(const v1::GetCoverageRequest& req) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  domain::Date as_of;
  if (req.has_as_of()) {
    as_of = pmo::FromProto(req.as_of());
    if (!domain::IsValidDate(as_of)) v.Add("as_of", "is not a valid date");
  } else {
    as_of = CivilDayUtc(ToTimestamp(clock_.Now()));
  }
  if (!v.empty()) return v.ToStatus("invalid request");
  auto data = store_.LoadPortfolio(req.portfolio_id(),
                                   {.objectives = true, .key_results = true, .alignments = true, .initiatives = true});
  if (!data.ok()) return data.status();
  std::vector<domain::Objective> objectives;
  for (const auto& o : data->objectives) objectives.push_back(FromProto(o));
  std::vector<domain::KeyResult> key_results;
  std::vector<domain::CheckIn> check_ins;
  for (const auto& kr : data->key_results) {
    key_results.push_back(FromProto(kr));
    if (kr.has_latest_check_in()) check_ins.push_back(FromProto(kr.latest_check_in()));
  }
  std::vector<domain::InitiativeRef> initiatives;
  for (const auto& [id, stage] : data->initiative_stages)
    initiatives.push_back({id, stage, domain::IsActiveStage(stage)});
  std::vector<domain::Link> links;
  for (const auto& a : data->alignments)
    for (const auto& l : a.links()) links.push_back({l.key_result_id(), a.initiative_id(), l.contribution()});
  auto c = domain::ComputeCoverage({.objectives = objectives,
                                    .key_results = key_results,
                                    .check_ins = check_ins,
                                    .initiatives = initiatives,
                                    .links = links,
                                    .as_of = as_of});
  v1::Coverage out;
  out.set_portfolio_id(req.portfolio_id());
  out.set_active_initiatives(c.active_initiatives);
  out.set_active_linked(c.active_linked);
  out.set_active_with_measurable_key_result(c.active_with_measurable_key_result);
  out.set_measurable_share(c.measurable_share);
  for (auto& id : c.initiatives_linked_to_nothing) out.add_initiatives_linked_to_nothing(std::move(id));
  for (auto& id : c.objectives_without_initiative) out.add_objectives_without_initiative(std::move(id));
  for (auto& id : c.stale_key_results) out.add_stale_key_results(std::move(id));
  *out.mutable_as_of() = pmo::ToProto(as_of);
  return out;
}

}  // namespace pmo::okr::app
