#include "services/benefits/domain/value.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"

namespace pmo::benefits::domain {
namespace {

bool IsIso4217Shaped(std::string_view code) {
  return code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

absl::Status Add(int64_t& sum, int64_t amount, std::string_view what) {
  if (__builtin_add_overflow(sum, amount, &sum)) {
    return absl::OutOfRangeError(absl::StrCat("the ", AbslView(what), " value does not fit in 64-bit minor units"));
  }
  return absl::OkStatus();
}

void CheckCost(const Money& cost, std::string_view currency, const std::string& path, Violations& out) {
  if (cost.minor_units < 0) out.Add(path, "must not be negative");
  if (cost.currency != currency) {
    out.Add(path + ".currency",
            absl::StrCat("is \"", cost.currency, "\"; the value is reported in ", AbslView(currency)));
  }
}

std::optional<double> Ratio(int64_t numerator, int64_t denominator) {
  if (denominator <= 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

// Sums without re-checking currency and cost; the callers have.
absl::StatusOr<ValueSummary> Sum(std::span<const BenefitValue* const> values, std::string_view currency,
                                 const std::optional<int64_t>& cost) {
  ValueSummary s;
  s.currency = std::string(currency);
  s.cost_minor_units = cost;
  for (const BenefitValue* v : values) {
    ++s.benefit_count;
    ++s.benefits_by_status[v->status];
    if (!v->planned) continue;
    if (v->planned->currency != currency) {
      s.other_currency_benefit_ids.push_back(v->benefit_id);
      continue;
    }
    ++s.monetised_count;
    if (absl::Status st = Add(s.planned_minor_units, v->planned->minor_units, "planned"); !st.ok()) return st;
    if (v->realised) {
      if (absl::Status st = Add(s.realised_minor_units, v->realised->minor_units, "realised"); !st.ok()) return st;
    }
  }
  if (cost && *cost > 0) {
    // Differences in double: a 64-bit difference of two in-range sums could overflow.
    const auto c = static_cast<double>(*cost);
    s.planned_roi = (static_cast<double>(s.planned_minor_units) - c) / c;
    s.realised_roi = (static_cast<double>(s.realised_minor_units) - c) / c;
  }
  s.realisation_rate = Ratio(s.realised_minor_units, s.planned_minor_units);
  return s;
}

}  // namespace

absl::StatusOr<BenefitValue> ValueOf(const Benefit& benefit, const std::optional<double>& latest,
                                     BenefitStatus status) {
  BenefitValue value;
  value.benefit_id = benefit.id;
  value.initiative_id = benefit.initiative_id;
  value.status = status;
  if (benefit.category != BenefitCategory::kFinancial || !benefit.value_per_unit) return value;
  const Money& per_unit = *benefit.value_per_unit;
  auto amount = [&](double units, std::string_view what) -> absl::StatusOr<Money> {
    const double minor = std::round(units * static_cast<double>(per_unit.minor_units));
    if (!(std::abs(minor) <= kMaxValueMinorUnits)) {  // also refuses NaN
      return absl::OutOfRangeError(
          absl::StrCat("the ", AbslView(what), " value of benefit ", benefit.id, " exceeds 10^17 minor units"));
    }
    return Money{static_cast<int64_t>(minor), per_unit.currency};
  };
  const double sign = DirectionOf(benefit) == Direction::kIncrease ? 1.0 : -1.0;
  absl::StatusOr<Money> planned = amount(std::abs(benefit.target - benefit.baseline), "planned");
  if (!planned.ok()) return planned.status();
  absl::StatusOr<Money> realised =
      amount(latest ? std::max(0.0, (*latest - benefit.baseline) * sign) : 0.0, "realised");
  if (!realised.ok()) return realised.status();
  value.planned = *std::move(planned);
  value.realised = *std::move(realised);
  return value;
}

absl::StatusOr<ValueSummary> SummariseValue(std::span<const BenefitValue> values, std::string_view currency,
                                            const std::optional<Money>& cost) {
  Violations out;
  if (!IsIso4217Shaped(currency)) out.Add("currency", "must be an ISO 4217 code of three upper-case letters");
  if (cost) CheckCost(*cost, currency, "cost", out);
  if (!out.empty()) return out.ToStatus("invalid value query");
  std::vector<const BenefitValue*> pointers;
  pointers.reserve(values.size());
  for (const BenefitValue& v : values) pointers.push_back(&v);
  return Sum(pointers, currency, cost ? std::optional<int64_t>(cost->minor_units) : std::nullopt);
}

absl::StatusOr<PortfolioValue> SummarisePortfolio(std::span<const BenefitValue> values, std::string_view currency,
                                                  const std::map<std::string, Money>& cost_by_initiative) {
  Violations out;
  if (!IsIso4217Shaped(currency)) out.Add("currency", "must be an ISO 4217 code of three upper-case letters");
  int64_t total_cost = 0;
  for (const auto& [initiative_id, cost] : cost_by_initiative) {
    CheckCost(cost, currency, absl::StrCat("cost_by_initiative[", initiative_id, "]"), out);
    if (absl::Status st = Add(total_cost, cost.minor_units, "total cost"); !st.ok()) return st;
  }
  if (!out.empty()) return out.ToStatus("invalid value query");

  std::map<std::string, std::vector<const BenefitValue*>> grouped;
  std::vector<const BenefitValue*> all;
  all.reserve(values.size());
  for (const BenefitValue& v : values) {
    grouped[v.initiative_id].push_back(&v);
    all.push_back(&v);
  }
  for (const auto& [initiative_id, cost] : cost_by_initiative) grouped.try_emplace(initiative_id);

  PortfolioValue result;
  for (const auto& [initiative_id, members] : grouped) {
    std::optional<int64_t> cost;
    if (auto it = cost_by_initiative.find(initiative_id); it != cost_by_initiative.end()) {
      cost = it->second.minor_units;
    }
    absl::StatusOr<ValueSummary> summary = Sum(members, currency, cost);
    if (!summary.ok()) return summary.status();
    result.by_initiative.emplace(initiative_id, *std::move(summary));
  }
  absl::StatusOr<ValueSummary> total =
      Sum(all, currency, cost_by_initiative.empty() ? std::nullopt : std::optional<int64_t>(total_cost));
  if (!total.ok()) return total.status();
  result.total = *std::move(total);
  return result;
}

}  // namespace pmo::benefits::domain
