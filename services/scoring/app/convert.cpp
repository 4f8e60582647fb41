#include "services/scoring/app/convert.h"

#include <algorithm>

#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"
#include "pmo/common/proto_convert.h"

namespace pmo::scoring::app {
namespace iv1 = ::pmo::intake::v1;

bool InPlay(iv1::Stage s) {
  return s != iv1::STAGE_DRAFT && s != iv1::STAGE_STOPPED && s != iv1::STAGE_CLOSED && s != iv1::STAGE_UNSPECIFIED;
}

domain::ScoringModel ToDomain(const v1::ScoringModel& m) {
  domain::ScoringModel out;
  out.type = m.type() == v1::MODEL_TYPE_WSJF ? domain::ModelType::kWsjf : domain::ModelType::kWeightedSum;
  out.version = m.version();
  for (const auto& c : m.criteria()) {
    domain::Criterion d;
    d.key = c.key();
    d.name = c.name();
    d.category = static_cast<domain::Category>(std::max(0, static_cast<int>(c.category()) - 1));
    d.weight = c.weight();
    d.direction = c.direction() == v1::DIRECTION_LOWER_IS_BETTER ? domain::Direction::kLowerIsBetter
                                                                   : domain::Direction::kHigherIsBetter;
    d.scale = {c.scale().min(), c.scale().max()};
    out.criteria.push_back(std::move(d));
  }
  return out;
}

v1::Category ToProto(domain::Category c) { return static_cast<v1::Category>(static_cast<int>(c) + 1); }

std::vector<domain::KeyResultLink> LinksOf(const okr::v1::AlignmentChanged& alignment) {
  std::vector<domain::KeyResultLink> links;
  for (const auto& l : alignment.links()) links.push_back({l.key_result_id(), l.objective_id(), l.contribution()});
  return links;
}

domain::ScoringInputs ScoringInputsOf(const iv1::Initiative& snapshot) {
  domain::ScoringInputs in;
  in.id = snapshot.id();
  in.in_play = InPlay(snapshot.stage());
  if (in.in_play) in.ratings = domain::Ratings(snapshot.ratings().begin(), snapshot.ratings().end());
  in.submitted_at_unix_ms = ToUnixMillis(snapshot.submitted_at());
  return in;
}

bool SameScoringInputs(const iv1::Initiative& a, const iv1::Initiative& b) {
  if (a.stage() != b.stage() || a.submitted_at().seconds() != b.submitted_at().seconds() ||
      a.submitted_at().nanos() != b.submitted_at().nanos() || a.ratings_size() != b.ratings_size())
    return false;
  for (const auto& [criterion, rating] : a.ratings()) {
    auto it = b.ratings().find(criterion);
    if (it == b.ratings().end() || it->second != rating) return false;
  }
  return true;
}

v1::InitiativeScore UnscoredScore(const iv1::Initiative& snapshot) {
  v1::InitiativeScore score;
  score.set_initiative_id(snapshot.id());
  score.set_portfolio_id(snapshot.portfolio_id());
  score.set_initiative_version(snapshot.version());
  score.set_stage(iv1::Stage_Name(snapshot.stage()));
  return score;
}

void FillScore(const domain::ScoreExplanation& explained, int64_t model_version, v1::InitiativeScore& score) {
  score.set_score(explained.score);
  score.set_model_version(model_version);
  for (auto c : domain::kAllCategories) {
    auto* st = score.add_subtotals();
    st->set_category(ToProto(c));
    st->set_points(explained.Subtotal(c));
  }
  for (const auto& c : explained.criteria) {
    auto* pc = score.add_criteria();
    pc->set_key(c.key);
    pc->set_category(ToProto(c.category));
    pc->set_rating(c.rating);
    pc->set_normalised(c.normalised);
    pc->set_weight(c.weight);
    pc->set_contribution(c.contribution);
    pc->set_missing(c.missing);
    pc->set_computed(c.computed);
  }
}

v1::RankMove ToProto(const domain::RankMove& move) {
  v1::RankMove out;
  out.set_initiative_id(move.id);
  out.set_old_rank(move.old_rank);
  out.set_new_rank(move.new_rank);
  return out;
}

// The base layer's "2027Q1", so scenario constraint names read like quarters elsewhere.
std::string QuarterKey(const common::v1::Quarter& q) { return calendar::FormatQuarter(FromProto(q)); }

domain::ObjectiveKind ToDomain(v1::Objective o) {
  switch (o) {
    case v1::OBJECTIVE_EXPECTED_BENEFIT: return domain::ObjectiveKind::kExpectedBenefit;
    case v1::OBJECTIVE_RISK_ADJUSTED_VALUE: return domain::ObjectiveKind::kRiskAdjustedValue;
    default: return domain::ObjectiveKind::kTotalScore;
  }
}

v1::Selection ToProto(const domain::Selection& s) {
  v1::Selection out;
  for (const auto& id : s.selected_ids) out.add_initiative_ids(id);
  out.set_objective_value(s.objective_value);
  for (const auto& c : s.constraints) {
    auto* u = out.add_constraints();
    u->set_name(c.name);
    u->set_use(c.use);
    u->set_limit(c.limit);
    u->set_binding(c.binding);
  }
  return out;
}

v1::ScenarioStatus ToProto(domain::SolveStatus s) {
  switch (s) {
    case domain::SolveStatus::kOptimal: return v1::SCENARIO_STATUS_OPTIMAL;
    case domain::SolveStatus::kFeasible: return v1::SCENARIO_STATUS_FEASIBLE;
    case domain::SolveStatus::kInfeasible: return v1::SCENARIO_STATUS_INFEASIBLE;
  }
  return v1::SCENARIO_STATUS_UNSPECIFIED;
}

OutboxEvent ScoringEvent(const google::protobuf::Message& payload, const std::string& subject,
                         const std::string& portfolio_id, int64_t aggregate_version, const CallContext& ctx,
                         const Clock& clock) {
  auto env = MakeEnvelope(payload, {.source = "pmo-scoring", .subject = subject, .portfolio_id = portfolio_id,
                                    .aggregate_version = aggregate_version, .correlation_id = ctx.correlation_id,
                                    .causation_id = ctx.causation_id},
                          clock);
  return ToOutboxEvent(topics::kScoringEvents, env);
}

}  // namespace pmo::scoring::app
