#include "services/reporting/domain/insights.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/reporting/domain/kpis.h"

namespace pmo::reporting::domain {

namespace {
std::string Num(double x) { return absl::StrFormat("%.4g", x); }
std::string Pct(double share) { return absl::StrFormat("%.0f%%", share * 100); }
}  // namespace

std::vector<Insight> Insights(const std::vector<InitiativeEvidence>& initiatives, int wip_limit,
                              const ReviewRules& rules, const InsightOptions& options) {
  std::vector<Insight> out;
  int active = 0;
  for (const auto& e : initiatives) {
    bool is_active = e.stage == "ACTIVE";
    if (is_active) ++active;
    for (const auto& b : e.benefits) {
      std::string name = b.metric.empty() ? b.benefit_id : b.metric;
      std::vector<std::pair<std::string, std::string>> ev{{"status", std::string(BenefitStatusName(b.status))}};
      if (b.realised_share) ev.push_back({"realised", Pct(*b.realised_share)});
      if (b.forecast_share) ev.push_back({"forecast at target date", Pct(*b.forecast_share)});
      if (!b.status_reason.empty()) ev.push_back({"reason", b.status_reason});
      if (IsEroding(b)) {
        out.push_back({"BENEFIT_ERODING", "high", e.initiative_id, b.benefit_id,
                       absl::StrCat(e.title, ": ", name, " was realised and has fallen back"), ev});
      } else if (b.status == BenefitStatus::kAtRisk || b.status == BenefitStatus::kOffTrack) {
        out.push_back({"BENEFIT_AT_RISK", b.status == BenefitStatus::kOffTrack ? "high" : "medium", e.initiative_id,
                       b.benefit_id,
                       absl::StrCat(e.title, ": ", name, " is ", std::string(BenefitStatusName(b.status))), ev});
      }
    }
    for (const auto& k : e.key_results) {
      if (!k.confidence || !k.previous_confidence) continue;
      double drop = *k.previous_confidence - *k.confidence;
      if (drop + 1e-12 < options.confidence_drop) continue;
      out.push_back({"KR_CONFIDENCE_FALLING", *k.confidence < rules.pivot_confidence ? "high" : "medium",
                     e.initiative_id, k.key_result_id,
                     absl::StrCat(e.title, ": confidence in key result ", k.key_result_id, " fell from ",
                                  Pct(*k.previous_confidence), " to ", Pct(*k.confidence)),
                     {{"previous confidence", Num(*k.previous_confidence)}, {"confidence", Num(*k.confidence)}}});
    }
    if (e.budget && *e.budget > 0 && e.forecast_at_completion) {
      double overrun = *e.forecast_at_completion / *e.budget - 1;
      if (overrun > rules.pivot_cost_overrun)
        out.push_back({"OVER_BUDGET", overrun > rules.stop_cost_overrun ? "high" : "medium", e.initiative_id, "",
                       absl::StrCat(e.title, ": forecast ", Pct(overrun), " over budget"),
                       {{"budget", Num(*e.budget)},
                        {"forecast at completion", Num(*e.forecast_at_completion)},
                        {"actual spend", e.actual_spend ? Num(*e.actual_spend) : "n/a"}}});
    }
    if (IsLive(e.stage) && e.key_results.empty())
      out.push_back({"NOT_LINKED", "medium", e.initiative_id, "",
                     absl::StrCat(e.title, " is linked to no key result"), {{"stage", e.stage}}});
    if (is_active && e.rank && e.ranked_count >= 4) {
      int cutoff = e.ranked_count - static_cast<int>(std::floor(e.ranked_count * rules.low_rank_share));
      if (*e.rank > cutoff)
        out.push_back({"LOW_RANK_ACTIVE", "medium", e.initiative_id, "",
                       absl::StrFormat("%s is still ACTIVE but ranked %d of %d", e.title, *e.rank, e.ranked_count),
                       {{"rank", std::to_string(*e.rank)}, {"ranked", std::to_string(e.ranked_count)}}});
    }
  }
  if (wip_limit > 0 && active > wip_limit)
    out.push_back({"WIP_ABOVE_LIMIT", "high", "", "",
                   absl::StrFormat("%d initiatives ACTIVE against a WIP limit of %d", active, wip_limit),
                   {{"active", std::to_string(active)}, {"limit", std::to_string(wip_limit)}}});
  std::stable_sort(out.begin(), out.end(), [](const Insight& a, const Insight& b) {
    // "high" sorts before "medium".
    return std::tie(a.severity, a.kind, a.initiative_id, a.subject_id) <
           std::tie(b.severity, b.kind, b.initiative_id, b.subject_id);
  });
  return out;
}

}  // namespace pmo::reporting::domain
