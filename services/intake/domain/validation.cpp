#include "services/intake/domain/validation.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pmo/base/errors.h"
#include "pmo/base/validation.h"

namespace pmo::intake::domain {
namespace {

std::string Q(const Quarter& quarter) { return FormatQuarter(quarter); }

std::string Range(const Quarter& first, const Quarter& last) { return absl::StrCat(Q(first), "..", Q(last)); }

void CheckNonNegativeHours(double hours, const std::string& path, Violations& out) {
  if (CheckFinite(hours, path, out) && hours < 0) out.Add(path, "hours must not be negative");
}

void CheckOptionalDate(const std::optional<Date>& date, const std::string& path, Violations& out) {
  if (date) CheckDate(*date, path, out);
}

// Path of the first initiative on a dependency chain from `start` back to `self`, or
// empty when `start` does not lead back. Depth-first with a visited set, so a cycle
// elsewhere in the graph cannot trap it.
std::vector<std::string> FindCycle(const std::string& self, const std::string& start,
                                   const DependencyLookup& lookup) {
  std::set<std::string> visited;
  std::vector<std::string> path;
  std::function<bool(const std::string&)> visit = [&](const std::string& node) -> bool {
    if (node == self) return true;
    if (!visited.insert(node).second) return false;
    path.push_back(node);
    if (auto deps = lookup(node)) {
      for (const auto& next : *deps) {
        if (visit(next)) return true;
      }
    }
    path.pop_back();
    return false;
  };
  if (visit(start)) return path;
  return {};
}

void CheckDependencies(const Initiative& initiative, const DependencyLookup& lookup, Violations& out) {
  const auto& deps = initiative.dependencies;
  if (deps.size() > kMaxDependencies) {
    out.Add("dependencies", absl::StrCat("has ", deps.size(), " entries; at most ", kMaxDependencies, " are allowed"));
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < deps.size(); ++i) {
    const std::string path = absl::StrCat("dependencies[", i, "]");
    const std::string& dep = deps[i];
    if (IsBlank(dep)) {
      out.Add(path, "must not be empty");
      continue;
    }
    if (!initiative.id.empty() && dep == initiative.id) {
      out.Add(path, "an initiative cannot depend on itself");
      continue;
    }
    if (!seen.insert(dep).second) {
      out.Add(path, absl::StrCat("duplicate dependency on ", dep));
      continue;
    }
    if (!lookup || !lookup(dep)) {
      out.Add(path, absl::StrCat("unknown initiative ", dep));
      continue;
    }
    if (initiative.id.empty()) continue;  // nothing can depend on an initiative without an id yet
    if (auto cycle = FindCycle(initiative.id, dep, lookup); !cycle.empty()) {
      out.Add(path, absl::StrCat("dependency cycle: ", initiative.id, " -> ", absl::StrJoin(cycle, " -> "), " -> ",
                                 initiative.id));
    }
  }
}

void CheckBenefits(const Initiative& initiative, bool start_usable, std::string_view currency, Violations& out) {
  const auto& benefits = initiative.benefits;
  if (benefits.size() > kMaxBenefits) {
    out.Add("benefits", absl::StrCat("has ", benefits.size(), " entries; at most ", kMaxBenefits, " are allowed"));
  }
  for (size_t i = 0; i < benefits.size(); ++i) {
    const Benefit& b = benefits[i];
    const std::string path = absl::StrCat("benefits[", i, "]");
    if (b.category == BenefitCategory::kUnspecified) out.Add(path + ".category", "must be set");
    CheckRequiredText(b.metric, kMaxNameLength, path + ".metric", out);
    CheckLength(b.unit, kMaxNameLength, path + ".unit", out);
    CheckLength(b.owner, kMaxNameLength, path + ".owner", out);
    const bool baseline_finite = !b.baseline || CheckFinite(*b.baseline, path + ".baseline", out);
    const bool target_finite = !b.target || CheckFinite(*b.target, path + ".target", out);
    if (b.baseline && b.target && baseline_finite && target_finite && *b.baseline == *b.target) {
      out.Add(path + ".target", "must differ from the baseline; a benefit has to change something");
    }
    CheckOptionalDate(b.target_date, path + ".target_date", out);
    if (start_usable && b.target_date && IsValidDate(*b.target_date) &&
        *b.target_date < FirstDayOf(initiative.start_quarter)) {
      out.Add(path + ".target_date", absl::StrCat(FormatDate(*b.target_date), " is before the initiative starts (",
                                                  FormatDate(FirstDayOf(initiative.start_quarter)), ")"));
    }
    CheckMoney(b.value_per_unit, path + ".value_per_unit", currency, out);
  }
}

void CheckBusinessCase(const BusinessCase& bc, std::string_view currency, Violations& out) {
  const std::string strategic = "business_case.strategic";
  CheckLength(bc.strategic.problem, kMaxTextLength, strategic + ".problem", out);
  CheckLength(bc.strategic.value_hypothesis, kMaxTextLength, strategic + ".value_hypothesis", out);
  const auto& krs = bc.strategic.key_results;
  if (krs.size() > kMaxKeyResults) {
    out.Add(strategic + ".key_results",
            absl::StrCat("has ", krs.size(), " entries; at most ", kMaxKeyResults, " are allowed"));
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < krs.size(); ++i) {
    const std::string path = absl::StrCat(strategic, ".key_results[", i, "]");
    if (IsBlank(krs[i].key_result_id)) {
      out.Add(path + ".key_result_id", "must not be empty");
    } else if (!seen.insert(krs[i].key_result_id).second) {
      out.Add(path + ".key_result_id", absl::StrCat("key result ", krs[i].key_result_id, " is listed twice"));
    }
    CheckUnitInterval(krs[i].contribution_weight, path + ".contribution_weight", out);
  }
  CheckMoney(bc.economic.expected_value, "business_case.economic.expected_value", currency, out);
  CheckMoney(bc.financial.total_cost, "business_case.financial.total_cost", currency, out);
  CheckLength(bc.financial.funding_source, kMaxNameLength, "business_case.financial.funding_source", out);
  CheckLength(bc.commercial.strategy, kMaxTextLength, "business_case.commercial.strategy", out);
  CheckLength(bc.management.delivery_risk, kMaxTextLength, "business_case.management.delivery_risk", out);
}

}  // namespace

void CheckMoney(const Money& money, const std::string& path, std::string_view currency, Violations& out) {
  if (money.minor_units < 0) out.Add(path, "must not be negative");
  const bool given = money.minor_units != 0 || !money.currency.empty();
  if (given && !currency.empty() && money.currency != currency) {
    out.Add(path + ".currency", absl::StrCat("is \"", money.currency,
                                             "\"; amounts must be in the portfolio's currency ", AbslView(currency)));
  }
}

absl::Status ValidatePortfolio(const Portfolio& p) {
  Violations out;
  CheckRequiredText(p.name, kMaxNameLength, "name", out);
  const bool currency_ok = IsIso4217Shaped(p.currency);
  if (!currency_ok) out.Add("currency", "must be an ISO 4217 code of three upper-case letters");
  // Amounts are compared with the currency only once it is one; otherwise every
  // budget would repeat the currency problem.
  const std::string_view currency = currency_ok ? std::string_view(p.currency) : std::string_view();
  const bool first_ok = CheckQuarter(p.first_quarter, "first_quarter", out);
  const bool last_ok = CheckQuarter(p.last_quarter, "last_quarter", out);
  const bool range_ok = first_ok && last_ok && p.first_quarter <= p.last_quarter;
  if (first_ok && last_ok && !range_ok) {
    out.Add("last_quarter", absl::StrCat(Q(p.last_quarter), " is before first_quarter ", Q(p.first_quarter)));
  }
  for (const auto& [quarter, budget] : p.budget_per_quarter) {
    const std::string path = absl::StrCat("budget_per_quarter[", Q(quarter), "]");
    if (CheckQuarter(quarter, path, out) && range_ok && !InRange(quarter, p.first_quarter, p.last_quarter)) {
      out.Add(path, absl::StrCat("is outside the portfolio's range ", Range(p.first_quarter, p.last_quarter)));
    }
    CheckMoney(budget, path, currency, out);
  }
  if (p.capacity_hours.size() > kMaxSkills) {
    out.Add("capacity_hours",
            absl::StrCat("has ", p.capacity_hours.size(), " skills; at most ", kMaxSkills, " are allowed"));
  }
  for (const auto& [skill, per_quarter] : p.capacity_hours) {
    const std::string skill_path = absl::StrCat("capacity_hours[", skill, "]");
    if (IsBlank(skill)) out.Add(skill_path, "skill name must not be empty");
    CheckLength(skill, kMaxNameLength, skill_path, out);
    for (const auto& [quarter, hours] : per_quarter) {
      const std::string path = absl::StrCat(skill_path, "[", Q(quarter), "]");
      if (CheckQuarter(quarter, path, out) && range_ok && !InRange(quarter, p.first_quarter, p.last_quarter)) {
        out.Add(path, absl::StrCat("is outside the portfolio's range ", Range(p.first_quarter, p.last_quarter)));
      }
      CheckNonNegativeHours(hours, path, out);
    }
  }
  if (p.wip_limit < 0) out.Add("wip_limit", "must not be negative (0 means no limit)");
  return out.ToStatus("invalid portfolio");
}

absl::Status ValidateInitiative(const Initiative& in, const Portfolio& portfolio, const DependencyLookup& lookup) {
  Violations out;
  const std::string_view currency = portfolio.currency;
  if (in.portfolio_id != portfolio.id) {
    out.Add("portfolio_id", absl::StrCat("is \"", in.portfolio_id, "\" but is validated against portfolio \"",
                                         portfolio.id, "\""));
  }
  CheckRequiredText(in.title, kMaxTitleLength, "title", out);
  CheckLength(in.description, kMaxTextLength, "description", out);
  CheckLength(in.sponsor, kMaxNameLength, "sponsor", out);
  CheckLength(in.owner, kMaxNameLength, "owner", out);

  // Quarters: each end must exist and lie in the portfolio's range, and end >= start.
  const auto check_in_portfolio = [&](const Quarter& quarter, const std::string& path) {
    if (!CheckQuarter(quarter, path, out)) return false;
    if (!InRange(quarter, portfolio.first_quarter, portfolio.last_quarter)) {
      out.Add(path, absl::StrCat(Q(quarter), " is outside the portfolio's range ",
                                 Range(portfolio.first_quarter, portfolio.last_quarter)));
    }
    return true;
  };
  const bool start_ok = check_in_portfolio(in.start_quarter, "start_quarter");
  const bool end_ok = check_in_portfolio(in.end_quarter, "end_quarter");
  const bool span_ok = start_ok && end_ok && in.start_quarter <= in.end_quarter;
  if (start_ok && end_ok && !span_ok) {
    out.Add("end_quarter", absl::StrCat(Q(in.end_quarter), " is before start_quarter ", Q(in.start_quarter)));
  }
  const auto check_in_span = [&](const Quarter& quarter, const std::string& path) {
    if (CheckQuarter(quarter, path, out) && span_ok && !InRange(quarter, in.start_quarter, in.end_quarter)) {
      out.Add(path, absl::StrCat("is outside the initiative's span ", Range(in.start_quarter, in.end_quarter)));
    }
  };

  for (const auto& [quarter, cost] : in.cost_per_quarter) {
    const std::string path = absl::StrCat("cost_per_quarter[", Q(quarter), "]");
    check_in_span(quarter, path);
    CheckMoney(cost, path, currency, out);
  }
  for (const auto& [skill, per_quarter] : in.effort_hours) {
    const std::string skill_path = absl::StrCat("effort_hours[", skill, "]");
    if (!portfolio.capacity_hours.contains(skill)) {
      out.Add(skill_path, absl::StrCat("unknown skill \"", skill, "\"; the portfolio plans capacity for ",
                                       portfolio.capacity_hours.empty() ? "no skills" : "",
                                       absl::StrJoin(portfolio.capacity_hours, ", ",
                                                     [](std::string* o, const auto& e) { o->append(e.first); })));
    }
    for (const auto& [quarter, hours] : per_quarter) {
      const std::string path = absl::StrCat(skill_path, "[", Q(quarter), "]");
      check_in_span(quarter, path);
      CheckNonNegativeHours(hours, path, out);
    }
  }

  CheckBusinessCase(in.business_case, currency, out);

  if (in.ratings.size() > kMaxRatings) {
    out.Add("ratings", absl::StrCat("has ", in.ratings.size(), " entries; at most ", kMaxRatings, " are allowed"));
  }
  for (const auto& [criterion, rating] : in.ratings) {
    const std::string path = absl::StrCat("ratings[", criterion, "]");
    if (IsBlank(criterion)) out.Add(path, "criterion key must not be empty");
    CheckFinite(rating, path, out);
  }

  CheckUnitInterval(in.risk.probability, "risk.probability", out);
  if (CheckFinite(in.risk.impact, "risk.impact", out) && in.risk.impact < 0) {
    out.Add("risk.impact", "must not be negative");
  }

  CheckOptionalDate(in.urgency.deadline, "urgency.deadline", out);
  CheckMoney(in.urgency.cost_of_delay_per_week, "urgency.cost_of_delay_per_week", currency, out);

  CheckDependencies(in, lookup, out);
  CheckBenefits(in, start_ok, currency, out);
  return out.ToStatus("invalid initiative");
}

absl::Status ValidateProgressReport(const ProgressReport& r, std::string_view currency) {
  Violations out;
  if (!IsValidDate(r.as_of)) out.Add("as_of", "must be a valid date");
  if (CheckFinite(r.percent_complete, "percent_complete", out) &&
      (r.percent_complete < 0 || r.percent_complete > 100)) {
    out.Add("percent_complete", absl::StrCat("must be between 0 and 100, got ", r.percent_complete));
  }
  CheckMoney(r.actual_spend_to_date, "actual_spend_to_date", currency, out);
  CheckMoney(r.forecast_at_completion, "forecast_at_completion", currency, out);
  CheckUnitInterval(r.delivery_confidence, "delivery_confidence", out);
  if (r.milestones.size() > kMaxMilestones) {
    out.Add("milestones",
            absl::StrCat("has ", r.milestones.size(), " entries; at most ", kMaxMilestones, " are allowed"));
  }
  for (size_t i = 0; i < r.milestones.size(); ++i) {
    const std::string path = absl::StrCat("milestones[", i, "]");
    CheckRequiredText(r.milestones[i].name, kMaxNameLength, path + ".name", out);
    CheckOptionalDate(r.milestones[i].due, path + ".due", out);
  }
  CheckLength(r.note, kMaxTextLength, "note", out);
  return out.ToStatus("invalid progress report");
}

}  // namespace pmo::intake::domain
