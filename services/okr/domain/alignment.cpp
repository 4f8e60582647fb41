#include "services/okr/domain/alignment.h"

#include <cmath>
#include <set>

#include "services/okr/domain/validation.h"

namespace pmo::okr::domain {

bool IsMeasurableLink(const KeyResult& key_result, const Objective* objective) {
  return objective != nullptr && !key_result.retired && IsMeasurable(key_result, *objective).measurable;
}

ProposalLinks LinksFromProposal(const std::string& initiative_id, const std::vector<ProposedKeyResult>& proposed,
                                const std::vector<std::string>& linked_by_person,
                                const std::function<bool(std::string_view key_result_id)>& linkable) {
  ProposalLinks out;
  std::set<std::string, std::less<>> taken(linked_by_person.begin(), linked_by_person.end());
  for (const ProposedKeyResult& p : proposed) {
    if (taken.contains(p.key_result_id)) continue;
    const double c = p.contribution_weight;
    if (!linkable(p.key_result_id) || !std::isfinite(c) || c < 0 || c > 1) {
      out.not_linked.push_back(p.key_result_id);
      continue;
    }
    out.links.push_back(Link{p.key_result_id, initiative_id, c});
    taken.insert(p.key_result_id);
  }
  return out;
}

}  // namespace pmo::okr::domain
