#include "services/okr/app/okr_metrics.h"

namespace pmo::okr::app {

struct OkrMetrics::Families {
  prometheus::Family<prometheus::Counter>& check_ins;
  prometheus::Family<prometheus::Counter>& strategy_changes;
  prometheus::Family<prometheus::Gauge>& objectives;
  prometheus::Family<prometheus::Gauge>& key_results;
  explicit Families(prometheus::Registry& r)
      : check_ins(prometheus::BuildCounter()
                      .Name("pmo_okr_check_ins_total")
                      .Help("Check-ins recorded, by source (grpc or the ingest topic)")
                      .Register(r)),
        strategy_changes(prometheus::BuildCounter()
                             .Name("pmo_okr_strategy_changes_total")
                             .Help("Objective priority or status changes (StrategyChanged events)")
                             .Register(r)),
        objectives(prometheus::BuildGauge().Name("pmo_okr_objectives").Help("Objectives by portfolio").Register(r)),
        key_results(
            prometheus::BuildGauge().Name("pmo_okr_key_results").Help("Key results by portfolio").Register(r)) {}
};

OkrMetrics::OkrMetrics(Metrics* metrics) {
  if (metrics) families_ = std::make_shared<Families>(metrics->registry());
}

void OkrMetrics::CheckInRecorded(const std::string& source) {
  if (families_) families_->check_ins.Add({{"source", source}}).Increment();
}

void OkrMetrics::StrategyChanged(const std::string& portfolio_id) {
  if (families_) families_->strategy_changes.Add({{"portfolio", portfolio_id}}).Increment();
}

void OkrMetrics::PortfolioSize(const std::string& portfolio_id, int64_t objectives, int64_t key_results) {
  if (!families_) return;
  families_->objectives.Add({{"portfolio", portfolio_id}}).Set(static_cast<double>(objectives));
  families_->key_results.Add({{"portfolio", portfolio_id}}).Set(static_cast<double>(key_results));
}

}  // namespace pmo::okr::app
