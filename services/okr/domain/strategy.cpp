#include "services/okr/domain/strategy.h"

namespace pmo::okr::domain {

StrategyChange DetectStrategyChange(const Objective& before, const Objective& after) {
  return StrategyChange{before.priority != after.priority, before.status != after.status};
}

}  // namespace pmo::okr::domain
