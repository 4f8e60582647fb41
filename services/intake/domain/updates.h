// Creating and updating portfolios and initiatives: what a client may set, what intake
// keeps for itself, and the version rule every update follows.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "services/intake/domain/model.h"
#include "services/intake/domain/validation.h"

namespace pmo::intake::domain {

// A new portfolio from a client's request: `id` assigned, version 1, validated.
absl::StatusOr<Portfolio> CreatePortfolio(Portfolio request, std::string id);

// The portfolio after an update: ABORTED on a stale version, FAILED_PRECONDITION when
// the currency would change (every amount of its initiatives is in it), INVALID_ARGUMENT
// with every violation otherwise; version bumped.
absl::StatusOr<Portfolio> UpdatePortfolio(const Portfolio& current, const Portfolio& request,
                                          int64_t expected_version);

// A new initiative from a submission: intake-owned fields (stage, version, decisions,
// progress, override) are reset, stage is DRAFT or SUBMITTED, version 1; validated.
absl::StatusOr<Initiative> CreateInitiative(Initiative submission, std::string id, bool as_draft,
                                            const Portfolio& portfolio, const DependencyLookup& lookup);

// The initiative after an update: the client-editable fields come from `request`, the
// rest from `current`. ABORTED on a stale version, FAILED_PRECONDITION once the
// initiative is CLOSED or STOPPED, INVALID_ARGUMENT with every violation (including an
// attempt to move it to another portfolio); version bumped.
absl::StatusOr<Initiative> UpdateInitiative(const Initiative& current, const Initiative& request,
                                            int64_t expected_version, const Portfolio& portfolio,
                                            const DependencyLookup& lookup);

}  // namespace pmo::intake::domain
