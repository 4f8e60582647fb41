#include "services/okr/store/keys.h"

#include <string_view>

namespace pmo::okr::store::keys {
namespace {
std::string Tagged(const std::string& p, std::string_view suffix) {
  return "pmo:okr:{" + p + "}:" + std::string(suffix);
}
}  // namespace

std::string Objectives(const std::string& p) { return Tagged(p, "objectives"); }
std::string ObjectiveVersions(const std::string& p) { return Tagged(p, "objective-versions"); }
std::string KeyResults(const std::string& p) { return Tagged(p, "key-results"); }
std::string KeyResultVersions(const std::string& p) { return Tagged(p, "key-result-versions"); }
std::string CheckIns(const std::string& p, const std::string& kr) { return Tagged(p, "check-ins:" + kr); }
std::string Alignments(const std::string& p) { return Tagged(p, "alignments"); }
std::string AlignmentVersions(const std::string& p) { return Tagged(p, "alignment-versions"); }
std::string Initiatives(const std::string& p) { return Tagged(p, "initiatives"); }
std::string InitiativeVersions(const std::string& p) { return Tagged(p, "initiative-versions"); }

}  // namespace pmo::okr::store::keys
