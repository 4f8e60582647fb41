// What reporting's use cases read from and write to the read models, as an interface
// (so use cases and their tests name no Redis command), and its Redis implementation.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/reporting/store/projection_batch.h"
#include "services/reporting/store/read_model.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::reporting::store {

// The history the KPIs need beside the current rows.
struct KpiHistory {
  std::vector<v1::DecisionRecorded> decisions;             // every decision projected
  std::vector<okr::v1::StrategyChanged> strategy_updates;  // every strategy update projected
  // Frozen state KPIs by quarter ("2026Q4" → key → value).
  std::map<std::string, std::map<std::string, double>> snapshots;
};

// "The first adjustment of this initiative after this time".
struct AdjustmentQuery {
  std::string initiative_id;
  int64_t after_ms = 0;
};

class ReadModelStore {
 public:
  virtual ~ReadModelStore() = default;

  virtual absl::StatusOr<PortfolioReadModel> Load(const std::string& portfolio_id) = 0;
  virtual absl::StatusOr<KpiHistory> LoadKpiHistory(const std::string& portfolio_id) = 0;
  // Per query, the time (ms) of the initiative's first adjustment strictly after
  // `after_ms`, if there is one; answered in one round trip.
  virtual absl::StatusOr<std::vector<std::optional<int64_t>>> FirstAdjustmentsAfter(
      const std::string& portfolio_id, const std::vector<AdjustmentQuery>& queries) = 0;

  // The latest quarter ("2027Q1") an event of the portfolio fell in; "" before any.
  virtual absl::StatusOr<std::string> EventQuarter(const std::string& portfolio_id) = 0;
  virtual absl::Status SetEventQuarter(const std::string& portfolio_id, const std::string& quarter) = 0;
  // Keeps the state KPIs of a quarter that ended; a quarter already frozen keeps its values.
  virtual absl::Status FreezeQuarter(const std::string& portfolio_id, const std::string& quarter,
                                     const std::map<std::string, double>& values) = 0;

  // One event's writes, each atomic on its own, in one round trip. True when any of them
  // changed something (false for a redelivery).
  virtual absl::StatusOr<bool> Commit(const ProjectionBatch& batch) = 0;
};

class RedisReadModelStore final : public ReadModelStore {
 public:
  RedisReadModelStore(RedisPool& redis, Outbox& outbox) : redis_(redis), outbox_(outbox) {}

  absl::StatusOr<PortfolioReadModel> Load(const std::string& portfolio_id) override;
  absl::StatusOr<KpiHistory> LoadKpiHistory(const std::string& portfolio_id) override;
  absl::StatusOr<std::vector<std::optional<int64_t>>> FirstAdjustmentsAfter(
      const std::string& portfolio_id, const std::vector<AdjustmentQuery>& queries) override;
  absl::StatusOr<std::string> EventQuarter(const std::string& portfolio_id) override;
  absl::Status SetEventQuarter(const std::string& portfolio_id, const std::string& quarter) override;
  absl::Status FreezeQuarter(const std::string& portfolio_id, const std::string& quarter,
                             const std::map<std::string, double>& values) override;
  absl::StatusOr<bool> Commit(const ProjectionBatch& batch) override;

 private:
  RedisPool& redis_;
  Outbox& outbox_;
};

// A snapshot of KPI values as one text field ("key=value;…", exact doubles), and back.
std::string EncodeSnapshot(const std::map<std::string, double>& values);
std::map<std::string, double> DecodeSnapshot(std::string_view text);

}  // namespace pmo::reporting::store
