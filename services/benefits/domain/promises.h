// Reconciling the benefits an initiative's submission promises with those the register
// holds: which to register, update or withdraw, and whose tracking window the first
// delivered stage opens. Pure: the use case loads what is held, asks, and commits.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "pmo/base/errors.h"
#include "services/benefits/domain/calendar.h"
#include "services/benefits/domain/model.h"

namespace pmo::benefits::domain {

// The day an initiative's benefits are tracked from: the first day it was seen
// delivered (or later), kept from then on.
struct Delivery {
  std::optional<Date> delivered_on;
  bool newly_delivered = false;  // this snapshot is the first delivered one
};
// `held`: the day recorded before; `delivered_stage`: the snapshot's stage is delivered
// or later; `occurred_on`: the day the snapshot's event occurred.
Delivery DeliveryOf(const std::optional<Date>& held, bool delivered_stage, const Date& occurred_on);

// A benefit as a submission promises it.
struct Promise {
  // As the submission states it; PreparePromises sets its id, initiative and portfolio.
  Benefit definition;
  // Problems found while reading it (a target not given at all, say).
  std::vector<FieldViolation> problems;
  // Set by PreparePromises: OK, or INVALID_ARGUMENT "invalid promised benefit" listing
  // the problems above and every rule of ValidateBenefit it breaks.
  absl::Status validity;
};

// Gives every promise its deterministic id (PromisedBenefitId, the n-th promise with
// the same metric slug counted as occurrence n), its initiative and portfolio, and its
// validity. Ids follow the submission's order.
void PreparePromises(std::string_view initiative_id, std::string_view portfolio_id, std::vector<Promise>& promises);

// What the register holds of one benefit.
struct HeldBenefit {
  Benefit definition;
  bool from_submission = false;  // registered from a submission, not created through the API
  bool removed = false;          // withdrawn
  bool tracking_open = false;    // its tracking window is open
};

// What reconciliation decides from.
struct PromiseState {
  std::string initiative_id;
  std::vector<Promise> promises;             // prepared, in the submission's order
  std::vector<std::string> promised_before;  // ids the snapshot applied before promised
  bool promises_changed = false;             // the submission's promises differ from those applied before
  bool newly_delivered = false;              // see Delivery
  // By id: every benefit promised now or before that exists, and when newly delivered
  // every benefit of the initiative.
  std::map<std::string, HeldBenefit> held;
};

enum class PromiseStep {
  kRegister,    // a new benefit from the submission
  kUpdate,      // the held benefit takes the promised definition (and is no longer withdrawn)
  kWithdraw,    // no longer promised
  kOpenWindow,  // unchanged, but delivery opens its tracking window
};

struct PromiseAction {
  PromiseStep step;
  Benefit definition;  // what to store; its id names the benefit
};

enum class SkipReason {
  kInvalid,  // the promise breaks a rule (a fact intake accepted; reported, not failed)
  kIdTaken,  // its id belongs to a benefit created through the API
};

struct SkippedPromise {
  std::string benefit_id;
  SkipReason reason;
  absl::Status detail;  // the validity, for kInvalid
};

struct Reconciliation {
  std::vector<PromiseAction> actions;  // registrations and updates in promise order, then withdrawals, then windows
  std::vector<SkippedPromise> skipped;
};

// Nothing to do unless the promises changed or the initiative was newly delivered:
//  - every valid promise is registered, or updates the held benefit when its promised
//    definition differs, it was withdrawn, or delivery opens its window (a benefit created
//    through the API under that id is left alone and the promise skipped);
//  - a benefit promised before and no longer (valid or not) is withdrawn, if it came
//    from a submission and is not withdrawn already;
//  - delivery opens the window of every other held benefit of the initiative that is
//    not withdrawn and has none open.
// Invalid promises are listed as skipped every time.
Reconciliation ReconcilePromises(const PromiseState& state);

}  // namespace pmo::benefits::domain
