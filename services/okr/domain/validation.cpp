#include "services/okr/domain/validation.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pmo/base/validation.h"

namespace pmo::okr::domain {
namespace {

// Field checks come from the base layer (pmo/base/validation.h), found from this
// namespace as pmo::CheckRequiredText, pmo::CheckRequiredDate, ...

std::string Describe(const Objective& objective) {
  return absl::StrCat(objective.id, " (", AbslView(LevelName(objective.level)), ")");
}

// The chain from `parent_id` upwards if it leads back to `self`, else empty. The
// visited set keeps a cycle elsewhere in the stored data from trapping the walk.
std::vector<std::string> FindCycle(const std::string& self, const std::string& parent_id,
                                   const ObjectiveLookup& lookup) {
  std::set<std::string> visited;
  std::vector<std::string> chain;
  std::string current = parent_id;
  while (!current.empty() && visited.insert(current).second) {
    chain.push_back(current);
    if (current == self) return chain;
    const std::optional<Objective> found = lookup(current);
    if (!found) break;
    current = found->parent_id;
  }
  return {};
}

void CheckParent(const Objective& objective, const ObjectiveLookup& lookup, Violations& out, bool& parent_missing) {
  parent_missing = false;
  if (objective.parent_id.empty()) return;
  if (!objective.id.empty() && objective.parent_id == objective.id) {
    out.Add("parent_id", "an objective cannot be its own parent");
    return;
  }
  const std::optional<Objective> parent = lookup ? lookup(objective.parent_id) : std::nullopt;
  if (!parent) {
    parent_missing = true;
    return;
  }
  if (objective.level != Level::kUnspecified && parent->level != Level::kUnspecified &&
      !IsStrictlyBelow(objective.level, parent->level)) {
    out.Add("level", absl::StrCat("a ", AbslView(LevelName(objective.level)),
                                  " objective cannot sit below parent ", Describe(*parent),
                                  "; a child must be at a lower level than its parent"));
  }
  if (objective.id.empty()) return;  // nothing can point back to an objective without an id yet
  if (auto chain = FindCycle(objective.id, parent->parent_id, lookup); !chain.empty()) {
    out.Add("parent_id", absl::StrCat("parent cycle: ", objective.id, " -> ", objective.parent_id, " -> ",
                                      absl::StrJoin(chain, " -> ")));
  }
}

void CheckChildren(const Objective& objective, const std::vector<Objective>& children, Violations& out) {
  if (objective.level == Level::kUnspecified) return;
  for (const Objective& child : children) {
    if (child.level == Level::kUnspecified || IsStrictlyBelow(child.level, objective.level)) continue;
    out.Add("level", absl::StrCat("child objective ", Describe(child), " must stay below this objective's level ",
                                  AbslView(LevelName(objective.level))));
  }
}

}  // namespace

absl::Status ValidateObjective(const Objective& objective, const ObjectiveLookup& lookup,
                               const std::vector<Objective>& children) {
  Violations out;
  CheckRequiredText(objective.portfolio_id, kMaxNameLength, "portfolio_id", out);
  CheckRequiredText(objective.title, kMaxTitleLength, "title", out);
  CheckLength(objective.description, kMaxTextLength, "description", out);
  CheckLength(objective.owner, kMaxNameLength, "owner", out);
  if (objective.level == Level::kUnspecified) out.Add("level", "must be COMPANY, PORTFOLIO, PROGRAM or TEAM");
  if (!IsValidPeriod(objective.period)) {
    out.Add("period", absl::StrCat("is not a valid quarter or year (year ", objective.period.year, ", quarter ",
                                   objective.period.quarter, ")"));
  }
  if (CheckFinite(objective.priority, "priority", out) && objective.priority <= 0) {
    out.Add("priority", absl::StrCat("must be greater than 0, got ", objective.priority));
  }
  if (objective.status == ObjectiveStatus::kUnspecified) {
    out.Add("status", "must be ACTIVE, DEPRIORITISED, RETIRED or ACHIEVED");
  }
  bool parent_missing = false;
  CheckParent(objective, lookup, out, parent_missing);
  CheckChildren(objective, children, out);

  if (!out.empty()) return out.ToStatus("invalid objective");
  if (parent_missing) {
    return absl::NotFoundError(absl::StrCat("parent objective ", objective.parent_id, " not found"));
  }
  return absl::OkStatus();
}

void CheckMeasurability(const KeyResult& key_result, const Objective& objective, Violations& out) {
  if (IsBlank(key_result.metric)) out.Add("metric", "must name what is measured");
  if (IsBlank(key_result.unit)) out.Add("unit", "must name the unit the metric is measured in");
  const bool baseline_ok = CheckFinite(key_result.baseline, "baseline", out);
  const bool target_ok = CheckFinite(key_result.target, "target", out);
  const double b = key_result.baseline;
  const double t = key_result.target;

  switch (key_result.direction) {
    case Direction::kUnspecified:
      out.Add("direction", "must be INCREASE, DECREASE or MAINTAIN");
      break;
    case Direction::kIncrease:
    case Direction::kDecrease: {
      if (!baseline_ok || !target_ok) break;
      const bool increase = key_result.direction == Direction::kIncrease;
      if (t == b) {
        out.Add("target", absl::StrCat("must differ from the baseline (", b, ") for ",
                                       AbslView(DirectionName(key_result.direction))));
      } else if (increase && t < b) {
        out.Add("direction",
                absl::StrCat("INCREASE needs a target above the baseline (baseline ", b, ", target ", t, ")"));
      } else if (!increase && t > b) {
        out.Add("direction",
                absl::StrCat("DECREASE needs a target below the baseline (baseline ", b, ", target ", t, ")"));
      }
      break;
    }
    case Direction::kMaintain:
      if (CheckFinite(key_result.tolerance, "tolerance", out) && key_result.tolerance < 0) {
        out.Add("tolerance", absl::StrCat("must not be negative for MAINTAIN, got ", key_result.tolerance));
      }
      break;
  }

  if (CheckRequiredDate(key_result.due_date, "due_date", out) && IsValidPeriod(objective.period)) {
    const Date first = FirstDayOf(objective.period);
    if (key_result.due_date < first) {
      out.Add("due_date", absl::StrCat(FormatDate(key_result.due_date), " is before the objective's period ",
                                       FormatPeriod(objective.period), " (which starts ", FormatDate(first), ")"));
    }
  }
}

Measurability IsMeasurable(const KeyResult& key_result, const Objective& objective) {
  Violations out;
  CheckMeasurability(key_result, objective, out);
  return Measurability{out.empty(), out.list()};
}

void CheckPeriodKeepsKeyResultsMeasurable(const Objective& objective, const std::vector<KeyResult>& key_results,
                                          Violations& out) {
  for (const KeyResult& kr : key_results) {
    if (kr.objective_id != objective.id || kr.retired) continue;
    Violations broken;
    CheckMeasurability(kr, objective, broken);
    for (const FieldViolation& f : broken.list())
      out.Add("period", absl::StrCat("would leave key result ", kr.id, " unmeasurable: ", f.field, " ", f.description));
  }
}

absl::Status ValidateKeyResult(const KeyResult& key_result, const Objective& objective) {
  Violations out;
  CheckRequiredText(key_result.objective_id, kMaxNameLength, "objective_id", out);
  CheckLength(key_result.metric, kMaxNameLength, "metric", out);
  CheckLength(key_result.unit, kMaxNameLength, "unit", out);
  CheckLength(key_result.owner, kMaxNameLength, "owner", out);
  CheckMeasurability(key_result, objective, out);
  return out.ToStatus("key result is not measurable or invalid");
}

absl::Status ValidateCheckIn(const CheckIn& check_in) {
  Violations out;
  CheckRequiredText(check_in.key_result_id, kMaxNameLength, "key_result_id", out);
  CheckFinite(check_in.value, "value", out);
  CheckUnitInterval(check_in.confidence, "confidence", out);
  CheckRequiredDate(check_in.as_of, "as_of", out);
  CheckRequiredText(check_in.source_id, kMaxNameLength, "source_id", out);
  CheckLength(check_in.note, kMaxTextLength, "note", out);
  return out.ToStatus("invalid check-in");
}

absl::Status ValidateLink(const Link& link) {
  Violations out;
  CheckRequiredText(link.key_result_id, kMaxNameLength, "key_result_id", out);
  CheckRequiredText(link.initiative_id, kMaxNameLength, "initiative_id", out);
  CheckUnitInterval(link.contribution, "contribution", out);
  return out.ToStatus("invalid link");
}

}  // namespace pmo::okr::domain
