// What every benefits use case shares: its options and dependencies, and Stage, which
// turns one benefit's decided new state into its snapshot, stored record and events
// (assessed by the domain) for the store to commit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/benefits/app/metrics.h"
#include "services/benefits/domain/assessment.h"
#include "services/benefits/store/benefits_store.h"
#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/common/clock.h"

namespace pmo::benefits::app {

using ::pmo::CallContext;

struct BenefitsOptions {
  // A delivered benefit with no measurement for more than this many days is STALE.
  int32_t stale_after_days = domain::kDefaultStaleAfterDays;
  // Benefits the STALE sweep re-evaluates per portfolio per run, at most.
  int sweep_batch = 1000;
};

// The components a use case works with; they outlive it.
struct Deps {
  store::BenefitsStore& store;
  BenefitsMetrics& metrics;
  const BenefitsOptions& options;
  const Clock& clock;

  domain::Date Today() const;
};

// One benefit's new state, decided by a use case and staged by Stage.
struct Change {
  const store::StoredBenefit* current = nullptr;  // absent: a new benefit
  domain::Benefit definition;  // id, initiative and portfolio set; the version is assigned
  v1::Origin origin = v1::ORIGIN_API;
  bool removed = false;
  std::optional<domain::Date> delivered_on;
  std::vector<domain::Measurement> series;
  bool announce = false;                      // publish BenefitChanged
  std::vector<domain::Measurement> measured;  // publish BenefitMeasured when not empty
  std::string source;                         // of the measurements
};

// Assesses the benefit (as of today) at its next version and adds its save — guarded by
// the version it was read at, or by its absence — and its events to `out`:
// BenefitChanged when announced, BenefitMeasured for new measurements, and
// BenefitStatusChanged when a counted benefit's status moves. Answers the new snapshot.
absl::StatusOr<v1::Benefit> Stage(const Deps& deps, const Change& change, store::Changes& out);

// The portfolio of a benefit; NOT_FOUND when there is no such benefit.
absl::StatusOr<std::string> PortfolioOfBenefit(store::BenefitsStore& store, const std::string& benefit_id);

// The Change that keeps a stored benefit as it is (definition, origin, window, series).
Change Unchanged(const store::StoredBenefit& current);

}  // namespace pmo::benefits::app
