// Shared test data for the okr domain tests: a valid objective and key result that each
// test bends in exactly one way, and an in-memory objective lookup.
#pragma once

#include "pmo/testing/status_matchers.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/okr/domain/model.h"
#include "services/okr/domain/validation.h"

namespace pmo::okr::domain::testing {

using ::pmo::testing::StatusIs;
using ::pmo::testing::ViolationFields;

inline Date Day(int32_t y, int32_t m, int32_t d) { return Date{y, m, d}; }

// A root PORTFOLIO objective for 2027Q1.
inline Objective ValidObjective() {
  Objective o;
  o.id = "obj-1";
  o.portfolio_id = "pf-1";
  o.title = "Grow digital revenue";
  o.description = "Make the online channel the first choice of our customers.";
  o.level = Level::kPortfolio;
  o.owner = "cdo@example.com";
  o.period = Period{2027, 1};
  o.priority = 2;
  o.status = ObjectiveStatus::kActive;
  o.version = 1;
  return o;
}

inline Objective ObjectiveAt(std::string id, Level level, std::string parent_id, double priority = 1,
                             ObjectiveStatus status = ObjectiveStatus::kActive) {
  Objective o = ValidObjective();
  o.id = std::move(id);
  o.level = level;
  o.parent_id = std::move(parent_id);
  o.priority = priority;
  o.status = status;
  return o;
}

// Conversion rate from 2.0 % to 3.5 % by the end of 2027Q1, belonging to obj-1.
inline KeyResult ValidKeyResult() {
  KeyResult kr;
  kr.id = "kr-1";
  kr.objective_id = "obj-1";
  kr.metric = "Online conversion rate";
  kr.unit = "%";
  kr.baseline = 2.0;
  kr.target = 3.5;
  kr.direction = Direction::kIncrease;
  kr.due_date = Day(2027, 3, 31);
  kr.owner = "growth-lead@example.com";
  kr.version = 1;
  return kr;
}

inline KeyResult KeyResultOf(std::string id, std::string objective_id, Direction direction, double baseline,
                             double target, double tolerance = 0) {
  KeyResult kr = ValidKeyResult();
  kr.id = std::move(id);
  kr.objective_id = std::move(objective_id);
  kr.direction = direction;
  kr.baseline = baseline;
  kr.target = target;
  kr.tolerance = tolerance;
  return kr;
}

inline CheckIn CheckInOf(std::string key_result_id, double value, double confidence, Date as_of,
                         std::string source_id) {
  CheckIn c;
  c.key_result_id = std::move(key_result_id);
  c.value = value;
  c.confidence = confidence;
  c.as_of = as_of;
  c.source_id = std::move(source_id);
  c.note = "weekly figure";
  return c;
}

// An ObjectiveLookup over a map the test owns (captured by reference).
inline ObjectiveLookup LookupIn(const std::map<std::string, Objective>& stored) {
  return [&stored](std::string_view id) -> std::optional<Objective> {
    auto it = stored.find(std::string(id));
    if (it == stored.end()) return std::nullopt;
    return it->second;
  };
}

inline std::map<std::string, Objective> StoreOf(const std::vector<Objective>& objectives) {
  std::map<std::string, Objective> stored;
  for (const Objective& o : objectives) stored[o.id] = o;
  return stored;
}

}  // namespace pmo::okr::domain::testing
