// Reporting's queries over the read models: the dashboard, the KPIs and the insights of a
// portfolio; and the translation of a dashboard row into the evidence and KPI facts the
// domain rules read (reviews use it too).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/reporting/domain/evidence.h"
#include "services/reporting/domain/kpis.h"
#include "services/reporting/store/read_model_store.h"
#include "pmo/common/clock.h"
#include "pmo/reporting/v1/reporting.pb.h"

namespace pmo::reporting::app {

domain::InitiativeEvidence EvidenceOf(const v1::DashboardRow& row, int ranked_count);

// The KPI facts the rows give (decisions, strategy updates and snapshots come from the
// KPI history).
domain::KpiFacts KpiFactsOf(const v1::Dashboard& dashboard);

// Rows with a rank.
int RankedCount(const v1::Dashboard& dashboard);

class DashboardQueries {
 public:
  DashboardQueries(store::ReadModelStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // The portfolio's dashboard as of now; NOT_FOUND before any event of the portfolio.
  absl::StatusOr<v1::Dashboard> Dashboard(const std::string& portfolio_id);

  absl::StatusOr<v1::Dashboard> GetDashboard(const v1::GetDashboardRequest& req);
  absl::StatusOr<v1::GetKpisResponse> GetKpis(const v1::GetKpisRequest& req);
  absl::StatusOr<v1::GetInsightsResponse> GetInsights(const v1::GetInsightsRequest& req);

 private:
  // Adds the decisions, strategy updates (with their first adjustment) and snapshots.
  absl::Status AddHistory(const std::string& portfolio_id, const v1::Dashboard& dashboard,
                          domain::KpiFacts& facts);

  store::ReadModelStore& store_;
  const Clock& clock_;
};

}  // namespace pmo::reporting::app
