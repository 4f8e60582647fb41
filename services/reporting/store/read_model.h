// One portfolio's read model as Redis holds it (the hashes the projection writes) and
// its assembly into dashboard rows: this file is where the storage layout is read back.
// Assembly is pure and unit-tested on hand-made hash contents.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/reporting.pb.h"

namespace pmo::reporting::store {

using Fields = std::map<std::string, std::string>;

// The raw read model of one portfolio.
struct PortfolioReadModel {
  std::string portfolio_id;
  std::optional<intake::v1::Portfolio> portfolio;
  std::map<std::string, Fields> initiatives;  // id → its hash
  Fields key_results;                         // kr:<id> / ci:<id> / v:…
  // Per key result, its latest check-ins' "as_of|source|confidence", latest first.
  std::map<std::string, std::vector<std::string>> confidence_history;
  std::map<std::string, okr::v1::ObjectiveChanged> objectives;
};

// One initiative's dashboard row from its hash and the portfolio's key results.
v1::DashboardRow AssembleRow(const std::string& initiative_id, const PortfolioReadModel& model);

// Rows ranked first (by rank), then the unranked by id; totals.
v1::Dashboard AssembleDashboard(const PortfolioReadModel& model);

}  // namespace pmo::reporting::store
