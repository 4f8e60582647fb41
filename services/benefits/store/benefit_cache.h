// The benefits store's memory of what it recently wrote or read: benefits with their
// series (so a measurement needs one Redis round trip instead of two) and the portfolio
// of each benefit (which never changes). Bounded; thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "services/benefits/store/benefits_store.h"

namespace pmo::benefits::store {

class BenefitCache {
 public:
  explicit BenefitCache(size_t capacity) : capacity_(capacity) {}

  std::shared_ptr<const StoredBenefit> Find(const std::string& benefit_id) const;
  void Put(std::shared_ptr<const StoredBenefit> benefit);
  void Drop(const std::string& benefit_id);
  // Drops the copy unless it is at `version`: another replica wrote the benefit.
  void DropUnlessAt(const std::string& benefit_id, int64_t version);

  std::optional<std::string> PortfolioOf(const std::string& benefit_id) const;
  void PutPortfolio(const std::string& benefit_id, const std::string& portfolio_id);

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const StoredBenefit>> benefits_;
  std::unordered_map<std::string, std::string> portfolio_of_;
};

}  // namespace pmo::benefits::store
