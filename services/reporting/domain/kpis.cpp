#include "services/reporting/domain/kpis.h"

#include <algorithm>

#include "absl/strings/str_format.h"

namespace pmo::reporting::domain {

Quarter QuarterOfUnixMillis(int64_t unix_ms) {
  return calendar::QuarterOf(calendar::DateFromDaysSinceEpoch(unix_ms / 86'400'000));
}

bool IsLive(std::string_view stage) {
  return !stage.empty() && stage != "DRAFT" && stage != "CLOSED" && stage != "STOPPED";
}

namespace {

constexpr char kMeasurableShare[] = "measurable_kr_share";
constexpr char kEvidenceDecisions[] = "evidence_based_decisions";
constexpr char kStrategyLeadTime[] = "strategy_to_adjustment_hours";
constexpr char kContributingShare[] = "active_contributing_share";
constexpr char kRealisationRate[] = "benefits_realisation_rate";
constexpr char kWip[] = "wip_vs_limit";
constexpr char kBudgetUse[] = "budget_use";
constexpr char kRoi[] = "roi_realised_vs_planned";

std::optional<double> Ratio(double num, double den) {
  if (den <= 0) return std::nullopt;
  return num / den;
}

struct StateDetail {
  std::map<std::string, double> values;
  std::map<std::string, std::string> details;
};

StateDetail ComputeState(const KpiFacts& f) {
  StateDetail s;
  int live = 0, measurable = 0, active = 0, contributing = 0;
  double planned_value = 0, realised_value = 0, spend = 0, planned_cost = 0;
  for (const auto& i : f.initiatives) {
    if (IsLive(i.stage)) {
      ++live;
      if (i.linked_to_measurable_kr) ++measurable;
    }
    if (i.stage == "ACTIVE") {
      ++active;
      if (i.linked_to_objective) ++contributing;
    }
    if (i.stage != "DRAFT") {
      planned_value += i.planned_benefit_value;
      realised_value += i.realised_benefit_value;
      spend += i.actual_spend;
      planned_cost += i.planned_cost;
    }
  }
  auto put = [&](const char* key, std::optional<double> v, std::string detail) {
    if (v) s.values[key] = *v;
    s.details[key] = std::move(detail);
  };
  put(kMeasurableShare, Ratio(measurable, live),
      absl::StrFormat("%d of %d live initiatives", measurable, live));
  put(kContributingShare, Ratio(contributing, active),
      absl::StrFormat("%d of %d active initiatives", contributing, active));
  put(kRealisationRate, Ratio(realised_value, planned_value),
      absl::StrFormat("%.0f realised of %.0f planned benefit value", realised_value, planned_value));
  put(kWip, f.wip_limit > 0 ? std::optional<double>(static_cast<double>(active) / f.wip_limit) : std::nullopt,
      f.wip_limit > 0 ? absl::StrFormat("%d active, limit %d", active, f.wip_limit)
                      : absl::StrFormat("%d active, no limit set", active));
  put(kBudgetUse, Ratio(spend, f.portfolio_budget),
      absl::StrFormat("%.0f spent of a %.0f budget", spend, f.portfolio_budget));
  std::optional<double> realised_roi = Ratio(realised_value - spend, spend);
  std::optional<double> planned_roi = Ratio(planned_value - planned_cost, planned_cost);
  // Value per unit of money, realised (so far, per unit spent so far) against planned:
  // comparable early in delivery, unlike ROIs whose spend and cost differ in scale.
  std::optional<double> realised_bcr = Ratio(realised_value, spend);
  std::optional<double> planned_bcr = Ratio(planned_value, planned_cost);
  std::optional<double> roi;
  if (realised_bcr && planned_bcr && *planned_bcr > 0) roi = *realised_bcr / *planned_bcr;
  put(kRoi, roi,
      absl::StrFormat("realised ROI %s against planned ROI %s",
                      realised_roi ? absl::StrFormat("%.0f%%", *realised_roi * 100) : "n/a",
                      planned_roi ? absl::StrFormat("%.0f%%", *planned_roi * 100) : "n/a"));
  return s;
}

struct Def {
  const char* key;
  const char* name;
  const char* unit;
  const char* definition;
  bool state;
};

constexpr Def kDefs[] = {
    {kMeasurableShare, "Initiatives with measurable key results", "share",
     "Live initiatives (submitted, not closed or stopped) linked to at least one key result okr reports as "
     "measurable, over all live initiatives.",
     true},
    {kEvidenceDecisions, "Evidence-based decisions", "count",
     "Continue/pivot/stop decisions recorded in an evidence review (against its frozen evidence) in the quarter.",
     false},
    {kStrategyLeadTime, "Strategy update to delivery adjustment", "hours",
     "Median time from an objective's priority or status change (okr StrategyChanged) to the first delivery "
     "adjustment of an initiative linked to it: a stage change, a decision or a re-ranking. Updates of the quarter.",
     false},
    {kContributingShare, "Active initiatives contributing to an objective", "share",
     "ACTIVE initiatives linked to at least one key result of an objective, over all ACTIVE initiatives.", true},
    {kRealisationRate, "Benefits realisation rate", "share",
     "Money value realised by the latest measurements over the planned value ((target - baseline) x value per "
     "unit), across the benefits of submitted initiatives.",
     true},
    {kWip, "WIP against its limit", "ratio", "ACTIVE initiatives over the portfolio's WIP limit (above 1: over).",
     true},
    {kBudgetUse, "Budget use", "share", "Actual spend to date (progress reports) over the portfolio's budget.", true},
    {kRoi, "Realised against planned ROI", "ratio",
     "Benefit value realised per unit of money spent so far, over the value planned per unit of planned cost "
     "(1 = delivering value at the planned rate). The detail gives both ROIs ((value - cost) / cost).",
     true},
};

std::optional<double> EvidenceDecisions(const KpiFacts& f, const Quarter& q, std::string* detail) {
  int evidence = 0, all = 0;
  for (const auto& d : f.decisions) {
    if (!(calendar::QuarterOf(d.decided_on) == q)) continue;
    ++all;
    if (d.evidence_based) ++evidence;
  }
  if (detail) *detail = absl::StrFormat("%d of %d decisions in the quarter", evidence, all);
  return evidence;
}

std::optional<double> StrategyLeadTime(const KpiFacts& f, const Quarter& q, std::string* detail) {
  std::vector<double> hours;
  int waiting = 0;
  for (const auto& u : f.strategy_updates) {
    if (!(QuarterOfUnixMillis(u.at_ms) == q)) continue;
    if (u.adjusted_at_ms) hours.push_back(static_cast<double>(*u.adjusted_at_ms - u.at_ms) / 3'600'000.0);
    else ++waiting;
  }
  if (detail)
    *detail = absl::StrFormat("%d strategy updates adjusted to, %d still waiting", static_cast<int>(hours.size()),
                              waiting);
  if (hours.empty()) return std::nullopt;
  std::sort(hours.begin(), hours.end());
  size_t n = hours.size();
  return n % 2 ? hours[n / 2] : (hours[n / 2 - 1] + hours[n / 2]) / 2;
}

}  // namespace

std::map<std::string, double> StateKpis(const KpiFacts& facts) { return ComputeState(facts).values; }

std::vector<Kpi> ComputeKpis(const KpiFacts& facts, const Quarter& period, const Quarter& current,
                             int trend_quarters) {
  StateDetail live = ComputeState(facts);
  std::vector<Quarter> quarters;
  Quarter q = period;
  for (int i = 0; i < std::max(trend_quarters, 1); ++i) {
    quarters.push_back(q);
    q = q.q == 1 ? Quarter{q.year - 1, 4} : Quarter{q.year, q.q - 1};
  }
  std::reverse(quarters.begin(), quarters.end());

  std::vector<Kpi> out;
  for (const auto& def : kDefs) {
    Kpi k{def.key, def.name, def.definition, def.unit, std::nullopt, "", {}};
    for (const auto& quarter : quarters) {
      std::optional<double> v;
      std::string detail;
      bool is_period = quarter == period;
      if (def.state) {
        if (quarter == current) {
          auto it = live.values.find(def.key);
          if (it != live.values.end()) v = it->second;
          detail = live.details[def.key];
        } else if (auto snap = facts.snapshots.find(calendar::FormatQuarter(quarter)); snap != facts.snapshots.end()) {
          if (auto it = snap->second.find(def.key); it != snap->second.end()) v = it->second;
          detail = "as frozen at the end of the quarter";
        } else {
          detail = "no events in that quarter";
        }
      } else if (std::string_view(def.key) == kEvidenceDecisions) {
        v = EvidenceDecisions(facts, quarter, &detail);
      } else {
        v = StrategyLeadTime(facts, quarter, &detail);
      }
      k.trend.push_back({calendar::FormatQuarter(quarter), v});
      if (is_period) {
        k.value = v;
        k.detail = detail;
      }
    }
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace pmo::reporting::domain
