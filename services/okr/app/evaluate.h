// Snapshots as the use cases answer them: stored objectives and key results with the
// progress, confidence and measurability the domain derives (never stored), and the
// read-side helpers the use-case files share.
#pragma once

#include <vector>

#include "pmo/okr/v1/okr.pb.h"
#include "services/okr/domain/progress.h"

namespace pmo::okr::app {

// A portfolio's objectives and key results with their progress, confidence and
// measurability filled in by the domain's roll-up, the roll-up itself, and the objectives
// as the domain saw them (same order as `objectives`).
struct Evaluated {
  std::vector<v1::Objective> objectives;
  std::vector<v1::KeyResult> key_results;
  domain::ProgressTree tree;
  std::vector<domain::Objective> domain_objectives;
};
Evaluated Evaluate(std::vector<v1::Objective> objectives, std::vector<v1::KeyResult> key_results);

// Recomputes one key result's progress and confidence from its latest check-in.
void Evaluate(v1::KeyResult& key_result);

// Links by key result id, the order alignments are stored and compared in.
void SortLinks(v1::Alignment& alignment);
bool SameLinks(const v1::Alignment& a, const v1::Alignment& b);

}  // namespace pmo::okr::app
