#include "services/scoring/app/scoring_app.h"

#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "services/scoring/domain/ahp.h"
#include "services/scoring/domain/model.h"
#include "services/scoring/domain/scenario.h"
#include "services/scoring/domain/scorer.h"
#include "pmo/common/use_cases.h"
#include "pmo/common/envelope.h"
#include "pmo/base/errors.h"
#include "pmo/common/kafka.h"
#include "pmo/common/log.h"

namespace pmo::scoring::app {
namespace {

constexpr char kSource[] = "pmo-scoring";
namespace iv1 = ::pmo::intake::v1;

namespace keys {
std::string Model(const std::string& p) { return "pmo:scoring:{" + p + "}:model"; }
std::string Initiative(const std::string& p, const std::string& i) { return "pmo:scoring:{" + p + "}:initiative:" + i; }
std::string Score(const std::string& p, const std::string& i) { return "pmo:scoring:{" + p + "}:score:" + i; }
std::string Ranking(const std::string& p) { return "pmo:scoring:{" + p + "}:ranking"; }
std::string RankKeys(const std::string& p) { return "pmo:scoring:{" + p + "}:rank-keys"; }
std::string Initiatives(const std::string& p) { return "pmo:scoring:{" + p + "}:initiatives"; }
std::string Portfolio(const std::string& p) { return "pmo:scoring:{" + p + "}:portfolio"; }
std::string Scenario(const std::string& p, const std::string& s) { return "pmo:scoring:{" + p + "}:scenario:" + s; }
std::string Scenarios(const std::string& p) { return "pmo:scoring:{" + p + "}:scenarios"; }
std::string Alignment(const std::string& p, const std::string& i) { return "pmo:scoring:{" + p + "}:alignment:" + i; }
std::string Objectives(const std::string& p) { return "pmo:scoring:{" + p + "}:objectives"; }  // id → priority
std::string Objective(const std::string& p, const std::string& o) { return "pmo:scoring:{" + p + "}:objective:" + o; }
std::string Benefit(const std::string& p, const std::string& b) { return "pmo:scoring:{" + p + "}:benefit:" + b; }
// initiative id → (benefit id → expected value in major units)
std::string InitiativeBenefits(const std::string& p, const std::string& i) {
  return "pmo:scoring:{" + p + "}:initiative-benefits:" + i;
}
std::string Writes(const std::string& p) { return "pmo:scoring:{" + p + "}:writes"; }  // bumps on every score write
// Held by the one re-score of the portfolio running (any replica); it expires if that dies.
std::string RescoreLease(const std::string& p) { return "pmo:scoring:{" + p + "}:rescore-lease"; }
constexpr char kInitiativePortfolio[] = "pmo:scoring:initiative-portfolio";
constexpr char kRescorePending[] = "pmo:scoring:rescore-pending";  // portfolios whose scores must be redone
constexpr char kScenarioPortfolio[] = "pmo:scoring:scenario-portfolio";
}  // namespace keys

// Stages that are ranked: everything in play. Drafts are not submitted yet; stopped and
// closed initiatives leave the ranking.
bool Ranked(iv1::Stage s) {
  return s != iv1::STAGE_DRAFT && s != iv1::STAGE_STOPPED && s != iv1::STAGE_CLOSED &&
         s != iv1::STAGE_UNSPECIFIED;
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

int64_t SubmittedAtMs(const iv1::Initiative& in) {
  return in.submitted_at().seconds() * 1000 + in.submitted_at().nanos() / 1'000'000;
}

v1::Category ToProto(domain::Category c) { return static_cast<v1::Category>(static_cast<int>(c) + 1); }

std::string QuarterKey(const common::v1::Quarter& q) { return absl::StrCat(q.year(), "Q", q.quarter()); }

// Money in major units (the optimiser works in doubles; cents would only add digits).
double Major(const common::v1::Money& m) { return static_cast<double>(m.minor_units()) / 100.0; }

std::vector<domain::KeyResultLink> LinksOf(const okr::v1::AlignmentChanged& alignment) {
  std::vector<domain::KeyResultLink> links;
  for (const auto& l : alignment.links()) links.push_back({l.key_result_id(), l.objective_id(), l.contribution()});
  return links;
}

// A score with its explanation: subtotal per category and each criterion's part.
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

// What a score depends on from the intake snapshot: ratings, the stage (ranked or not)
// and the submission time (the tie-break). The model and alignment are read separately.
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

domain::ObjectiveKind ToDomain(v1::Objective o) {
  switch (o) {
    case v1::OBJECTIVE_EXPECTED_BENEFIT: return domain::ObjectiveKind::kExpectedBenefit;
    case v1::OBJECTIVE_RISK_ADJUSTED_VALUE: return domain::ObjectiveKind::kRiskAdjustedValue;
    default: return domain::ObjectiveKind::kTotalScore;
  }
}

}  // namespace

std::string RankKey(const domain::RankInput& in) {
  // Fixed-width, non-negative encodings so byte order is numeric order; "higher first"
  // becomes ascending by subtracting from an offset.
  constexpr double kOffset = 4e15;
  auto inverted = [&](double v) {
    double q = std::nearbyint(v / domain::kScoreTieResolution);
    q = std::clamp(q, -kOffset + 1, kOffset - 1);
    return static_cast<unsigned long long>(kOffset - q);
  };
  char buf[64];
  std::snprintf(buf, sizeof buf, "%016llu|%016llu|%015lld|", inverted(in.score), inverted(in.value_subtotal),
                static_cast<long long>(std::max<int64_t>(0, in.submitted_at_unix_ms)));
  return std::string(buf) + in.id;
}

struct ScoringApp::Counters {
  prometheus::Family<prometheus::Counter>& scored;
  prometheus::Family<prometheus::Histogram>& solve_seconds;
  explicit Counters(prometheus::Registry& r)
      : scored(prometheus::BuildCounter().Name("pmo_scoring_initiatives_scored_total").Help("Initiatives scored").Register(r)),
        solve_seconds(prometheus::BuildHistogram()
                          .Name("pmo_scoring_scenario_solve_seconds")
                          .Help("Scenario solve time, by status")
                          .Register(r)) {}
};

ScoringApp::ScoringApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, const Clock& clock)
    : redis_(redis), outbox_(outbox), metrics_(metrics), clock_(clock) {
  if (metrics_) counters_ = std::make_shared<Counters>(metrics_->registry());
}

absl::StatusOr<std::optional<v1::ScoringModel>> ScoringApp::LoadModel(const std::string& portfolio_id) {
  auto r = redis_.Command({"HGET", keys::Model(portfolio_id), "data"});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<v1::ScoringModel>();
  auto m = ParseStored<v1::ScoringModel>(r->str(), "scoring model");
  if (!m.ok()) return m.status();
  return std::optional<v1::ScoringModel>(std::move(*m));
}

// ---- model --------------------------------------------------------------------

absl::StatusOr<v1::ScoringModel> ScoringApp::SetScoringModel(const v1::SetScoringModelRequest& req,
                                                             const CallContext& ctx) {
  const std::string& pid = req.model().portfolio_id();
  Violations v;
  if (pid.empty()) v.Add("model.portfolio_id", "is required");
  if (req.model().type() == v1::MODEL_TYPE_UNSPECIFIED) v.Add("model.type", "must be WEIGHTED_SUM or WSJF");
  for (int i = 0; i < req.model().criteria_size(); ++i) {
    const auto& c = req.model().criteria(i);
    if (c.category() == v1::CATEGORY_UNSPECIFIED)
      v.Add(absl::StrCat("model.criteria[", i, "].category"), "must be VALUE, RISK, COST, URGENCY or ALIGNMENT");
    if (c.direction() == v1::DIRECTION_UNSPECIFIED)
      v.Add(absl::StrCat("model.criteria[", i, "].direction"), "must be HIGHER_IS_BETTER or LOWER_IS_BETTER");
  }
  auto domain_status = domain::ValidateModel(ToDomain(req.model()));
  for (auto& dv : ViolationsOf(domain_status)) v.Add("model." + dv.field, dv.description);
  if (!v.empty()) return v.ToStatus("invalid scoring model");
  auto current = LoadModel(pid);
  if (!current.ok()) return current.status();
  int64_t current_version = *current ? (*current)->version() : 0;
  if (req.expected_version() != current_version)
    return absl::AbortedError(absl::StrCat("scoring model of ", pid, " is at version ", current_version,
                                           ", not the expected ", req.expected_version()));
  v1::ScoringModel model = req.model();
  model.set_version(current_version + 1);
  v1::ScoringModelChanged changed;
  *changed.mutable_model() = model;
  auto env = MakeEnvelope(changed, {.source = kSource, .subject = pid, .portfolio_id = pid,
                                    .aggregate_version = model.version(), .correlation_id = ctx.correlation_id,
                                    .causation_id = ctx.causation_id},
                          clock_);
  AtomicWrite w;
  w.ExpectField(keys::Model(pid), "version", current_version == 0 ? "" : std::to_string(current_version),
                absl::StatusCode::kAborted, "scoring model of " + pid + " changed concurrently")
      .Command({"HSET", keys::Model(pid), "version", std::to_string(model.version()), "data", model.SerializeAsString()})
      // Committed with the model: the portfolio must be re-scored under it, and stays
      // marked until that has happened (the re-score worker retries a failed one).
      .Command({"SADD", keys::kRescorePending, pid})
      .Publish(ToOutboxEvent(topics::kScoringEvents, env));
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  // Re-score now so the caller sees the new ranking; if it fails, the mark remains.
  if (auto s = RescoreIfPending(pid, ctx); !s.ok())
    log::Warn("re-score after model change failed; it will be retried", {{"portfolio", pid}, {"reason", s.ToString()}});
  return model;
}

absl::StatusOr<v1::ScoringModel> ScoringApp::GetScoringModel(const v1::GetScoringModelRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto m = LoadModel(req.portfolio_id());
  if (!m.ok()) return m.status();
  if (!*m) return absl::NotFoundError("portfolio " + req.portfolio_id() + " has no scoring model");
  return **m;
}

absl::StatusOr<v1::DeriveWeightsResponse> ScoringApp::DeriveWeights(const v1::DeriveWeightsRequest& req) {
  std::vector<std::string> keys;
  std::vector<domain::PairwiseJudgement> judgements;
  for (const auto& c : req.comparisons()) {
    for (const auto* k : {&c.a(), &c.b()})
      if (std::find(keys.begin(), keys.end(), *k) == keys.end()) keys.push_back(*k);
    judgements.push_back({c.a(), c.b(), c.value()});
  }
  if (!req.portfolio_id().empty()) {
    // With a model, the comparisons must cover exactly its criteria.
    auto m = LoadModel(req.portfolio_id());
    if (!m.ok()) return m.status();
    if (*m) {
      keys.clear();
      for (const auto& c : (*m)->criteria()) keys.push_back(c.key());
    }
  }
  auto result = domain::DeriveWeights(keys, judgements);
  if (!result.ok()) return result.status();
  v1::DeriveWeightsResponse out;
  for (size_t i = 0; i < result->keys.size(); ++i) {
    auto* w = out.add_weights();
    w->set_key(result->keys[i]);
    w->set_weight(result->weights[i]);
  }
  out.set_consistency_ratio(result->consistency_ratio);
  out.set_lambda_max(result->lambda_max);
  return out;
}

// ---- strategic alignment (from okr) -------------------------------------------------

absl::StatusOr<std::vector<domain::ObjectivePriority>> ScoringApp::Objectives(const std::string& portfolio_id) {
  auto r = redis_.Command({"HGETALL", keys::Objectives(portfolio_id)});
  if (!r.ok()) return r.status();
  std::vector<domain::ObjectivePriority> out;
  for (size_t i = 0; i + 1 < r->size(); i += 2) {
    double priority = 0;
    if (!absl::SimpleAtod(AbslView(r->at(i + 1).str()), &priority)) continue;
    out.push_back({std::string(r->at(i).str()), priority});
  }
  return out;
}

absl::StatusOr<std::optional<double>> ScoringApp::AlignmentOf(const std::string& portfolio_id,
                                                              const std::string& initiative_id,
                                                              const std::vector<domain::ObjectivePriority>& objectives) {
  auto r = redis_.Command({"HGET", keys::Alignment(portfolio_id, initiative_id), "data"});
  if (!r.ok()) return r.status();
  if (r->is_nil()) return std::optional<double>();
  auto a = ParseStored<okr::v1::AlignmentChanged>(r->str(), "alignment");
  if (!a.ok()) return a.status();
  auto computed = domain::ComputeAlignment(LinksOf(*a), objectives);
  if (!computed.ok()) return computed.status();
  return std::optional<double>(computed->value);
}

absl::Status ScoringApp::ApplyAlignment(const okr::v1::AlignmentChanged& alignment, const CallContext& ctx) {
  Violations v;
  if (alignment.initiative_id().empty()) v.Add("initiative_id", "is required");
  if (alignment.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  if (!v.empty()) return v.ToStatus("invalid alignment");
  // Links that cannot be scored (a contribution outside [0, 1], a key result twice) are
  // refused here, not stored to fail every later score of the initiative.
  if (auto checked = domain::ComputeAlignment(LinksOf(alignment), {}); !checked.ok()) return checked.status();
  const auto key = keys::Alignment(alignment.portfolio_id(), alignment.initiative_id());
  AtomicWrite w;
  w.SkipUnlessNewer(key, "version", alignment.version())
      .Command({"HSET", key, "version", std::to_string(alignment.version()), "data", alignment.SerializeAsString()});
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  // Re-score the initiative with its alignment, if intake has told us of it (also when
  // this delivery was a duplicate: the earlier one may have failed after its write).
  auto data = redis_.Command({"HGET", keys::Initiative(alignment.portfolio_id(), alignment.initiative_id()), "data"});
  if (!data.ok()) return data.status();
  if (data->is_nil()) return absl::OkStatus();
  auto snapshot = ParseStored<iv1::Initiative>(data->str(), "initiative");
  if (!snapshot.ok()) return snapshot.status();
  auto model = LoadModel(alignment.portfolio_id());
  if (!model.ok()) return model.status();
  return Score(*snapshot, *model ? &**model : nullptr, /*force=*/true, ctx, nullptr);
}

absl::Status ScoringApp::ApplyObjective(const okr::v1::ObjectiveChanged& objective, const CallContext& ctx) {
  Violations v;
  if (objective.objective_id().empty()) v.Add("objective_id", "is required");
  if (objective.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  if (!std::isfinite(objective.priority()) || objective.priority() < 0) v.Add("priority", "must be a finite number >= 0");
  if (!v.empty()) return v.ToStatus("invalid objective");
  const auto& pid = objective.portfolio_id();
  // Only active objectives align initiatives; the others count with priority 0.
  double effective = objective.status().empty() || objective.status() == "ACTIVE" ? objective.priority() : 0;
  AtomicWrite w;
  const auto key = keys::Objective(pid, objective.objective_id());
  w.SkipUnlessNewer(key, "version", objective.version())
      .Command({"HSET", key, "version", std::to_string(objective.version())})
      .Command({"HSET", keys::Objectives(pid), objective.objective_id(), absl::StrCat(effective)})
      // A re-score running now read the old priorities: this makes its swap abort.
      .Command({"HINCRBY", keys::Writes(pid), "count", "1"})
      .Command({"SADD", keys::kRescorePending, pid});
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  if (*r == WriteResult::kSkipped) return absl::OkStatus();  // a redelivery: already applied
  // Priorities are relative to the highest one: every aligned initiative may move. The
  // record is done once the change is stored; a re-score that fails now stays marked and
  // the re-score worker finishes it, so this partition is not held up.
  if (auto s = RescoreIfPending(pid, ctx); !s.ok())
    log::Warn("re-score after an objective change failed; it will be retried",
              {{"portfolio", pid}, {"reason", s.ToString()}});
  return absl::OkStatus();
}

absl::Status ScoringApp::ApplyBenefit(const benefits::v1::BenefitChanged& changed) {
  const auto& b = changed.benefit();
  Violations v;
  if (b.benefit_id().empty()) v.Add("benefit.benefit_id", "is required");
  if (b.initiative_id().empty()) v.Add("benefit.initiative_id", "is required");
  if (b.portfolio_id().empty()) v.Add("benefit.portfolio_id", "is required");
  if (!v.empty()) return v.ToStatus("invalid benefit");
  // Expected value: the promised improvement times what a unit is worth (financial
  // benefits carry a value per unit; others count 0 here).
  double expected = 0;
  if (b.has_baseline() && b.has_target() && b.value_per_unit().minor_units() > 0)
    expected = std::abs(b.target() - b.baseline()) * Major(b.value_per_unit());
  AtomicWrite w;
  const auto key = keys::Benefit(b.portfolio_id(), b.benefit_id());
  w.SkipUnlessNewer(key, "version", b.version())
      .Command({"HSET", key, "version", std::to_string(b.version())});
  const auto per_initiative = keys::InitiativeBenefits(b.portfolio_id(), b.initiative_id());
  if (b.removed()) w.Command({"HDEL", per_initiative, b.benefit_id()});
  else w.Command({"HSET", per_initiative, b.benefit_id(), absl::StrCat(expected)});
  return outbox_.Commit(w).status();
}

// ---- scoring and ranking ----------------------------------------------------------

absl::Status ScoringApp::ApplyInitiative(const iv1::Initiative& snapshot, const CallContext& ctx) {
  Violations v;
  if (snapshot.id().empty()) v.Add("initiative.id", "is required");
  if (snapshot.portfolio_id().empty()) v.Add("initiative.portfolio_id", "is required");
  if (!v.empty()) return v.ToStatus("invalid initiative snapshot");
  auto model = LoadModel(snapshot.portfolio_id());
  if (!model.ok()) return model.status();
  return Score(snapshot, *model ? &**model : nullptr, /*force=*/false, ctx, nullptr);
}

absl::Status ScoringApp::Score(const iv1::Initiative& snapshot, const v1::ScoringModel* model, bool force,
                               const CallContext& ctx, v1::RankMove* move) {
  const std::string& pid = snapshot.portfolio_id();
  const std::string& id = snapshot.id();
  AtomicWrite w;
  const auto key = keys::Initiative(pid, id);
  if (force) {
    // Re-scoring a stored snapshot: it must still be the stored one.
    w.ExpectField(key, "version", std::to_string(snapshot.version()), absl::StatusCode::kAborted,
                  "initiative " + id + " changed while it was re-scored");
  } else {
    w.SkipUnlessNewer(key, "version", snapshot.version());
    w.Command({"HSET", key, "version", std::to_string(snapshot.version()), "data", snapshot.SerializeAsString()})
        .Command({"SADD", keys::Initiatives(pid), id})
        .Command({"HSET", keys::kInitiativePortfolio, id, pid});
  }

  auto reads = redis_.Pipeline({{"HGET", keys::RankKeys(pid), id},
                                {"HGET", keys::Score(pid, id), "version"},
                                {"HGET", key, "data"}});
  if (!reads.ok()) return reads.status();
  std::string old_key = (*reads)[0].is_nil() ? "" : std::string((*reads)[0].str());
  auto stored_version = StoredInt((*reads)[1].view());
  if (!stored_version.ok()) return stored_version.status();
  int64_t score_version = *stored_version;
  if (!force && score_version > 0 && !(*reads)[2].is_nil()) {
    // A new snapshot whose scoring inputs did not change (a progress report, a new
    // description): stored, but its score, rank and events stand as they are.
    auto before = ParseStored<iv1::Initiative>((*reads)[2].str(), "initiative");
    if (before.ok() && SameScoringInputs(*before, snapshot)) return outbox_.Commit(w).status();
  }
  // What this write was computed from must still hold when it commits: the ranking
  // member it replaces, the score version it follows and the model it used. A
  // concurrent re-score or model change makes it ABORTED, and the consumer retries.
  w.ExpectField(keys::RankKeys(pid), id, old_key, absl::StatusCode::kAborted, "ranking of " + id + " changed concurrently")
      .ExpectField(keys::Score(pid, id), "version", score_version == 0 ? "" : std::to_string(score_version),
                   absl::StatusCode::kAborted, "score of " + id + " changed concurrently")
      .ExpectField(keys::Model(pid), "version", model ? std::to_string(model->version()) : "",
                   absl::StatusCode::kAborted, "scoring model of " + pid + " changed concurrently")
      .Command({"HINCRBY", keys::Writes(pid), "count", "1"});
  int old_rank = 0;
  if (!old_key.empty()) {
    auto r = redis_.Command({"ZLEXCOUNT", keys::Ranking(pid), "-", "(" + old_key});
    if (!r.ok()) return r.status();
    old_rank = static_cast<int>(r->integer()) + 1;
    w.Command({"ZREM", keys::Ranking(pid), old_key}).Command({"HDEL", keys::RankKeys(pid), id});
  }

  v1::InitiativeScore score;
  score.set_initiative_id(id);
  score.set_portfolio_id(pid);
  score.set_initiative_version(snapshot.version());
  score.set_stage(iv1::Stage_Name(snapshot.stage()));
  int new_rank = 0;
  if (model && Ranked(snapshot.stage())) {
    auto scorer = domain::Scorer::Create(ToDomain(*model));
    if (!scorer.ok()) return scorer.status();
    domain::Ratings ratings(snapshot.ratings().begin(), snapshot.ratings().end());
    // Strategic alignment is computed from okr's links and objective priorities, never
    // typed in; while okr has said nothing of the initiative it counts as missing.
    auto objectives = Objectives(pid);
    if (!objectives.ok()) return objectives.status();
    auto alignment = AlignmentOf(pid, id, *objectives);
    if (!alignment.ok()) return alignment.status();
    auto explained = scorer->Score(ratings, *alignment);
    if (!explained.ok()) return explained.status();
    FillScore(*explained, model->version(), score);
    std::string new_key = RankKey({id, explained->score, explained->Subtotal(domain::Category::kValue),
                                   SubmittedAtMs(snapshot)});
    auto r = redis_.Command({"ZLEXCOUNT", keys::Ranking(pid), "-", "(" + new_key});
    if (!r.ok()) return r.status();
    new_rank = static_cast<int>(r->integer()) + 1;
    if (!old_key.empty() && old_key < new_key) --new_rank;  // the old entry leaves from above
    score.set_rank(new_rank);
    w.Command({"ZADD", keys::Ranking(pid), "0", new_key}).Command({"HSET", keys::RankKeys(pid), id, new_key});
  }
  w.Command({"HSET", keys::Score(pid, id), "version", std::to_string(score_version + 1), "data",
             score.SerializeAsString()});
  v1::InitiativeScored scored;
  *scored.mutable_score() = score;
  // The score's own version: re-scores after a model or alignment change are newer
  // than the last score even though the intake snapshot is the same.
  auto env = MakeEnvelope(scored, {.source = kSource, .subject = id, .portfolio_id = pid,
                                   .aggregate_version = score_version + 1, .correlation_id = ctx.correlation_id,
                                   .causation_id = ctx.causation_id},
                          clock_);
  w.Publish(ToOutboxEvent(topics::kScoringEvents, env));
  if (old_rank != new_rank && !move) {
    v1::RankingChanged changed;
    changed.set_portfolio_id(pid);
    changed.set_model_version(model ? model->version() : 0);
    auto* m = changed.add_moves();
    m->set_initiative_id(id);
    m->set_old_rank(old_rank);
    m->set_new_rank(new_rank);
    auto renv = MakeEnvelope(changed, {.source = kSource, .subject = pid, .portfolio_id = pid, .aggregate_version = 0,
                                       .correlation_id = ctx.correlation_id, .causation_id = ctx.causation_id},
                             clock_);
    w.Publish(ToOutboxEvent(topics::kScoringEvents, renv));
  }
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  if (*r == WriteResult::kApplied) {
    if (counters_) counters_->scored.Add({}).Increment();
    if (move) {
      move->set_initiative_id(id);
      move->set_old_rank(old_rank);
      move->set_new_rank(new_rank);
    }
  }
  return absl::OkStatus();
}

absl::Status ScoringApp::RescoreIfPending(const std::string& portfolio_id, const CallContext& ctx) {
  // One full re-score per portfolio at a time: another caller (the model change, an
  // objective change, the worker, another replica) leaves it to the running one, which
  // starts again from whatever changed meanwhile.
  const std::string lease = keys::RescoreLease(portfolio_id);
  const std::string owner = NewUuid();
  auto got = redis_.Command({"SET", lease, owner, "NX", "PX", "300000"});
  if (!got.ok()) return got.status();
  if (got->is_nil()) return absl::OkStatus();
  // ABORTED: scores, priorities or the model moved under it; start again from them. The
  // pending mark is cleared by the swap itself, so a change after the read keeps it set.
  auto result = RetryOnRace([&] { return RescorePortfolio(portfolio_id, ctx); }, 6).status();
  if (auto held = redis_.Command({"GET", lease}); held.ok() && !held->is_nil() && held->str() == owner)
    redis_.Command({"DEL", lease}).IgnoreError();
  return result;
}

absl::Status ScoringApp::DrainPendingRescores() {
  auto pending = redis_.Command({"SMEMBERS", keys::kRescorePending});
  if (!pending.ok()) return pending.status();
  absl::Status first;
  for (size_t i = 0; i < pending->size(); ++i) {
    auto s = RescoreIfPending(std::string(pending->at(i).str()), {NewUuid(), ""});
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

absl::StatusOr<int> ScoringApp::RescorePortfolio(const std::string& portfolio_id, const CallContext& ctx) {
  // Everything at once: load every snapshot in pipelines, score and rank in memory,
  // build the new ranking under temporary keys and swap it in with one atomic step, so
  // readers see the old ranking or the new one, never a mix.
  constexpr size_t kChunk = 500;
  auto model = LoadModel(portfolio_id);
  if (!model.ok()) return model.status();
  // Incremental score writes bump this counter; the swap only happens if none landed
  // while the re-score was computed, so nothing newer is overwritten.
  auto writes = redis_.Command({"HGET", keys::Writes(portfolio_id), "count"});
  if (!writes.ok()) return writes.status();
  std::string writes_seen = writes->is_nil() ? "" : std::string(writes->str());
  auto ids = redis_.Command({"SMEMBERS", keys::Initiatives(portfolio_id)});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> id_list;
  for (size_t i = 0; i < ids->size(); ++i) id_list.emplace_back(ids->at(i).str());

  std::optional<domain::Scorer> scorer;
  if (*model) {
    auto sc = domain::Scorer::Create(ToDomain(**model));
    if (!sc.ok()) return sc.status();
    scorer.emplace(std::move(*sc));
  }
  auto objectives = Objectives(portfolio_id);
  if (!objectives.ok()) return objectives.status();
  std::vector<v1::InitiativeScore> scores;
  std::vector<domain::RankInput> ranked_inputs;
  std::vector<int64_t> versions;
  scores.reserve(id_list.size());
  for (size_t from = 0; from < id_list.size(); from += kChunk) {
    std::vector<RedisArgs> cmds;
    for (size_t i = from; i < std::min(id_list.size(), from + kChunk); ++i) {
      cmds.push_back({"HGET", keys::Initiative(portfolio_id, id_list[i]), "data"});
      cmds.push_back({"HGET", keys::Alignment(portfolio_id, id_list[i]), "data"});
      cmds.push_back({"HGET", keys::Score(portfolio_id, id_list[i]), "version"});
    }
    auto replies = redis_.Pipeline(cmds);
    if (!replies.ok()) return replies.status();
    for (size_t j = 0; j + 2 < replies->size(); j += 3) {
      auto& r = (*replies)[j];
      if (r.is_nil()) continue;
      // One initiative that cannot be scored (undecodable, invalid links) is logged and
      // left out; it does not hold the whole portfolio back.
      auto skip = [&](const absl::Status& why) {
        log::Error("initiative left out of the re-score", {{"portfolio", portfolio_id}, {"reason", why.ToString()}});
      };
      std::optional<double> alignment;
      if (!(*replies)[j + 1].is_nil()) {
        auto a = ParseStored<okr::v1::AlignmentChanged>((*replies)[j + 1].str(), "alignment");
        if (!a.ok()) {
          skip(a.status());
          continue;
        }
        auto computed = domain::ComputeAlignment(LinksOf(*a), *objectives);
        if (!computed.ok()) {
          skip(computed.status());
          continue;
        }
        alignment = computed->value;
      }
      auto stored_version = StoredInt((*replies)[j + 2].view());
      if (!stored_version.ok()) return stored_version.status();
      int64_t old_score_version = *stored_version;
      auto snap = ParseStored<iv1::Initiative>(r.str(), "initiative");
      if (!snap.ok()) {
        skip(snap.status());
        continue;
      }
      v1::InitiativeScore score;
      score.set_initiative_id(snap->id());
      score.set_portfolio_id(portfolio_id);
      score.set_initiative_version(snap->version());
      score.set_stage(iv1::Stage_Name(snap->stage()));
      if (scorer && Ranked(snap->stage())) {
        domain::Ratings ratings(snap->ratings().begin(), snap->ratings().end());
        auto explained = scorer->Score(ratings, alignment);
        if (!explained.ok()) {
          skip(explained.status());
          continue;
        }
        FillScore(*explained, (*model)->version(), score);
        ranked_inputs.push_back(
            {snap->id(), explained->score, explained->Subtotal(domain::Category::kValue), SubmittedAtMs(*snap)});
      }
      versions.push_back(old_score_version + 1);
      scores.push_back(std::move(score));
    }
  }
  auto ranking = domain::Rank(ranked_inputs);
  if (!ranking.ok()) return ranking.status();
  std::unordered_map<std::string, int> rank_of;
  for (const auto& e : *ranking) rank_of[e.id] = e.rank;

  // The new ranking, built aside.
  const std::string run = NewUuid();  // concurrent re-scores never share temporary keys
  const std::string tmp_ranking = keys::Ranking(portfolio_id) + ":rebuild:" + run;
  const std::string tmp_keys = keys::RankKeys(portfolio_id) + ":rebuild:" + run;
  if (auto r = redis_.Command({"DEL", tmp_ranking, tmp_keys}); !r.ok()) return r.status();
  for (size_t from = 0; from < ranked_inputs.size(); from += kChunk) {
    RedisArgs zadd = {"ZADD", tmp_ranking};
    RedisArgs hset = {"HSET", tmp_keys};
    for (size_t i = from; i < std::min(ranked_inputs.size(), from + kChunk); ++i) {
      std::string member = RankKey(ranked_inputs[i]);
      zadd.push_back("0");
      zadd.push_back(member);
      hset.push_back(ranked_inputs[i].id);
      hset.push_back(std::move(member));
    }
    // Left behind only if this process dies before the swap: they expire.
    auto r = redis_.PipelineEach({zadd, hset, {"EXPIRE", tmp_ranking, "3600"}, {"EXPIRE", tmp_keys, "3600"}});
    if (!r.ok()) return r.status();
    for (auto& x : *r)
      if (!x.ok()) return x.status();
  }
  // Scores and their InitiativeScored events, one atomic write per chunk, each only while
  // no incremental score, priority change or model change has landed since the read
  // (otherwise ABORTED, and the re-score starts again from the new state). Until the
  // swap below, readers see new scores beside the old ranking; the ranking itself is
  // the old one or the new one, never a mix.
  for (size_t from = 0; from < scores.size(); from += kChunk) {
    AtomicWrite w;
    w.ExpectField(keys::Writes(portfolio_id), "count", writes_seen, absl::StatusCode::kAborted,
                  "scores of " + portfolio_id + " changed during the re-score");
    for (size_t i = from; i < std::min(scores.size(), from + kChunk); ++i) {
      auto& score = scores[i];
      auto it = rank_of.find(score.initiative_id());
      score.set_rank(it == rank_of.end() ? 0 : it->second);
      w.Command({"HSET", keys::Score(portfolio_id, score.initiative_id()), "version", std::to_string(versions[i]),
                 "data", score.SerializeAsString()});
      v1::InitiativeScored scored;
      *scored.mutable_score() = score;
      auto env = MakeEnvelope(scored, {.source = kSource, .subject = score.initiative_id(), .portfolio_id = portfolio_id,
                                       .aggregate_version = versions[i], .correlation_id = ctx.correlation_id,
                                       .causation_id = ctx.causation_id},
                              clock_);
      w.Publish(ToOutboxEvent(topics::kScoringEvents, env));
    }
    if (auto r = outbox_.Commit(w); !r.ok()) return r.status();
  }
  // Swap the rankings in, and announce the new positions (chunked, so no event is huge).
  AtomicWrite swap;
  swap.ExpectField(keys::Writes(portfolio_id), "count", writes_seen, absl::StatusCode::kAborted,
                   "scores of " + portfolio_id + " changed during the re-score")
      .ExpectField(keys::Model(portfolio_id), "version", *model ? std::to_string((*model)->version()) : "",
                   absl::StatusCode::kAborted, "scoring model of " + portfolio_id + " changed during the re-score");
  if (ranked_inputs.empty()) {
    swap.Command({"DEL", keys::Ranking(portfolio_id)}).Command({"DEL", keys::RankKeys(portfolio_id)});
  } else {
    swap.Command({"RENAME", tmp_ranking, keys::Ranking(portfolio_id)})
        .Command({"RENAME", tmp_keys, keys::RankKeys(portfolio_id)})
        .Command({"PERSIST", keys::Ranking(portfolio_id)})  // RENAME keeps the rebuild's TTL
        .Command({"PERSIST", keys::RankKeys(portfolio_id)});
  }
  swap.Command({"SREM", keys::kRescorePending, portfolio_id});
  constexpr int kMovesPerEvent = 5000;
  for (size_t from = 0; from < ranking->size() || from == 0; from += kMovesPerEvent) {
    v1::RankingChanged changed;
    changed.set_portfolio_id(portfolio_id);
    changed.set_model_version(*model ? (*model)->version() : 0);
    for (size_t i = from; i < std::min(ranking->size(), from + kMovesPerEvent); ++i) {
      auto* m = changed.add_moves();
      m->set_initiative_id((*ranking)[i].id);
      m->set_new_rank((*ranking)[i].rank);
    }
    auto env = MakeEnvelope(changed, {.source = kSource, .subject = portfolio_id, .portfolio_id = portfolio_id,
                                      .aggregate_version = changed.model_version(), .correlation_id = ctx.correlation_id,
                                      .causation_id = ctx.causation_id},
                            clock_);
    swap.Publish(ToOutboxEvent(topics::kScoringEvents, env));
    if (ranking->empty()) break;
  }
  if (auto r = outbox_.Commit(swap); !r.ok()) {
    redis_.Command({"DEL", tmp_ranking, tmp_keys}).IgnoreError();
    return r.status();
  }
  if (counters_) counters_->scored.Add({}).Increment(static_cast<double>(scores.size()));
  return static_cast<int>(scores.size());
}

absl::StatusOr<v1::GetRankingResponse> ScoringApp::GetRanking(const v1::GetRankingRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto size = PageSize(req.page(), ScoringApp::kDefaultPageSize, ScoringApp::kMaxPageSize);
  if (!size.ok()) return size.status();
  int64_t offset = 0;
  if (!req.page().page_token().empty() && (!absl::SimpleAtoi(req.page().page_token(), &offset) || offset < 0))
    return InvalidArgument("invalid page", {{"page.page_token", "is not a token this service issued"}});
  std::set<std::string> stages(req.stages().begin(), req.stages().end());
  v1::GetRankingResponse out;
  const auto& pid = req.portfolio_id();
  auto total = redis_.Command({"ZCARD", keys::Ranking(pid)});
  if (!total.ok()) return total.status();
  out.mutable_page()->set_total_size(total->integer());
  while (out.entries_size() < *size) {
    auto members = redis_.Command({"ZRANGE", keys::Ranking(pid), std::to_string(offset),
                                   std::to_string(offset + *size - 1)});
    if (!members.ok()) return members.status();
    if (members->size() == 0) return out;
    std::vector<RedisArgs> cmds;
    for (size_t i = 0; i < members->size(); ++i) {
      std::string m(members->at(i).str());
      cmds.push_back({"HGET", keys::Score(pid, m.substr(m.rfind('|') + 1)), "data"});
    }
    auto scores = redis_.Pipeline(cmds);
    if (!scores.ok()) return scores.status();
    for (size_t i = 0; i < scores->size(); ++i) {
      ++offset;
      if ((*scores)[i].is_nil()) continue;
      auto s = ParseStored<v1::InitiativeScore>((*scores)[i].str(), "score");
      if (!s.ok()) return s.status();
      s->set_rank(static_cast<int>(offset));  // the position now, whatever it was when scored
      if (!stages.empty() && !stages.contains(s->stage())) continue;
      *out.add_entries() = std::move(*s);
      if (out.entries_size() == *size) break;
    }
    if (offset < total->integer() && out.entries_size() == *size) {
      out.mutable_page()->set_next_page_token(std::to_string(offset));
      return out;
    }
    if (offset >= total->integer()) return out;
  }
  return out;
}

absl::StatusOr<v1::InitiativeScore> ScoringApp::ExplainScore(const v1::ExplainScoreRequest& req) {
  if (req.initiative_id().empty()) return InvalidArgument("invalid request", {{"initiative_id", "is required"}});
  auto pid = redis_.Command({"HGET", keys::kInitiativePortfolio, req.initiative_id()});
  if (!pid.ok()) return pid.status();
  if (pid->is_nil()) return absl::NotFoundError("initiative " + req.initiative_id() + " is not known to scoring");
  std::string p(pid->str());
  auto data = redis_.Command({"HGET", keys::Score(p, req.initiative_id()), "data"});
  if (!data.ok()) return data.status();
  if (data->is_nil()) return absl::NotFoundError("initiative " + req.initiative_id() + " has no score yet");
  auto s = ParseStored<v1::InitiativeScore>(data->str(), "score");
  if (!s.ok()) return s.status();
  if (s->model_version() == 0) {  // scored before any model existed
    auto model = LoadModel(p);
    if (!model.ok()) return model.status();
    if (!*model) return absl::FailedPreconditionError("portfolio " + p + " has no scoring model yet");
  }
  auto member = redis_.Command({"HGET", keys::RankKeys(p), req.initiative_id()});
  if (member.ok() && !member->is_nil()) {
    auto r = redis_.Command({"ZLEXCOUNT", keys::Ranking(p), "-", "(" + std::string(member->str())});
    if (r.ok()) s->set_rank(static_cast<int>(r->integer()) + 1);
  } else {
    s->set_rank(0);
  }
  return *s;
}

// ---- portfolios and scenarios -----------------------------------------------------

absl::Status ScoringApp::ApplyPortfolio(const iv1::Portfolio& portfolio) {
  if (portfolio.id().empty()) return InvalidArgument("invalid portfolio", {{"portfolio.id", "is required"}});
  AtomicWrite w;
  w.SkipUnlessNewer(keys::Portfolio(portfolio.id()), "version", portfolio.version())
      .Command({"HSET", keys::Portfolio(portfolio.id()), "version", std::to_string(portfolio.version()), "data",
                portfolio.SerializeAsString()});
  return outbox_.Commit(w).status();
}

namespace {
struct ScenarioInputs {
  domain::Scenario scenario;
  int candidates = 0;
};
}  // namespace

static absl::StatusOr<ScenarioInputs> BuildScenario(RedisPool& redis, const std::string& pid,
                                                    const v1::ScenarioConstraints& c, v1::Objective objective,
                                                    int64_t time_limit_ms) {
  ScenarioInputs in;
  auto& sc = in.scenario;
  sc.objective = ToDomain(objective);
  sc.time_limit_ms = time_limit_ms > 0 ? time_limit_ms : 10'000;
  std::set<std::string> stages(c.candidate_stages().begin(), c.candidate_stages().end());
  if (stages.empty())
    stages = {"STAGE_SUBMITTED", "STAGE_IN_REVIEW", "STAGE_APPROVED", "STAGE_ACTIVE"};
  auto portfolio = redis.Command({"HGET", keys::Portfolio(pid), "data"});
  if (!portfolio.ok()) return portfolio.status();
  if (portfolio->is_nil() && c.budget_per_quarter_size() == 0)
    return absl::NotFoundError("portfolio " + pid + " is not known to scoring yet (no PortfolioChanged consumed)");
  iv1::Portfolio p;
  if (!portfolio->is_nil()) p.ParseFromString(std::string(portfolio->str()));
  const auto& budgets = c.budget_per_quarter_size() > 0 ? c.budget_per_quarter() : p.budget_per_quarter();
  for (const auto& b : budgets) sc.constraints.budget_per_quarter[QuarterKey(b.quarter())] = Major(b.amount());
  const auto& capacity = c.capacity_size() > 0 ? c.capacity() : p.capacity();
  for (const auto& s : capacity) sc.constraints.capacity_hours[s.skill()][QuarterKey(s.quarter())] = s.hours();
  int wip = c.wip_limit() != 0 ? c.wip_limit() : p.wip_limit();
  if (wip > 0) sc.constraints.wip_limit = wip;
  sc.constraints.mandatory.assign(c.mandatory().begin(), c.mandatory().end());
  sc.constraints.excluded.assign(c.excluded().begin(), c.excluded().end());
  for (const auto& d : c.dependencies()) sc.constraints.dependencies.push_back({d.dependent(), d.prerequisite()});
  for (const auto& g : c.exclusive_groups())
    sc.constraints.exclusive_groups.push_back({g.name(), {g.initiative_ids().begin(), g.initiative_ids().end()}});

  auto ids = redis.Command({"SMEMBERS", keys::Initiatives(pid)});
  if (!ids.ok()) return ids.status();
  std::vector<RedisArgs> cmds;
  std::vector<std::string> id_list;
  for (size_t i = 0; i < ids->size(); ++i) {
    id_list.emplace_back(ids->at(i).str());
    cmds.push_back({"HGET", keys::Initiative(pid, id_list.back()), "data"});
    cmds.push_back({"HGET", keys::Score(pid, id_list.back()), "data"});
    cmds.push_back({"HVALS", keys::InitiativeBenefits(pid, id_list.back())});
  }
  std::set<std::string> candidate_ids;
  std::map<std::string, iv1::Stage> stage_of;
  std::vector<iv1::Initiative> snapshots;
  if (!cmds.empty()) {
    auto replies = redis.Pipeline(cmds);
    if (!replies.ok()) return replies.status();
    for (size_t i = 0; i < id_list.size(); ++i) {
      const auto& data = (*replies)[3 * i];
      const auto& score = (*replies)[3 * i + 1];
      const auto& registered = (*replies)[3 * i + 2];
      if (data.is_nil()) continue;
      iv1::Initiative snap;
      if (!snap.ParseFromString(std::string(data.str()))) return absl::DataLossError("stored initiative does not decode");
      stage_of[snap.id()] = snap.stage();
      if (!stages.contains(iv1::Stage_Name(snap.stage()))) continue;
      domain::Candidate cand;
      cand.id = snap.id();
      if (!score.is_nil()) {
        v1::InitiativeScore s;
        if (s.ParseFromString(std::string(score.str()))) cand.score = s.score();
      }
      // Expected benefit value: from the benefits register once it has the initiative's
      // benefits; until then the economic case's expected value.
      if (registered.size() > 0) {
        for (size_t k = 0; k < registered.size(); ++k) {
          double value = 0;
          if (absl::SimpleAtod(AbslView(registered.at(k).str()), &value)) cand.expected_benefit += value;
        }
      } else {
        cand.expected_benefit = Major(snap.business_case().economic().expected_value());
      }
      cand.risk_probability = snap.risk().probability();
      cand.risk_impact = std::clamp(snap.risk().impact(), 0.0, 1.0);
      for (const auto& q : snap.cost_per_quarter()) cand.cost_per_quarter[QuarterKey(q.quarter())] += Major(q.amount());
      for (const auto& e : snap.effort()) cand.effort_hours[e.skill()][QuarterKey(e.quarter())] += e.hours();
      candidate_ids.insert(cand.id);
      sc.candidates.push_back(std::move(cand));
      snapshots.push_back(std::move(snap));
    }
  }
  // Dependencies intake recorded: one on a candidate is a constraint; one on an
  // initiative already funded or delivered is satisfied; any other (stopped, draft,
  // unknown) cannot be met, so the dependent is not selectable.
  for (const auto& snap : snapshots)
    for (const auto& dep : snap.dependencies()) {
      if (candidate_ids.contains(dep)) {
        sc.constraints.dependencies.push_back({snap.id(), dep});
        continue;
      }
      auto st = stage_of.find(dep);
      bool satisfied = st != stage_of.end() &&
                       (st->second == iv1::STAGE_ACTIVE || st->second == iv1::STAGE_DELIVERED ||
                        st->second == iv1::STAGE_SUSTAINING || st->second == iv1::STAGE_CLOSED);
      if (!satisfied) sc.constraints.excluded.push_back(snap.id());
    }
  // A quarter or skill the portfolio has no budget or capacity for has none (as in
  // intake's capacity check), rather than an unlimited one.
  for (const auto& cand : sc.candidates) {
    for (const auto& [q, amount] : cand.cost_per_quarter) sc.constraints.budget_per_quarter.try_emplace(q, 0.0);
    for (const auto& [skill, per_q] : cand.effort_hours)
      for (const auto& [q, h] : per_q) sc.constraints.capacity_hours[skill].try_emplace(q, 0.0);
  }
  in.candidates = static_cast<int>(sc.candidates.size());
  return in;
}

absl::StatusOr<v1::Scenario> ScoringApp::RunScenario(const v1::RunScenarioRequest& req, const CallContext& ctx) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  if (req.time_limit_ms() < 0) v.Add("time_limit_ms", "must not be negative");
  if (req.time_limit_ms() > 600'000) v.Add("time_limit_ms", "must be at most 600000 (10 minutes)");
  if (!v.empty()) return v.ToStatus("invalid scenario");
  auto inputs = BuildScenario(redis_, req.portfolio_id(), req.constraints(), req.objective(), req.time_limit_ms());
  if (!inputs.ok()) return inputs.status();
  auto result = domain::RunScenario(inputs->scenario);
  if (!result.ok()) return result.status();
  v1::Scenario out;
  out.set_scenario_id(NewUuid());
  out.set_portfolio_id(req.portfolio_id());
  out.set_name(req.name());
  out.set_objective(req.objective() == v1::OBJECTIVE_UNSPECIFIED ? v1::OBJECTIVE_TOTAL_SCORE : req.objective());
  out.set_status(ToProto(result->status));
  *out.mutable_optimal() = ToProto(result->optimal);
  out.set_relative_gap(result->relative_gap);
  for (const auto& c : result->conflicts) out.add_conflicts(c);
  out.set_solve_time_ms(result->solve_time_ms);
  *out.mutable_greedy() = ToProto(result->greedy);
  out.set_gain_over_greedy(result->gain);
  out.set_candidate_count(inputs->candidates);
  if (counters_)
    counters_->solve_seconds.Add({{"status", v1::ScenarioStatus_Name(out.status())}}, Metrics::LatencyBuckets())
        .Observe(static_cast<double>(result->solve_time_ms) / 1000.0);
  v1::ScenarioEvaluated evaluated;
  *evaluated.mutable_scenario() = out;
  auto env = MakeEnvelope(evaluated, {.source = kSource, .subject = out.scenario_id(), .portfolio_id = req.portfolio_id(),
                                      .aggregate_version = 1, .correlation_id = ctx.correlation_id,
                                      .causation_id = ctx.causation_id},
                          clock_);
  AtomicWrite w;
  w.Command({"SET", keys::Scenario(req.portfolio_id(), out.scenario_id()), out.SerializeAsString()})
      .Command({"ZADD", keys::Scenarios(req.portfolio_id()), std::to_string(absl::ToUnixMillis(clock_.Now())),
                out.scenario_id()})
      .Command({"HSET", keys::kScenarioPortfolio, out.scenario_id(), req.portfolio_id()})
      .Publish(ToOutboxEvent(topics::kScoringEvents, env));
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  return out;
}

absl::StatusOr<v1::Scenario> ScoringApp::GetScenario(const v1::GetScenarioRequest& req) {
  if (req.scenario_id().empty()) return InvalidArgument("invalid request", {{"scenario_id", "is required"}});
  auto pid = redis_.Command({"HGET", keys::kScenarioPortfolio, req.scenario_id()});
  if (!pid.ok()) return pid.status();
  if (pid->is_nil()) return absl::NotFoundError("scenario " + req.scenario_id() + " not found");
  auto data = redis_.Command({"GET", keys::Scenario(std::string(pid->str()), req.scenario_id())});
  if (!data.ok()) return data.status();
  if (data->is_nil()) return absl::NotFoundError("scenario " + req.scenario_id() + " not found");
  return ParseStored<v1::Scenario>(data->str(), "scenario");
}

absl::StatusOr<v1::ListScenariosResponse> ScoringApp::ListScenarios(const v1::ListScenariosRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto ids = redis_.Command({"ZRANGE", keys::Scenarios(req.portfolio_id()), "0", "-1"});
  if (!ids.ok()) return ids.status();
  v1::ListScenariosResponse out;
  for (size_t i = 0; i < ids->size(); ++i) {
    v1::GetScenarioRequest g;
    g.set_scenario_id(std::string(ids->at(i).str()));
    auto s = GetScenario(g);
    if (s.ok()) *out.add_scenarios() = std::move(*s);
  }
  return out;
}

absl::StatusOr<v1::CompareScenariosResponse> ScoringApp::CompareScenarios(const v1::CompareScenariosRequest& req) {
  Violations v;
  if (req.scenario_a().empty()) v.Add("scenario_a", "is required");
  if (req.scenario_b().empty()) v.Add("scenario_b", "is required");
  if (!v.empty()) return v.ToStatus("invalid comparison");
  v1::GetScenarioRequest ga, gb;
  ga.set_scenario_id(req.scenario_a());
  gb.set_scenario_id(req.scenario_b());
  auto a = GetScenario(ga);
  if (!a.ok()) return a.status();
  auto b = GetScenario(gb);
  if (!b.ok()) return b.status();
  std::set<std::string> in_a(a->optimal().initiative_ids().begin(), a->optimal().initiative_ids().end());
  std::set<std::string> in_b(b->optimal().initiative_ids().begin(), b->optimal().initiative_ids().end());
  v1::CompareScenariosResponse out;
  for (const auto& id : in_b)
    if (!in_a.contains(id)) out.add_added(id);
  for (const auto& id : in_a)
    if (!in_b.contains(id)) out.add_removed(id);
  out.set_objective_delta(b->optimal().objective_value() - a->optimal().objective_value());
  std::map<std::string, std::pair<double, double>> uses;  // name → (a, b)
  for (const auto& c : a->optimal().constraints()) uses[c.name()].first = c.use();
  for (const auto& c : b->optimal().constraints()) {
    uses[c.name()].second = c.use();
  }
  for (const auto& [name, ab] : uses) {
    auto* d = out.add_use_delta();
    d->set_name(name);
    d->set_use(ab.second - ab.first);
  }
  return out;
}

absl::StatusOr<v1::EfficientFrontierResponse> ScoringApp::EfficientFrontier(const v1::EfficientFrontierRequest& req) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  if (req.budget_levels_size() == 0) v.Add("budget_levels", "must list at least one level");
  for (int i = 0; i < req.budget_levels_size(); ++i)
    if (!std::isfinite(req.budget_levels(i)) || req.budget_levels(i) < 0)
      v.Add(absl::StrCat("budget_levels[", i, "]"), "must be a finite number >= 0");
  if (!v.empty()) return v.ToStatus("invalid frontier request");
  auto inputs = BuildScenario(redis_, req.portfolio_id(), {}, req.objective(), req.time_limit_ms());
  if (!inputs.ok()) return inputs.status();
  auto points = domain::EfficientFrontier(inputs->scenario, {req.budget_levels().begin(), req.budget_levels().end()});
  if (!points.ok()) return points.status();
  v1::EfficientFrontierResponse out;
  for (const auto& p : *points) {
    auto* fp = out.add_points();
    fp->set_budget_level(p.budget_scale);
    fp->set_objective_value(p.objective_value);
    fp->set_status(ToProto(p.status));
    for (const auto& id : p.selected_ids) fp->add_initiative_ids(id);
  }
  return out;
}

}  // namespace pmo::scoring::app
