// okr's Redis keys. A portfolio's keys share the {portfolio} hash tag, so one atomic
// write over a portfolio's state stays on one Redis Cluster slot.
#pragma once

#include <string>

namespace pmo::okr::store::keys {

// HASH id → serialized snapshot, and HASH id → version (what the write guards compare).
std::string Objectives(const std::string& portfolio_id);
std::string ObjectiveVersions(const std::string& portfolio_id);
std::string KeyResults(const std::string& portfolio_id);
std::string KeyResultVersions(const std::string& portfolio_id);
// HASH source_id → serialized CheckIn: one key result's history, and its duplicate guard.
std::string CheckIns(const std::string& portfolio_id, const std::string& key_result_id);
// HASH initiative id → serialized Alignment, and HASH initiative id → alignment version.
std::string Alignments(const std::string& portfolio_id);
std::string AlignmentVersions(const std::string& portfolio_id);
// intake read model: HASH initiative id → stage name, HASH initiative id → intake's version.
std::string Initiatives(const std::string& portfolio_id);
std::string InitiativeVersions(const std::string& portfolio_id);
// Which portfolio an id belongs to (ids are unique across portfolios).
inline constexpr char kObjectivePortfolio[] = "pmo:okr:objective-portfolio";
inline constexpr char kKeyResultPortfolio[] = "pmo:okr:key-result-portfolio";
inline constexpr char kInitiativePortfolio[] = "pmo:okr:initiative-portfolio";
inline constexpr char kPortfolios[] = "pmo:okr:portfolios";  // SET of portfolios with objectives

}  // namespace pmo::okr::store::keys
