#include "services/benefits/store/benefit_cache.h"

namespace pmo::benefits::store {

std::shared_ptr<const StoredBenefit> BenefitCache::Find(const std::string& benefit_id) const {
  std::lock_guard lock(mu_);
  auto it = benefits_.find(benefit_id);
  return it == benefits_.end() ? nullptr : it->second;
}

void BenefitCache::Put(std::shared_ptr<const StoredBenefit> benefit) {
  const std::string id = benefit->snapshot.benefit_id();
  std::lock_guard lock(mu_);
  // Full: start again rather than track recency; a miss costs one read.
  if (benefits_.size() >= capacity_ && !benefits_.contains(id)) benefits_.clear();
  benefits_[id] = std::move(benefit);
}

void BenefitCache::Drop(const std::string& benefit_id) {
  std::lock_guard lock(mu_);
  benefits_.erase(benefit_id);
}

void BenefitCache::DropUnlessAt(const std::string& benefit_id, int64_t version) {
  std::lock_guard lock(mu_);
  if (auto it = benefits_.find(benefit_id); it != benefits_.end() && it->second->version != version)
    benefits_.erase(it);
}

std::optional<std::string> BenefitCache::PortfolioOf(const std::string& benefit_id) const {
  std::lock_guard lock(mu_);
  if (auto it = portfolio_of_.find(benefit_id); it != portfolio_of_.end()) return it->second;
  return std::nullopt;
}

void BenefitCache::PutPortfolio(const std::string& benefit_id, const std::string& portfolio_id) {
  std::lock_guard lock(mu_);
  if (portfolio_of_.size() >= capacity_) portfolio_of_.clear();
  portfolio_of_[benefit_id] = portfolio_id;
}

}  // namespace pmo::benefits::store
