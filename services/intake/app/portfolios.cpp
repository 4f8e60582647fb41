// Portfolios: create, read, list and update. A portfolio's currency never changes
// (every amount of its initiatives is in it); its budgets and capacities feed approval.
#include "pmo/base/errors.h"
#include "pmo/common/use_cases.h"
#include "services/intake/app/convert.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/domain/updates.h"

namespace pmo::intake::app {

IntakeApp::IntakeApp(store::IntakeStore& store, Metrics* metrics, const Clock& clock)
    : store_(store), clock_(clock), metrics_(metrics), cache_(store) {}

absl::StatusOr<v1::Portfolio> IntakeApp::CreatePortfolio(const v1::CreatePortfolioRequest& req, const CallContext& ctx) {
  Violations v;
  ValidateId(req.portfolio_id(), "portfolio_id", v);
  auto request = FromProto(req.portfolio(), v);
  std::string id = req.portfolio_id().empty() ? NewUuid() : req.portfolio_id();
  auto created = domain::CreatePortfolio(std::move(request), id);
  if (auto s = MergeViolations(v, created.status(), "invalid portfolio"); !s.ok()) return s;
  v1::Portfolio snapshot = ToProto(*created);
  v1::PortfolioChanged changed;
  *changed.mutable_portfolio() = snapshot;
  changed.set_created(true);
  if (auto s = store_.CreatePortfolio(snapshot, changed, ctx); !s.ok()) return s;
  return snapshot;
}

absl::StatusOr<v1::Portfolio> IntakeApp::GetPortfolio(const v1::GetPortfolioRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto p = store_.GetPortfolio(req.portfolio_id());
  if (!p.ok()) return p.status();
  return p->value;
}

absl::StatusOr<v1::ListPortfoliosResponse> IntakeApp::ListPortfolios(const v1::ListPortfoliosRequest& req) {
  auto size = PageSize(req.page(), IntakeApp::kDefaultPageSize, IntakeApp::kMaxPageSize);
  if (!size.ok()) return size.status();
  auto ids = store_.PortfolioIdsAfter(req.page().page_token(), *size + 1);
  if (!ids.ok()) return ids.status();
  bool more = static_cast<int>(ids->size()) > *size;
  if (more) ids->pop_back();
  auto portfolios = store_.GetPortfolios(*ids);
  if (!portfolios.ok()) return portfolios.status();
  v1::ListPortfoliosResponse out;
  for (auto& p : *portfolios) *out.add_portfolios() = std::move(p);
  if (more && !ids->empty()) out.mutable_page()->set_next_page_token(ids->back());
  return out;
}

absl::StatusOr<v1::Portfolio> IntakeApp::UpdatePortfolio(const v1::UpdatePortfolioRequest& req, const CallContext& ctx) {
  const std::string& id = req.portfolio().id();
  if (id.empty()) return InvalidArgument("invalid portfolio", {{"portfolio.id", "is required"}});
  auto current = store_.GetPortfolio(id);
  if (!current.ok()) return current.status();
  Violations v;
  auto request = FromProto(req.portfolio(), v);
  auto updated = domain::UpdatePortfolio(FromStored(current->value), request, req.expected_version());
  if (auto s = MergeViolations(v, updated.status(), "invalid portfolio"); !s.ok()) return s;
  v1::Portfolio snapshot = ToProto(*updated);
  v1::PortfolioChanged changed;
  *changed.mutable_portfolio() = snapshot;
  if (auto s = store_.UpdatePortfolio(snapshot, current->version, changed, ctx); !s.ok()) return s;
  return snapshot;
}

}  // namespace pmo::intake::app
