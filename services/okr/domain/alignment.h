// How initiatives align to key results: which links count as measurable, and how a
// submission's proposed key results become links beside those a person made.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "services/okr/domain/model.h"

namespace pmo::okr::domain {

// A link to `key_result` counts as a link to a measurable key result when the key result
// is live (not retired) and IsMeasurable against its objective; never without a known
// objective (`objective` null).
bool IsMeasurableLink(const KeyResult& key_result, const Objective* objective);

// A key result an initiative's submission proposes to move, with its weight as given.
struct ProposedKeyResult {
  std::string key_result_id;
  double contribution_weight = 0;
};

struct ProposalLinks {
  // The links the proposal makes, in the order proposed.
  std::vector<Link> links;
  // Proposed key results not linked: unknown to okr or retired (`linkable` says no), or
  // a weight that is not a finite number in [0, 1]. In the order proposed.
  std::vector<std::string> not_linked;
};

// The links a submission of `initiative_id` makes. A key result in `linked_by_person`
// (links made with LinkInitiative) keeps that link and is not proposed again; a key
// result proposed twice is linked once, by its first proposal. Intake validated the
// submission; okr records only the links it can stand behind, so an unlinkable proposal
// is skipped rather than refused.
ProposalLinks LinksFromProposal(const std::string& initiative_id, const std::vector<ProposedKeyResult>& proposed,
                                const std::vector<std::string>& linked_by_person,
                                const std::function<bool(std::string_view key_result_id)>& linkable);

}  // namespace pmo::okr::domain
