// The portfolio KPIs a value-steering PMO watches, each with its definition. Inputs are
// the facts the read models keep (built from events only); the functions compute.
//
// Trend: KPIs counted from dated facts (decisions, strategy updates) are computed per
// quarter from those facts. KPIs that describe the portfolio's state (shares, WIP,
// budget use, ROI) take their past quarters from snapshots the projection freezes when
// the first event of a new quarter (by the event's own time) arrives, so a replay of
// the topics rebuilds the same history.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "services/reporting/domain/evidence.h"

namespace pmo::reporting::domain {

struct KpiInitiative {
  std::string initiative_id;
  std::string stage;
  bool linked_to_measurable_kr = false;
  bool linked_to_objective = false;  // at least one link to a key result of an objective
  double planned_cost = 0;           // business case total cost
  double actual_spend = 0;
  double planned_benefit_value = 0;
  double realised_benefit_value = 0;
};

struct DecisionFact {
  std::string initiative_id;
  std::string decision;  // "CONTINUE", "PIVOT", "STOP"
  Date decided_on;
  bool evidence_based = false;  // recorded in an evidence review, against its frozen evidence
};

struct StrategyUpdateFact {
  std::string objective_id;
  int64_t at_ms = 0;  // when okr published StrategyChanged
  // The first delivery adjustment (stage change, decision or re-ranking) of an initiative
  // linked to the objective, after the update.
  std::optional<int64_t> adjusted_at_ms;
};

struct KpiFacts {
  std::vector<KpiInitiative> initiatives;
  int wip_limit = 0;           // 0: none
  double portfolio_budget = 0; // sum of the budget over the portfolio's quarters
  std::vector<DecisionFact> decisions;
  std::vector<StrategyUpdateFact> strategy_updates;
  // Frozen state KPIs of past quarters: quarter "2027Q1" → KPI key → value.
  std::map<std::string, std::map<std::string, double>> snapshots;
};

struct KpiPoint {
  std::string quarter;
  std::optional<double> value;
};

struct Kpi {
  std::string key;
  std::string name;
  std::string definition;
  std::string unit;             // "share", "count", "hours", "ratio"
  std::optional<double> value;  // nothing when there is nothing to measure yet
  std::string detail;           // numerator/denominator or what is pending
  std::vector<KpiPoint> trend;  // oldest first, ending with `period`
};

// The state KPIs' values now (the ones frozen into snapshots).
std::map<std::string, double> StateKpis(const KpiFacts& facts);

// Every KPI for `period`, with a trend over `trend_quarters` quarters ending there.
// `current` is the quarter the state KPIs' live values belong to.
std::vector<Kpi> ComputeKpis(const KpiFacts& facts, const Quarter& period, const Quarter& current,
                             int trend_quarters = 4);

// The quarter (UTC) a time in Unix milliseconds falls in.
Quarter QuarterOfUnixMillis(int64_t unix_ms);

// Live stages: submitted and not yet closed or stopped.
bool IsLive(std::string_view stage);

}  // namespace pmo::reporting::domain
