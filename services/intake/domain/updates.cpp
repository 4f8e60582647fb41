#include "services/intake/domain/updates.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/intake/domain/lifecycle.h"
#include "pmo/base/errors.h"
#include "services/intake/domain/versioning.h"

namespace pmo::intake::domain {
namespace {

// Copies what a client may edit; everything intake owns stays as it is in `into`.
void CopyClientFields(const Initiative& from, Initiative& into) {
  into.title = from.title;
  into.description = from.description;
  into.sponsor = from.sponsor;
  into.owner = from.owner;
  into.methodology = from.methodology;
  into.start_quarter = from.start_quarter;
  into.end_quarter = from.end_quarter;
  into.cost_per_quarter = from.cost_per_quarter;
  into.effort_hours = from.effort_hours;
  into.business_case = from.business_case;
  into.ratings = from.ratings;
  into.risk = from.risk;
  into.urgency = from.urgency;
  into.dependencies = from.dependencies;
  into.benefits = from.benefits;
}

}  // namespace

absl::StatusOr<Portfolio> CreatePortfolio(Portfolio request, std::string id) {
  request.id = std::move(id);
  request.version = 1;
  if (auto s = ValidatePortfolio(request); !s.ok()) return s;
  return request;
}

absl::StatusOr<Portfolio> UpdatePortfolio(const Portfolio& current, const Portfolio& request,
                                          int64_t expected_version) {
  if (auto s = CheckExpectedVersion(absl::StrCat("portfolio ", current.id), current.version, expected_version);
      !s.ok()) {
    return s;
  }
  if (request.currency != current.currency) {
    return absl::FailedPreconditionError(absl::StrCat("portfolio currency is ", current.currency,
                                                      " and cannot change; its initiatives' amounts are in it"));
  }
  Portfolio next = request;
  next.id = current.id;
  next.version = current.version + 1;
  if (auto s = ValidatePortfolio(next); !s.ok()) return s;
  return next;
}

absl::StatusOr<Initiative> CreateInitiative(Initiative submission, std::string id, bool as_draft,
                                            const Portfolio& portfolio, const DependencyLookup& lookup) {
  Initiative next;
  CopyClientFields(submission, next);
  next.id = std::move(id);
  next.portfolio_id = std::move(submission.portfolio_id);
  next.stage = as_draft ? Stage::kDraft : Stage::kSubmitted;
  next.version = 1;
  if (auto s = ValidateInitiative(next, portfolio, lookup); !s.ok()) return s;
  return next;
}

absl::StatusOr<Initiative> UpdateInitiative(const Initiative& current, const Initiative& request,
                                            int64_t expected_version, const Portfolio& portfolio,
                                            const DependencyLookup& lookup) {
  if (auto s = CheckExpectedVersion(absl::StrCat("initiative ", current.id), current.version, expected_version);
      !s.ok()) {
    return s;
  }
  if (IsTerminal(current.stage)) {
    return absl::FailedPreconditionError(
        absl::StrCat("initiative ", current.id, " is ", AbslView(StageName(current.stage)), " and can no longer be changed"));
  }
  Initiative next = current;
  CopyClientFields(request, next);
  ++next.version;

  Violations violations;
  // An empty portfolio_id in the request means "unchanged"; another one is a move.
  if (!request.portfolio_id.empty() && request.portfolio_id != current.portfolio_id) {
    violations.Add("portfolio_id", absl::StrCat("an initiative cannot move from portfolio ", current.portfolio_id,
                                                " to ", request.portfolio_id));
  }
  for (auto& v : ViolationsOf(ValidateInitiative(next, portfolio, lookup))) {
    violations.Add(std::move(v.field), std::move(v.description));
  }
  if (auto s = violations.ToStatus("invalid initiative"); !s.ok()) return s;
  return next;
}

}  // namespace pmo::intake::domain
