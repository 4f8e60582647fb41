#include "services/reporting/store/projection_batch.h"

#include <cstdio>

#include "services/reporting/store/keys.h"

namespace pmo::reporting::store {

namespace {

// Doubles as text that reads back to the same value.
std::string Exact(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return buf;
}

}  // namespace

void ProjectionBatch::Section(const std::string& p, const std::string& i, const std::string& field, int64_t version,
                              const std::string& value) {
  AtomicWrite w;
  std::string key = keys::Initiative(p, i);
  w.SkipUnlessNewer(key, keys::VersionOf(field), version)
      .Command({"HSET", key, field, value, keys::VersionOf(field), std::to_string(version)})
      .Command({"SADD", keys::Initiatives(p), i});
  writes_.push_back(std::move(w));
}

void ProjectionBatch::Newer(const std::string& key, const std::string& field, int64_t version,
                            const std::string& value) {
  AtomicWrite w;
  w.SkipUnlessNewer(key, keys::VersionOf(field), version)
      .Command({"HSET", key, field, value, keys::VersionOf(field), std::to_string(version)});
  writes_.push_back(std::move(w));
}

void ProjectionBatch::PutPortfolio(const intake::v1::Portfolio& portfolio, int64_t version) {
  Newer(keys::Meta(portfolio.id()), keys::kPortfolio, version, portfolio.SerializeAsString());
}

void ProjectionBatch::PutIntake(const std::string& p, const std::string& i, int64_t version,
                                const v1::DashboardRow& section) {
  Section(p, i, keys::kIntake, version, section.SerializeAsString());
}

void ProjectionBatch::PutLinks(const std::string& p, const std::string& i, int64_t version,
                               const okr::v1::AlignmentChanged& links) {
  Section(p, i, keys::kLinks, version, links.SerializeAsString());
}

void ProjectionBatch::PutScore(const std::string& p, const std::string& i, int64_t version, double score) {
  Section(p, i, keys::kScore, version, Exact(score));
}

void ProjectionBatch::PutRank(const std::string& p, const std::string& i, int64_t version, int rank) {
  Section(p, i, keys::kRank, version, std::to_string(rank));
}

void ProjectionBatch::PutBenefit(const std::string& p, const std::string& i, int64_t version,
                                 const v1::BenefitView& benefit) {
  Section(p, i, keys::BenefitField(benefit.benefit_id()), version, benefit.SerializeAsString());
}

void ProjectionBatch::PutDecision(const std::string& p, const std::string& i, int64_t version,
                                  const v1::DecisionRecorded& decision) {
  Section(p, i, keys::kDecision, version, decision.SerializeAsString());
}

void ProjectionBatch::RemoveBenefit(const std::string& p, const std::string& i, const std::string& benefit_id,
                                    int64_t version) {
  AtomicWrite w;
  std::string key = keys::Initiative(p, i);
  std::string field = keys::BenefitField(benefit_id);
  w.SkipUnlessNewer(key, keys::VersionOf(field), version)
      .Command({"HDEL", key, field})
      .Command({"HSET", key, keys::VersionOf(field), std::to_string(version)});
  writes_.push_back(std::move(w));
}

void ProjectionBatch::MarkRealised(const std::string& p, const std::string& i, const std::string& benefit_id) {
  AtomicWrite w;
  w.Command({"HSET", keys::Initiative(p, i), keys::RealisedField(benefit_id), "1"});
  writes_.push_back(std::move(w));
}

void ProjectionBatch::LogDecision(const std::string& p, const v1::DecisionRecorded& decision) {
  AtomicWrite w;
  w.Command({"HSET", keys::Decisions(p), decision.decision_id(), decision.SerializeAsString()});
  writes_.push_back(std::move(w));
}

void ProjectionBatch::AddAdjustment(const std::string& p, const std::string& i, int64_t at_ms,
                                    const std::string& event_id) {
  // Set-like, so a replay adds nothing new.
  AtomicWrite w;
  std::string key = keys::Adjustments(p, i);
  w.Command({"ZADD", key, std::to_string(at_ms), event_id})
      .Command({"ZREMRANGEBYRANK", key, "0", std::to_string(-keys::kAdjustmentsKept - 1)});
  writes_.push_back(std::move(w));
}

void ProjectionBatch::PutKeyResult(const std::string& p, const okr::v1::KeyResultChanged& key_result,
                                   int64_t version) {
  Newer(keys::KeyResults(p), keys::KeyResultField(key_result.key_result_id()), version,
        key_result.SerializeAsString());
}

void ProjectionBatch::PutCheckIn(const std::string& p, const okr::v1::KeyResultCheckedIn& check_in,
                                 int64_t version) {
  Newer(keys::KeyResults(p), keys::CheckInField(check_in.key_result_id()), version, check_in.SerializeAsString());
}

void ProjectionBatch::AddConfidence(const std::string& p, const okr::v1::KeyResultCheckedIn& check_in,
                                    int64_t version) {
  AtomicWrite w;
  std::string key = keys::Confidence(p, check_in.key_result_id());
  w.Command({"ZADD", key, std::to_string(version),
             check_in.as_of() + "|" + check_in.source_id() + "|" + Exact(check_in.key_result_confidence())})
      .Command({"ZREMRANGEBYRANK", key, "0", "-11"});
  writes_.push_back(std::move(w));
}

void ProjectionBatch::PutObjective(const std::string& p, const okr::v1::ObjectiveChanged& objective,
                                   int64_t version) {
  Newer(keys::Objectives(p), keys::ObjectiveField(objective.objective_id()), version, objective.SerializeAsString());
}

void ProjectionBatch::AddStrategyUpdate(const std::string& p, const std::string& event_id,
                                        const okr::v1::StrategyChanged& update) {
  AtomicWrite w;
  w.Command({"HSET", keys::Strategy(p), event_id, update.SerializeAsString()});
  writes_.push_back(std::move(w));
}

}  // namespace pmo::reporting::store
