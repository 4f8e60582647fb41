// The read-model writes one consumed event makes, named for what they change. The
// projection (app/) decides which sections change and with which version; this batch
// knows the keys, fields and commands. Every write is idempotent — a newer-only version
// guard, or a set-like command — so a redelivery or a full replay leaves the same state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pmo/common/outbox.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "pmo/reporting/v1/reporting.pb.h"

namespace pmo::reporting::store {

class ProjectionBatch {
 public:
  // The portfolio itself (intake's snapshot), newer only.
  void PutPortfolio(const intake::v1::Portfolio& portfolio, int64_t version);

  // Sections of an initiative's evidence, each newer-only by its own version; each also
  // records the initiative in its portfolio's set.
  void PutIntake(const std::string& portfolio_id, const std::string& initiative_id, int64_t version,
                 const v1::DashboardRow& section);
  void PutLinks(const std::string& portfolio_id, const std::string& initiative_id, int64_t version,
                const okr::v1::AlignmentChanged& links);
  void PutScore(const std::string& portfolio_id, const std::string& initiative_id, int64_t version, double score);
  void PutRank(const std::string& portfolio_id, const std::string& initiative_id, int64_t version, int rank);
  void PutBenefit(const std::string& portfolio_id, const std::string& initiative_id, int64_t version,
                  const v1::BenefitView& benefit);
  void PutDecision(const std::string& portfolio_id, const std::string& initiative_id, int64_t version,
                   const v1::DecisionRecorded& decision);
  // A removed benefit's section goes; its version stays, so an older snapshot cannot
  // bring it back.
  void RemoveBenefit(const std::string& portfolio_id, const std::string& initiative_id,
                     const std::string& benefit_id, int64_t version);
  // Sticky: the benefit reached REALISED once.
  void MarkRealised(const std::string& portfolio_id, const std::string& initiative_id,
                    const std::string& benefit_id);

  // The portfolio's log of decisions by decision id (for the KPIs).
  void LogDecision(const std::string& portfolio_id, const v1::DecisionRecorded& decision);
  // A delivery adjustment of an initiative (stage change, decision, re-ranking) at
  // `at_ms`, for the strategy lead-time KPI; the newest keys::kAdjustmentsKept are kept.
  void AddAdjustment(const std::string& portfolio_id, const std::string& initiative_id, int64_t at_ms,
                     const std::string& event_id);

  // Key results, check-ins and objectives of the portfolio, newer only.
  void PutKeyResult(const std::string& portfolio_id, const okr::v1::KeyResultChanged& key_result, int64_t version);
  void PutCheckIn(const std::string& portfolio_id, const okr::v1::KeyResultCheckedIn& check_in, int64_t version);
  // The check-in's confidence in the order check-ins became the latest (ordered by
  // `version`); the newest ten are kept.
  void AddConfidence(const std::string& portfolio_id, const okr::v1::KeyResultCheckedIn& check_in, int64_t version);
  void PutObjective(const std::string& portfolio_id, const okr::v1::ObjectiveChanged& objective, int64_t version);
  // A strategy update, by the event id that announced it.
  void AddStrategyUpdate(const std::string& portfolio_id, const std::string& event_id,
                         const okr::v1::StrategyChanged& update);

  bool empty() const { return writes_.empty(); }
  size_t size() const { return writes_.size(); }
  const std::vector<AtomicWrite>& writes() const { return writes_; }

 private:
  void Section(const std::string& portfolio_id, const std::string& initiative_id, const std::string& field,
               int64_t version, const std::string& value);
  void Newer(const std::string& key, const std::string& field, int64_t version, const std::string& value);
  std::vector<AtomicWrite> writes_;
};

}  // namespace pmo::reporting::store
