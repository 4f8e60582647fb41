#include "services/reporting/app/quarter_freezer.h"

#include "services/reporting/app/dashboard.h"
#include "services/reporting/domain/kpis.h"
#include "services/reporting/domain/rollup.h"
#include "pmo/base/calendar.h"

namespace pmo::reporting::app {

absl::Status QuarterFreezer::Observe(const std::string& portfolio_id, int64_t occurred_at_ms) {
  if (portfolio_id.empty() || occurred_at_ms <= 0) return absl::OkStatus();
  const std::string quarter = calendar::FormatQuarter(domain::QuarterOfUnixMillis(occurred_at_ms));
  std::lock_guard lock(mu_);
  auto it = latest_.find(portfolio_id);
  if (it == latest_.end()) {
    auto stored = store_.EventQuarter(portfolio_id);
    if (!stored.ok()) return stored.status();
    it = latest_.emplace(portfolio_id, std::move(*stored)).first;
  }
  auto step = domain::StepQuarter(it->second, quarter);
  if (!step.advances) return absl::OkStatus();
  if (step.ended)
    if (auto s = Freeze(portfolio_id, *step.ended); !s.ok()) return s;
  if (auto s = store_.SetEventQuarter(portfolio_id, quarter); !s.ok()) return s;
  it->second = quarter;
  return absl::OkStatus();
}

absl::Status QuarterFreezer::Freeze(const std::string& portfolio_id, const std::string& quarter) {
  auto dashboard = dashboards_.Dashboard(portfolio_id);
  // NOT_FOUND: nothing of the portfolio's state to freeze yet (only okr's objectives, say).
  if (!dashboard.ok())
    return dashboard.status().code() == absl::StatusCode::kNotFound ? absl::OkStatus() : dashboard.status();
  return store_.FreezeQuarter(portfolio_id, quarter, domain::StateKpis(KpiFactsOf(*dashboard)));
}

}  // namespace pmo::reporting::app
