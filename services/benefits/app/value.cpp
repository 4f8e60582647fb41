#include "services/benefits/app/value.h"

#include <algorithm>
#include <map>

#include "services/benefits/app/convert.h"
#include "services/benefits/domain/value.h"

namespace pmo::benefits::app {
namespace {

// ISO 4217's code for "no currency": the answer's currency when nothing names one.
constexpr char kNoCurrency[] = "XXX";

// The currency a value answer is given in: the one asked for, else the portfolio's
// (intake's events), else the one most monetised benefits use, else "no currency".
std::string ChooseCurrency(const std::string& requested, const std::optional<std::string>& portfolio,
                           const std::vector<domain::BenefitValue>& values) {
  if (!requested.empty()) return requested;
  if (portfolio && !portfolio->empty()) return *portfolio;
  std::map<std::string, int> seen;
  for (const auto& v : values)
    if (v.planned) ++seen[v.planned->currency];
  if (seen.empty()) return kNoCurrency;
  return std::max_element(seen.begin(), seen.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
}

std::vector<domain::BenefitValue> ValuesOf(const store::BenefitsStore::ValueEntries& entries) {
  std::vector<domain::BenefitValue> values;
  values.reserve(entries.size());
  for (const auto& [id, e] : entries) values.push_back(FromEntry(id, e));
  return values;
}

}  // namespace

absl::StatusOr<v1::ValueSummary> ValueQueries::GetInitiativeValue(const v1::GetInitiativeValueRequest& req) {
  store::BenefitsStore& store = deps_.store;
  if (req.initiative_id().empty()) return InvalidArgument("invalid request", {{"initiative_id", "is required"}});
  auto p = store.PortfolioOfInitiative(req.initiative_id());
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("initiative " + req.initiative_id() + " is not known to the benefits service");
  auto ids = store.BenefitIds(**p, req.initiative_id(), "", -1);
  if (!ids.ok()) return ids.status();
  auto entries = store.Values(**p, *ids);
  if (!entries.ok()) return entries.status();
  auto info = store.GetInitiative(**p, req.initiative_id());
  if (!info.ok()) return info.status();
  auto portfolio_currency = store.PortfolioCurrency(**p);
  if (!portfolio_currency.ok()) return portfolio_currency.status();
  const std::vector<domain::BenefitValue> values = ValuesOf(*entries);
  std::optional<domain::Money> cost;
  if (*info && (*info)->cost_known()) cost = FromProto((*info)->cost());
  std::string currency = ChooseCurrency(req.currency(), *portfolio_currency, values);
  if (req.currency().empty() && currency == kNoCurrency && cost) currency = cost->currency;
  // A cost held in another currency (intake's portfolio event not seen yet, or another
  // currency asked for) leaves the ROI unknown; stored data is never the caller's error.
  if (cost && cost->currency != currency) cost.reset();
  auto summary = domain::SummariseValue(values, currency, cost);
  if (!summary.ok()) return summary.status();
  return ToProto(*summary, req.initiative_id());
}

absl::StatusOr<v1::PortfolioValue> ValueQueries::GetPortfolioValue(const v1::GetPortfolioValueRequest& req) {
  store::BenefitsStore& store = deps_.store;
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  const std::string& p = req.portfolio_id();
  // The per-benefit derived state kept on every write: never the measurements.
  auto entries = store.Values(p);
  if (!entries.ok()) return entries.status();
  auto costs = store.Costs(p);
  if (!costs.ok()) return costs.status();
  auto portfolio_currency = store.PortfolioCurrency(p);
  if (!portfolio_currency.ok()) return portfolio_currency.status();
  if (entries->empty() && costs->empty() && !*portfolio_currency)
    return absl::NotFoundError("portfolio " + p + " is not known to the benefits service");
  const std::vector<domain::BenefitValue> values = ValuesOf(*entries);
  std::string currency = ChooseCurrency(req.currency(), *portfolio_currency, values);
  if (req.currency().empty() && currency == kNoCurrency && !costs->empty()) currency = costs->begin()->second.currency;
  // Costs in another currency leave those initiatives' ROI unknown (see GetInitiativeValue).
  std::erase_if(*costs, [&](const auto& entry) { return entry.second.currency != currency; });
  auto summary = domain::SummarisePortfolio(values, currency, *costs);
  if (!summary.ok()) return summary.status();
  v1::PortfolioValue out;
  out.set_portfolio_id(p);
  *out.mutable_total() = ToProto(summary->total, "");
  out.mutable_by_initiative()->Reserve(static_cast<int>(summary->by_initiative.size()));
  for (const auto& [initiative_id, s] : summary->by_initiative) *out.add_by_initiative() = ToProto(s, initiative_id);
  return out;
}

}  // namespace pmo::benefits::app
