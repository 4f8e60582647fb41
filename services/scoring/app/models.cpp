#include "services/scoring/app/models.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/scoring/app/convert.h"
#include "services/scoring/domain/ahp.h"
#include "services/scoring/domain/model.h"
#include "pmo/base/errors.h"
#include "pmo/common/log.h"
#include "pmo/scoring/v1/events.pb.h"

namespace pmo::scoring::app {

absl::StatusOr<v1::ScoringModel> Models::SetScoringModel(const v1::SetScoringModelRequest& req,
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
  auto current = models_.LoadModel(pid);
  if (!current.ok()) return current.status();
  int64_t current_version = *current ? (*current)->version() : 0;
  if (req.expected_version() != current_version)
    return absl::AbortedError(absl::StrCat("scoring model of ", pid, " is at version ", current_version,
                                           ", not the expected ", req.expected_version()));
  v1::ScoringModel model = req.model();
  model.set_version(current_version + 1);
  v1::ScoringModelChanged changed;
  *changed.mutable_model() = model;
  std::vector<OutboxEvent> events;
  events.push_back(ScoringEvent(changed, pid, pid, model.version(), ctx, clock_));
  // The store marks the portfolio for a re-score with the model itself.
  if (auto s = models_.SaveModel(model, current_version, std::move(events)); !s.ok()) return s;
  // Re-score now so the caller sees the new ranking; if it fails, the mark remains.
  if (auto s = rescoring_.RescoreIfPending(pid, ctx); !s.ok())
    log::Warn("re-score after model change failed; it will be retried", {{"portfolio", pid}, {"reason", s.ToString()}});
  return model;
}

absl::StatusOr<v1::ScoringModel> Models::GetScoringModel(const v1::GetScoringModelRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto m = models_.LoadModel(req.portfolio_id());
  if (!m.ok()) return m.status();
  if (!*m) return absl::NotFoundError("portfolio " + req.portfolio_id() + " has no scoring model");
  return **m;
}

absl::StatusOr<v1::DeriveWeightsResponse> Models::DeriveWeights(const v1::DeriveWeightsRequest& req) {
  std::vector<std::string> keys;
  std::vector<domain::PairwiseJudgement> judgements;
  for (const auto& c : req.comparisons()) {
    for (const auto* k : {&c.a(), &c.b()})
      if (std::find(keys.begin(), keys.end(), *k) == keys.end()) keys.push_back(*k);
    judgements.push_back({c.a(), c.b(), c.value()});
  }
  if (!req.portfolio_id().empty()) {
    // With a model, the comparisons must cover exactly its criteria.
    auto m = models_.LoadModel(req.portfolio_id());
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

}  // namespace pmo::scoring::app
