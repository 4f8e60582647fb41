// Freezes a portfolio's state KPIs at the end of each quarter: the first event of a later
// quarter (by the event's own time) shows the read model holds the state at the end of
// the previous one. Owns the cache of the latest quarter seen per portfolio (loaded from
// the store once per portfolio; one process projects a portfolio at a time).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "services/reporting/store/read_model_store.h"

namespace pmo::reporting::app {

class DashboardQueries;

class QuarterFreezer {
 public:
  QuarterFreezer(store::ReadModelStore& store, DashboardQueries& dashboards)
      : store_(store), dashboards_(dashboards) {}

  // Called before an event of the portfolio, which occurred at `occurred_at_ms`, is applied.
  absl::Status Observe(const std::string& portfolio_id, int64_t occurred_at_ms);

 private:
  absl::Status Freeze(const std::string& portfolio_id, const std::string& quarter);

  store::ReadModelStore& store_;
  DashboardQueries& dashboards_;
  std::mutex mu_;
  std::map<std::string, std::string> latest_;  // portfolio → latest event quarter seen
};

}  // namespace pmo::reporting::app
