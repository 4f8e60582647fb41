// What intake keeps in memory to save Redis round trips on the progress path: recently
// written initiative snapshots and each portfolio's currency (which never changes).
//
// Serving a snapshot from here is safe because every write is guarded by the stored
// version: a snapshot made stale by another replica makes the write answer ABORTED, the
// entry is forgotten and the call is retried from a fresh read.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "pmo/intake/v1/intake.pb.h"
#include "services/intake/store/intake_store.h"

namespace pmo::intake::app {

class SnapshotCache {
 public:
  static constexpr size_t kMaxSnapshots = 50'000;

  explicit SnapshotCache(store::IntakeStore& store) : store_(store) {}

  // The held snapshot, else the stored one (then held).
  absl::StatusOr<std::shared_ptr<const v1::Initiative>> Initiative(const std::string& initiative_id);
  // Holds a snapshot just written (the whole cache is dropped when it is full).
  void Remember(const v1::Initiative& snapshot);
  void Forget(const std::string& initiative_id);

  absl::StatusOr<std::string> PortfolioCurrency(const std::string& portfolio_id);

 private:
  store::IntakeStore& store_;
  std::mutex snapshot_mu_;
  std::unordered_map<std::string, std::shared_ptr<const v1::Initiative>> snapshots_;
  std::mutex currency_mu_;
  std::map<std::string, std::string> currencies_;
};

}  // namespace pmo::intake::app
