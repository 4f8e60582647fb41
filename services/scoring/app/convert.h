// Translations between scoring's protobuf messages (its API, intake's and okr's
// snapshots) and the domain's plain types, and the events scoring publishes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "services/scoring/domain/alignment.h"
#include "services/scoring/domain/model.h"
#include "services/scoring/domain/rescoring.h"
#include "services/scoring/domain/scenario.h"
#include "services/scoring/domain/scorer.h"
#include "pmo/common/clock.h"
#include "pmo/common/outbox.h"
#include "pmo/common/service_host.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/scoring/v1/events.pb.h"
#include "pmo/scoring/v1/scoring.pb.h"

namespace pmo::scoring::app {

// Stages that are ranked: everything in play. Drafts are not submitted yet; stopped and
// closed initiatives leave the ranking.
bool InPlay(intake::v1::Stage stage);

domain::ScoringModel ToDomain(const v1::ScoringModel& model);
v1::Category ToProto(domain::Category category);
std::vector<domain::KeyResultLink> LinksOf(const okr::v1::AlignmentChanged& alignment);

// What a score of the snapshot is computed from (ratings only for a ranked stage).
domain::ScoringInputs ScoringInputsOf(const intake::v1::Initiative& snapshot);

// What a score depends on from the intake snapshot: ratings, the stage (ranked or not)
// and the submission time (the tie-break). The model and alignment are read separately.
bool SameScoringInputs(const intake::v1::Initiative& a, const intake::v1::Initiative& b);

// A score's identity fields from the snapshot it scores (no points, rank 0).
v1::InitiativeScore UnscoredScore(const intake::v1::Initiative& snapshot);
// A score with its explanation: subtotal per category and each criterion's part.
void FillScore(const domain::ScoreExplanation& explained, int64_t model_version, v1::InitiativeScore& score);

v1::RankMove ToProto(const domain::RankMove& move);

// Scenarios.
std::string QuarterKey(const common::v1::Quarter& quarter);
domain::ObjectiveKind ToDomain(v1::Objective objective);
v1::Selection ToProto(const domain::Selection& selection);
v1::ScenarioStatus ToProto(domain::SolveStatus status);

// An event on scoring's topic about `subject`, caused by `ctx`.
OutboxEvent ScoringEvent(const google::protobuf::Message& payload, const std::string& subject,
                         const std::string& portfolio_id, int64_t aggregate_version, const CallContext& ctx,
                         const Clock& clock);

}  // namespace pmo::scoring::app
