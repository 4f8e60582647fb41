// The okr domain's plain types: cascading objectives, measurable key results, check-ins
// and initiative <-> key result links. No behaviour beyond naming and ordering levels.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "services/okr/domain/calendar.h"

namespace pmo::okr::domain {

// Cascade levels, highest first. kUnspecified stands for a level that was not given
// (proto's zero value); validation refuses it.
enum class Level { kUnspecified, kCompany, kPortfolio, kProgram, kTeam };
// "COMPANY" etc., the names used in protos, events and messages.
std::string_view LevelName(Level level);
std::optional<Level> ParseLevel(std::string_view name);
// Whether `child` sits strictly below `parent` in COMPANY > PORTFOLIO > PROGRAM > TEAM.
// False when either is unspecified.
bool IsStrictlyBelow(Level child, Level parent);

enum class ObjectiveStatus { kUnspecified, kActive, kDeprioritised, kRetired, kAchieved };
std::string_view ObjectiveStatusName(ObjectiveStatus status);
std::optional<ObjectiveStatus> ParseObjectiveStatus(std::string_view name);

enum class Direction { kUnspecified, kIncrease, kDecrease, kMaintain };
std::string_view DirectionName(Direction direction);
std::optional<Direction> ParseDirection(std::string_view name);

struct Objective {
  std::string id;
  std::string portfolio_id;
  std::string title;
  std::string description;
  Level level = Level::kUnspecified;
  std::string parent_id;  // empty: a root of the cascade
  std::string owner;
  Period period;
  // Relative weight among siblings (> 0). It also weighs this objective in its
  // parent's progress roll-up, on the same scale as one key result (progress.h).
  double priority = 1;
  ObjectiveStatus status = ObjectiveStatus::kUnspecified;
  int64_t version = 0;
  bool operator==(const Objective&) const = default;
};

struct KeyResult {
  std::string id;
  std::string objective_id;
  std::string metric;
  std::string unit;
  double baseline = 0;
  double target = 0;
  Direction direction = Direction::kUnspecified;
  // For MAINTAIN only: how far the value may stray from the target and still count as
  // held (>= 0, in `unit`). Ignored for the other directions.
  double tolerance = 0;
  Date due_date;
  std::string owner;
  // A retired key result stays on record but no longer counts: it is left out of
  // roll-ups and coverage and is never reported stale.
  bool retired = false;
  int64_t version = 0;
  bool operator==(const KeyResult&) const = default;
};

// One observation of a key result's metric. `source_id` identifies the observation at
// its origin (the ingest message, the client's request) so redelivery is recognised.
struct CheckIn {
  std::string key_result_id;
  double value = 0;
  double confidence = 0;  // 0..1: how likely the owner thinks the target will be met
  std::string note;
  Date as_of;
  std::string source_id;
  bool operator==(const CheckIn&) const = default;
};

// An initiative's contribution to a key result.
struct Link {
  std::string key_result_id;
  std::string initiative_id;
  double contribution = 0;  // 0..1: the share of the key result this initiative moves
  bool operator==(const Link&) const = default;
};

}  // namespace pmo::okr::domain
