// okr's use cases: each reads what it needs through the store, lets the pure domain
// decide, and commits the new state with its events in one atomic write guarded by the
// versions it read. gRPC handlers and Kafka handlers call the same use cases, so a
// check-in behaves the same whether it arrives as a call or on the ingest topic.
// One file per aggregate or workflow: objectives.cpp, key_results.cpp, check_ins.cpp,
// alignment.cpp, queries.cpp (tree, coverage).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/common/clock.h"
#include "pmo/common/metrics.h"
#include "pmo/common/service_host.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/okr/v1/okr.pb.h"
#include "services/okr/app/okr_metrics.h"
#include "services/okr/store/okr_store.h"

namespace pmo::okr::app {

using ::pmo::CallContext;

class OkrApp {
 public:
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;

  // `metrics` may be null (no business counters then).
  OkrApp(store::OkrStore& store, Metrics* metrics, const Clock& clock = SystemClock::Instance());

  absl::StatusOr<v1::Objective> CreateObjective(const v1::CreateObjectiveRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Objective> UpdateObjective(const v1::UpdateObjectiveRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Objective> GetObjective(const v1::GetObjectiveRequest& req);
  absl::StatusOr<v1::ListObjectivesResponse> ListObjectives(const v1::ListObjectivesRequest& req);

  absl::StatusOr<v1::KeyResult> CreateKeyResult(const v1::CreateKeyResultRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::KeyResult> UpdateKeyResult(const v1::UpdateKeyResultRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::KeyResult> GetKeyResult(const v1::GetKeyResultRequest& req);

  // `source` is "grpc" or the ingest topic. `event_id` (ingest) makes the apply
  // once-only and stands in for a missing source_id.
  absl::StatusOr<v1::CheckInResponse> CheckIn(const v1::CheckInRequest& req, const CallContext& ctx,
                                              std::string_view source, const std::string& event_id = "");

  absl::StatusOr<v1::Alignment> LinkInitiative(const v1::LinkInitiativeRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Alignment> UnlinkInitiative(const v1::UnlinkInitiativeRequest& req, const CallContext& ctx);

  absl::StatusOr<v1::AlignmentTree> GetAlignmentTree(const v1::GetAlignmentTreeRequest& req);
  absl::StatusOr<v1::Coverage> GetCoverage(const v1::GetCoverageRequest& req);

  // From intake's events: learns the initiative, its portfolio and stage, and turns
  // the key results its submission proposes into links (replacing the links an older
  // version of the submission made, never those made with LinkInitiative). Applied
  // only when `version` is newer than the one held.
  absl::Status ApplyInitiative(const intake::v1::Initiative& initiative, int64_t version, const CallContext& ctx);

  // Refreshes the business gauges (objectives and key results per portfolio).
  absl::Status RefreshGauges();

 private:
  absl::StatusOr<v1::CheckInResponse> CheckInOnce(const std::string& portfolio_id, const v1::CheckInRequest& req,
                                                  const CallContext& ctx, std::string_view source);
  absl::StatusOr<v1::Objective> UpdateObjectiveOnce(const v1::UpdateObjectiveRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::KeyResult> UpdateKeyResultOnce(const v1::UpdateKeyResultRequest& req, const CallContext& ctx);
  absl::StatusOr<v1::Alignment> ChangeLink(const std::string& key_result_id, const std::string& initiative_id,
                                           std::optional<double> contribution, const CallContext& ctx);
  absl::Status ApplyInitiativeOnce(const intake::v1::Initiative& initiative, int64_t version,
                                   const CallContext& ctx);
  // The AlignmentChanged event of an alignment: each link with its key result's
  // objective and measurability.
  absl::StatusOr<v1::AlignmentChanged> AlignmentEvent(const v1::Alignment& alignment);
  // The envelope of one of okr's events about `subject` at `version`.
  events::v1::Envelope Event(const google::protobuf::Message& payload, const std::string& subject,
                             const std::string& portfolio_id, int64_t version, const CallContext& ctx) const;

  store::OkrStore& store_;
  OkrMetrics metrics_;
  const Clock& clock_;
};

}  // namespace pmo::okr::app
