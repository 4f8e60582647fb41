#include "services/intake/app/snapshot_cache.h"

namespace pmo::intake::app {

absl::StatusOr<std::shared_ptr<const v1::Initiative>> SnapshotCache::Initiative(const std::string& initiative_id) {
  {
    std::lock_guard lock(snapshot_mu_);
    if (auto it = snapshots_.find(initiative_id); it != snapshots_.end()) return it->second;
  }
  auto fresh = store_.GetInitiative(initiative_id);
  if (!fresh.ok()) return fresh.status();
  auto shared = std::make_shared<const v1::Initiative>(std::move(fresh->value));
  std::lock_guard lock(snapshot_mu_);
  snapshots_[initiative_id] = shared;
  return shared;
}

void SnapshotCache::Remember(const v1::Initiative& snapshot) {
  auto shared = std::make_shared<const v1::Initiative>(snapshot);
  std::lock_guard lock(snapshot_mu_);
  if (snapshots_.size() >= kMaxSnapshots && !snapshots_.contains(snapshot.id())) snapshots_.clear();
  snapshots_[snapshot.id()] = std::move(shared);
}

void SnapshotCache::Forget(const std::string& initiative_id) {
  std::lock_guard lock(snapshot_mu_);
  snapshots_.erase(initiative_id);
}

absl::StatusOr<std::string> SnapshotCache::PortfolioCurrency(const std::string& portfolio_id) {
  {
    std::lock_guard lock(currency_mu_);
    if (auto it = currencies_.find(portfolio_id); it != currencies_.end()) return it->second;
  }
  auto portfolio = store_.GetPortfolio(portfolio_id);
  if (!portfolio.ok()) return portfolio.status();
  std::lock_guard lock(currency_mu_);
  currencies_[portfolio_id] = portfolio->value.currency();
  return portfolio->value.currency();
}

}  // namespace pmo::intake::app
