#include "services/intake/app/intake_metrics.h"

#include "pmo/intake/v1/intake.pb.h"

namespace pmo::intake::app {

struct IntakeMetrics::Families {
  prometheus::Family<prometheus::Gauge>& by_stage;
  prometheus::Family<prometheus::Counter>& progress;
  prometheus::Family<prometheus::Counter>& gate_refusals;
  explicit Families(prometheus::Registry& r)
      : by_stage(prometheus::BuildGauge()
                     .Name("pmo_intake_initiatives")
                     .Help("Initiatives by portfolio and stage")
                     .Register(r)),
        progress(prometheus::BuildCounter()
                     .Name("pmo_intake_progress_reports_total")
                     .Help("Progress reports applied, by source (grpc or the ingest topic)")
                     .Register(r)),
        gate_refusals(prometheus::BuildCounter()
                          .Name("pmo_intake_gate_refusals_total")
                          .Help("Refused approvals, by unmet condition")
                          .Register(r)) {}
};

IntakeMetrics::IntakeMetrics(Metrics* metrics) {
  if (metrics) families_ = std::make_unique<Families>(metrics->registry());
}

IntakeMetrics::~IntakeMetrics() = default;

void IntakeMetrics::ProgressApplied(std::string_view source) {
  if (!families_) return;
  prometheus::Counter* counter = nullptr;
  {
    std::lock_guard lock(progress_mu_);
    auto it = progress_by_source_.find(source);
    if (it == progress_by_source_.end())
      it = progress_by_source_.emplace(std::string(source), &families_->progress.Add({{"source", std::string(source)}}))
               .first;
    counter = it->second;
  }
  counter->Increment();
}

void IntakeMetrics::GateRefused(const std::vector<domain::GateFailure>& failures) {
  if (!families_) return;
  for (const auto& f : failures)
    families_->gate_refusals.Add({{"reason", std::string(domain::GateReasonName(f.reason))}}).Increment();
}

void IntakeMetrics::SetInitiativesByStage(
    const std::vector<std::pair<std::string, std::map<std::string, int64_t>>>& counts) {
  if (!families_) return;
  for (const auto& [portfolio, stages] : counts)
    for (int s = v1::STAGE_DRAFT; s <= v1::STAGE_STOPPED; ++s) {
      auto name = v1::Stage_Name(static_cast<v1::Stage>(s));
      auto it = stages.find(name);
      std::string label = name.substr(name.find('_') + 1);  // STAGE_IN_REVIEW → IN_REVIEW
      families_->by_stage.Add({{"portfolio", portfolio}, {"stage", label}})
          .Set(it == stages.end() ? 0.0 : static_cast<double>(it->second));
    }
}

}  // namespace pmo::intake::app
