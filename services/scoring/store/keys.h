// Scoring's Redis keyspace, in one place. Every key of a portfolio carries the
// {portfolio} hash tag, so a move to Redis Cluster keeps a portfolio's keys together.
#pragma once

#include <string>

namespace pmo::scoring::store::keys {

inline std::string Prefix(const std::string& p) { return "pmo:scoring:{" + p + "}:"; }
inline std::string Model(const std::string& p) { return Prefix(p) + "model"; }
inline std::string Initiative(const std::string& p, const std::string& i) { return Prefix(p) + "initiative:" + i; }
inline std::string Score(const std::string& p, const std::string& i) { return Prefix(p) + "score:" + i; }
inline std::string Ranking(const std::string& p) { return Prefix(p) + "ranking"; }      // sorted set of rank keys
inline std::string RankKeys(const std::string& p) { return Prefix(p) + "rank-keys"; }   // id → rank key
inline std::string Initiatives(const std::string& p) { return Prefix(p) + "initiatives"; }
inline std::string Portfolio(const std::string& p) { return Prefix(p) + "portfolio"; }
inline std::string Scenario(const std::string& p, const std::string& s) { return Prefix(p) + "scenario:" + s; }
inline std::string Scenarios(const std::string& p) { return Prefix(p) + "scenarios"; }
inline std::string Alignment(const std::string& p, const std::string& i) { return Prefix(p) + "alignment:" + i; }
inline std::string Objectives(const std::string& p) { return Prefix(p) + "objectives"; }  // id → priority
inline std::string Objective(const std::string& p, const std::string& o) { return Prefix(p) + "objective:" + o; }
inline std::string Benefit(const std::string& p, const std::string& b) { return Prefix(p) + "benefit:" + b; }
// initiative id → (benefit id → expected value in major units)
inline std::string InitiativeBenefits(const std::string& p, const std::string& i) {
  return Prefix(p) + "initiative-benefits:" + i;
}
inline std::string Writes(const std::string& p) { return Prefix(p) + "writes"; }  // bumps on every score write
// Held by the one re-score of the portfolio running (any replica); it expires if that dies.
inline std::string RescoreLease(const std::string& p) { return Prefix(p) + "rescore-lease"; }
// A re-score's rankings built aside until the swap.
inline std::string RankingRebuild(const std::string& p, const std::string& run) { return Ranking(p) + ":rebuild:" + run; }
inline std::string RankKeysRebuild(const std::string& p, const std::string& run) {
  return RankKeys(p) + ":rebuild:" + run;
}
inline constexpr char kInitiativePortfolio[] = "pmo:scoring:initiative-portfolio";
inline constexpr char kRescorePending[] = "pmo:scoring:rescore-pending";  // portfolios whose scores must be redone
inline constexpr char kScenarioPortfolio[] = "pmo:scoring:scenario-portfolio";

}  // namespace pmo::scoring::store::keys
