#include "services/scoring/app/read_models.h"

#include <cmath>
#include <optional>

#include "pmo/common/proto_convert.h"
#include "services/scoring/app/convert.h"
#include "services/scoring/domain/alignment.h"
#include "pmo/base/errors.h"
#include "pmo/common/log.h"

namespace pmo::scoring::app {
namespace iv1 = ::pmo::intake::v1;

absl::Status ReadModels::ApplyInitiative(const iv1::Initiative& snapshot, const CallContext& ctx) {
  Violations v;
  if (snapshot.id().empty()) v.Add("initiative.id", "is required");
  if (snapshot.portfolio_id().empty()) v.Add("initiative.portfolio_id", "is required");
  if (!v.empty()) return v.ToStatus("invalid initiative snapshot");
  auto model = models_.LoadModel(snapshot.portfolio_id());
  if (!model.ok()) return model.status();
  return scores_.Score(snapshot, *model ? &**model : nullptr, /*rescore_of_stored=*/false, ctx);
}

absl::Status ReadModels::ApplyPortfolio(const iv1::Portfolio& portfolio) {
  if (portfolio.id().empty()) return InvalidArgument("invalid portfolio", {{"portfolio.id", "is required"}});
  return read_models_.SavePortfolio(portfolio).status();
}

absl::Status ReadModels::ApplyAlignment(const okr::v1::AlignmentChanged& alignment, const CallContext& ctx) {
  Violations v;
  if (alignment.initiative_id().empty()) v.Add("initiative_id", "is required");
  if (alignment.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  if (!v.empty()) return v.ToStatus("invalid alignment");
  // Links that cannot be scored (a contribution outside [0, 1], a key result twice) are
  // refused here, not stored to fail every later score of the initiative.
  if (auto checked = domain::ComputeAlignment(LinksOf(alignment), {}); !checked.ok()) return checked.status();
  if (auto r = read_models_.SaveAlignment(alignment); !r.ok()) return r.status();
  // Re-score the initiative with its alignment, if intake has told us of it (also when
  // this delivery was a duplicate: the earlier one may have failed after its write).
  auto snapshot = scores_store_.LoadInitiative(alignment.portfolio_id(), alignment.initiative_id());
  if (!snapshot.ok()) return snapshot.status();
  if (!*snapshot) return absl::OkStatus();
  auto model = models_.LoadModel(alignment.portfolio_id());
  if (!model.ok()) return model.status();
  return scores_.Score(**snapshot, *model ? &**model : nullptr, /*rescore_of_stored=*/true, ctx);
}

absl::Status ReadModels::ApplyObjective(const okr::v1::ObjectiveChanged& objective, const CallContext& ctx) {
  Violations v;
  if (objective.objective_id().empty()) v.Add("objective_id", "is required");
  if (objective.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  if (!std::isfinite(objective.priority()) || objective.priority() < 0) v.Add("priority", "must be a finite number >= 0");
  if (!v.empty()) return v.ToStatus("invalid objective");
  const auto& pid = objective.portfolio_id();
  // Only active objectives align initiatives; the others count with priority 0.
  double effective = objective.status().empty() || objective.status() == "ACTIVE" ? objective.priority() : 0;
  // The store also marks the portfolio for a re-score and invalidates a running one.
  auto r = read_models_.SaveObjectivePriority(pid, objective.objective_id(), objective.version(), effective);
  if (!r.ok()) return r.status();
  if (*r == WriteResult::kSkipped) return absl::OkStatus();  // a redelivery: already applied
  // Priorities are relative to the highest one: every aligned initiative may move. The
  // record is done once the change is stored; a re-score that fails now stays marked and
  // the re-score worker finishes it, so this partition is not held up.
  if (auto s = rescoring_.RescoreIfPending(pid, ctx); !s.ok())
    log::Warn("re-score after an objective change failed; it will be retried",
              {{"portfolio", pid}, {"reason", s.ToString()}});
  return absl::OkStatus();
}

absl::Status ReadModels::ApplyBenefit(const benefits::v1::BenefitChanged& changed) {
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
    expected = std::abs(b.target() - b.baseline()) * MajorUnits(b.value_per_unit());
  const std::optional<double> value = b.removed() ? std::nullopt : std::optional<double>(expected);
  return read_models_.SaveBenefitValue(b.portfolio_id(), b.benefit_id(), b.initiative_id(), b.version(), value)
      .status();
}

}  // namespace pmo::scoring::app
