#include "services/okr/domain/model.h"

#include <array>

namespace pmo::okr::domain {
namespace {

// Position in the cascade, 0 for the top; -1 for an unspecified level.
int Rank(Level level) {
  switch (level) {
    case Level::kCompany: return 0;
    case Level::kPortfolio: return 1;
    case Level::kProgram: return 2;
    case Level::kTeam: return 3;
    case Level::kUnspecified: return -1;
  }
  return -1;
}

template <typename E, size_t N>
std::optional<E> ParseByName(std::string_view name, const std::array<E, N>& values,
                             std::string_view (*name_of)(E)) {
  for (E value : values) {
    if (name_of(value) == name) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kUnspecified: return "LEVEL_UNSPECIFIED";
    case Level::kCompany: return "COMPANY";
    case Level::kPortfolio: return "PORTFOLIO";
    case Level::kProgram: return "PROGRAM";
    case Level::kTeam: return "TEAM";
  }
  return "UNKNOWN";
}

std::optional<Level> ParseLevel(std::string_view name) {
  static constexpr std::array kLevels = {Level::kCompany, Level::kPortfolio, Level::kProgram, Level::kTeam};
  return ParseByName(name, kLevels, &LevelName);
}

bool IsStrictlyBelow(Level child, Level parent) {
  const int c = Rank(child);
  const int p = Rank(parent);
  return c >= 0 && p >= 0 && c > p;
}

std::string_view ObjectiveStatusName(ObjectiveStatus status) {
  switch (status) {
    case ObjectiveStatus::kUnspecified: return "STATUS_UNSPECIFIED";
    case ObjectiveStatus::kActive: return "ACTIVE";
    case ObjectiveStatus::kDeprioritised: return "DEPRIORITISED";
    case ObjectiveStatus::kRetired: return "RETIRED";
    case ObjectiveStatus::kAchieved: return "ACHIEVED";
  }
  return "UNKNOWN";
}

std::optional<ObjectiveStatus> ParseObjectiveStatus(std::string_view name) {
  static constexpr std::array kStatuses = {ObjectiveStatus::kActive, ObjectiveStatus::kDeprioritised,
                                           ObjectiveStatus::kRetired, ObjectiveStatus::kAchieved};
  return ParseByName(name, kStatuses, &ObjectiveStatusName);
}

std::string_view DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kUnspecified: return "DIRECTION_UNSPECIFIED";
    case Direction::kIncrease: return "INCREASE";
    case Direction::kDecrease: return "DECREASE";
    case Direction::kMaintain: return "MAINTAIN";
  }
  return "UNKNOWN";
}

std::optional<Direction> ParseDirection(std::string_view name) {
  static constexpr std::array kDirections = {Direction::kIncrease, Direction::kDecrease, Direction::kMaintain};
  return ParseByName(name, kDirections, &DirectionName);
}

}  // namespace pmo::okr::domain
