// Intake's state in Redis: the keys of portfolios, initiatives, their indexes and the
// read models built from okr's and benefits' events, and IntakeStore over them. Keys
// carry the portfolio as a {hash tag}. Every write goes through the outbox (one
// AtomicWrite: guards, commands and the event), so state and event commit together.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pmo/common/clock.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "services/intake/store/intake_store.h"

namespace pmo::intake::store {

namespace keys {
std::string Portfolio(const std::string& portfolio_id);
inline constexpr char kPortfolioIndex[] = "pmo:intake:portfolios";           // ZSET of ids (lex order)
std::string Initiative(const std::string& portfolio_id, const std::string& initiative_id);
std::string PortfolioInitiatives(const std::string& portfolio_id);         // ZSET of ids (lex order)
std::string StageCounts(const std::string& portfolio_id);                  // HASH stage → count
std::string Commitments(const std::string& portfolio_id);                  // HASH version: bumps on every (un)commit
inline constexpr char kInitiativePortfolio[] = "pmo:intake:initiative-portfolio";  // HASH id → portfolio
std::string Alignment(const std::string& initiative_id);                   // okr read model
std::string KeyResult(const std::string& key_result_id);                   // okr read model
std::string Benefit(const std::string& benefit_id);                        // benefits read model
std::string InitiativeBenefits(const std::string& initiative_id);          // HASH benefit id → snapshot
std::string Processed(const std::string& event_id);                        // processed-event marker
}  // namespace keys

class RedisIntakeStore final : public IntakeStore {
 public:
  // How long an ingested event's id is remembered (redelivery is expected within it).
  static constexpr int kProcessedMarkerTtlSeconds = 7 * 24 * 3600;

  // `outbox` is intake's outbox (stream "pmo:intake:outbox"); `clock` stamps the events.
  RedisIntakeStore(RedisPool& redis, Outbox& outbox, const Clock& clock = SystemClock::Instance())
      : redis_(redis), outbox_(outbox), clock_(clock) {}

  absl::StatusOr<Versioned<v1::Portfolio>> GetPortfolio(const std::string& portfolio_id) override;
  absl::StatusOr<std::vector<v1::Portfolio>> GetPortfolios(const std::vector<std::string>& ids) override;
  absl::StatusOr<std::vector<std::string>> PortfolioIdsAfter(const std::string& after, int count) override;
  absl::StatusOr<Versioned<v1::Initiative>> GetInitiative(const std::string& portfolio_id,
                                                          const std::string& initiative_id) override;
  absl::StatusOr<Versioned<v1::Initiative>> GetInitiative(const std::string& initiative_id) override;
  absl::StatusOr<std::vector<v1::Initiative>> GetInitiatives(const std::string& portfolio_id,
                                                             const std::vector<std::string>& ids) override;
  absl::StatusOr<std::vector<std::string>> InitiativeIdsAfter(const std::string& portfolio_id,
                                                              const std::string& after, int count) override;
  absl::StatusOr<std::vector<v1::Initiative>> PortfolioInitiatives(const std::string& portfolio_id) override;
  absl::StatusOr<int64_t> CommitmentsVersion(const std::string& portfolio_id) override;
  absl::StatusOr<std::optional<okr::v1::AlignmentChanged>> Alignment(const std::string& initiative_id) override;
  absl::StatusOr<std::optional<bool>> KeyResultMeasurable(const std::string& key_result_id) override;
  absl::StatusOr<std::vector<benefits::v1::Benefit>> Benefits(const std::string& initiative_id) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::map<std::string, int64_t>>>> StageCounts() override;

  absl::Status CreatePortfolio(const v1::Portfolio& snapshot, const google::protobuf::Message& event,
                               const CallContext& ctx) override;
  absl::Status UpdatePortfolio(const v1::Portfolio& snapshot, int64_t read_version,
                               const google::protobuf::Message& event, const CallContext& ctx) override;
  absl::Status SubmitInitiative(const v1::Initiative& snapshot, const google::protobuf::Message& event,
                                const CallContext& ctx) override;
  absl::StatusOr<WriteResult> ChangeInitiative(const InitiativeChange& change, const CallContext& ctx) override;
  void ChangeInitiativeAsync(const InitiativeChange& change, const CallContext& ctx,
                             Outbox::CommitDone done) override;
  absl::StatusOr<WriteResult> PutAlignment(const okr::v1::AlignmentChanged& alignment, int64_t version) override;
  absl::StatusOr<WriteResult> PutKeyResultMeasurable(const std::string& key_result_id, bool measurable,
                                                     int64_t version) override;
  absl::StatusOr<WriteResult> PutBenefit(const benefits::v1::Benefit& benefit, int64_t version) override;

 private:
  absl::StatusOr<std::optional<std::string>> PortfolioOf(const std::string& initiative_id);
  absl::StatusOr<std::vector<std::string>> IdsAfter(const std::string& zset, const std::string& after, int count);
  // The envelope of an intake event about `subject` at `version`, ready for the outbox.
  OutboxEvent Event(const google::protobuf::Message& payload, const std::string& subject,
                    const std::string& portfolio_id, int64_t version, const CallContext& ctx) const;
  AtomicWrite BuildChange(const InitiativeChange& change, const CallContext& ctx) const;

  RedisPool& redis_;
  Outbox& outbox_;
  const Clock& clock_;
};

}  // namespace pmo::intake::store
