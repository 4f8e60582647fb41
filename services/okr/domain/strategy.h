// Detects a strategy update: an objective's priority or status changed. Each one starts
// the clock of the "time from strategy update to first delivery adjustment" KPI.
#pragma once

#include "services/okr/domain/model.h"

namespace pmo::okr::domain {

struct StrategyChange {
  bool priority_changed = false;
  bool status_changed = false;
  // Whether a StrategyChanged event is due.
  bool Any() const { return priority_changed || status_changed; }
};

// Compares the stored objective with its updated form. Other fields (title, owner,
// parent, ...) are edits, not strategy updates. Creating an objective is not a change
// of strategy either: only compare two versions of the same objective.
StrategyChange DetectStrategyChange(const Objective& before, const Objective& after);

}  // namespace pmo::okr::domain
