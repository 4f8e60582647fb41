// Initiatives: submit, read, list and update. An update to a committed initiative that
// asks for other money or hours must still fit its portfolio, judged on the figures an
// approval would use, and guarded by the commitments version it was judged at.
#include <set>

#include "pmo/base/errors.h"
#include "pmo/common/use_cases.h"
#include "services/intake/app/convert.h"
#include "services/intake/app/intake_app.h"
#include "services/intake/domain/gates.h"
#include "services/intake/domain/lifecycle.h"
#include "services/intake/domain/updates.h"

namespace pmo::intake::app {
namespace {

// Resolves dependencies for validation (cycles included) from the store; a Redis
// failure is kept aside and reported instead of posing as "unknown dependency".
struct DependencyResolver {
  store::IntakeStore& store;
  absl::Status error;
  domain::DependencyLookup Lookup() {
    return [this](std::string_view id) -> std::optional<std::vector<std::string>> {
      auto in = store.GetInitiative(std::string(id));
      if (!in.ok()) {
        if (in.status().code() != absl::StatusCode::kNotFound && error.ok()) error = in.status();
        return std::nullopt;
      }
      return std::vector<std::string>(in->value.dependencies().begin(), in->value.dependencies().end());
    };
  }
};

}  // namespace

absl::StatusOr<v1::Initiative> IntakeApp::SubmitInitiative(const v1::SubmitInitiativeRequest& req,
                                                           const CallContext& ctx) {
  const std::string& pid = req.initiative().portfolio_id();
  if (pid.empty()) return InvalidArgument("invalid initiative", {{"initiative.portfolio_id", "is required"}});
  auto portfolio = store_.GetPortfolio(pid);
  if (!portfolio.ok()) return portfolio.status();
  Violations v;
  ValidateId(req.initiative_id(), "initiative_id", v);
  auto submission = FromProto(req.initiative(), v);
  auto dp = FromStored(portfolio->value);
  DefaultCurrency(submission, dp.currency);
  std::string id = req.initiative_id().empty() ? NewUuid() : req.initiative_id();
  DependencyResolver deps{store_, absl::OkStatus()};
  auto created = domain::CreateInitiative(std::move(submission), id, req.submit_as_draft(), dp, deps.Lookup());
  if (!deps.error.ok()) return deps.error;
  if (auto s = MergeViolations(v, created.status(), "invalid initiative"); !s.ok()) return s;
  created->submitted_at_unix_ms = absl::ToUnixMillis(clock_.Now());
  v1::Initiative snapshot = ToProto(*created);
  v1::InitiativeSubmitted event;
  *event.mutable_initiative() = snapshot;
  if (auto s = store_.SubmitInitiative(snapshot, event, ctx); !s.ok()) return s;
  return snapshot;
}

absl::StatusOr<v1::Initiative> IntakeApp::GetInitiative(const v1::GetInitiativeRequest& req) {
  if (req.initiative_id().empty()) return InvalidArgument("invalid request", {{"initiative_id", "is required"}});
  auto in = store_.GetInitiative(req.initiative_id());
  if (!in.ok()) return in.status();
  return in->value;
}

absl::StatusOr<v1::ListInitiativesResponse> IntakeApp::ListInitiatives(const v1::ListInitiativesRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  auto size = PageSize(req.page(), IntakeApp::kDefaultPageSize, IntakeApp::kMaxPageSize);
  if (!size.ok()) return size.status();
  if (auto p = store_.GetPortfolio(req.portfolio_id()); !p.ok()) return p.status();
  std::set<int> stages(req.stages().begin(), req.stages().end());
  v1::ListInitiativesResponse out;
  std::string after = req.page().page_token();
  // Scan the portfolio's index in id order until the page is full; the token is the
  // last id examined, so a filtered scan resumes where it stopped.
  for (;;) {
    auto ids = store_.InitiativeIdsAfter(req.portfolio_id(), after, *size);
    if (!ids.ok()) return ids.status();
    if (ids->empty()) return out;
    auto batch = store_.GetInitiatives(req.portfolio_id(), *ids);
    if (!batch.ok()) return batch.status();
    for (auto& in : *batch) {
      after = in.id();
      if (!stages.empty() && !stages.contains(in.stage())) continue;
      *out.add_initiatives() = std::move(in);
      if (out.initiatives_size() == *size) {
        out.mutable_page()->set_next_page_token(after);
        return out;
      }
    }
    after = ids->back();
    if (static_cast<int>(ids->size()) < *size) return out;
  }
}

absl::StatusOr<v1::Initiative> IntakeApp::UpdateInitiative(const v1::UpdateInitiativeRequest& req,
                                                           const CallContext& ctx) {
  const std::string& id = req.initiative().id();
  if (id.empty()) return InvalidArgument("invalid initiative", {{"initiative.id", "is required"}});
  auto current = store_.GetInitiative(id);
  if (!current.ok()) return current.status();
  const auto& pid = current->value.portfolio_id();
  auto portfolio = store_.GetPortfolio(pid);
  if (!portfolio.ok()) return portfolio.status();
  Violations v;
  auto request = FromProto(req.initiative(), v);
  auto dp = FromStored(portfolio->value);
  DefaultCurrency(request, dp.currency);
  DependencyResolver deps{store_, absl::OkStatus()};
  const domain::Initiative before = FromStored(current->value);
  auto updated = domain::UpdateInitiative(before, request, req.expected_version(), dp, deps.Lookup());
  if (!deps.error.ok()) return deps.error;
  if (auto s = MergeViolations(v, updated.status(), "invalid initiative"); !s.ok()) return s;
  v1::Initiative snapshot = ToProto(*updated);
  v1::InitiativeUpdated event;
  *event.mutable_initiative() = snapshot;
  store::InitiativeChange change;
  change.before = &current->value;
  change.after = &snapshot;
  change.event = &event;
  if (domain::NeedsCapacityRecheck(before, *updated)) {
    auto commitments = store_.CommitmentsVersion(pid);
    if (!commitments.ok()) return commitments.status();
    auto all = store_.PortfolioInitiatives(pid);
    if (!all.ok()) return all.status();
    std::vector<domain::Initiative> others;
    for (const auto& o : *all)
      if (o.id() != id) others.push_back(FromStored(o));
    auto check = domain::CheckCapacity(dp, *updated, others);
    if (!check.ok()) {
      metrics_.GateRefused(check.Failures(dp.currency));
      return domain::GateRefusal("the committed initiative would exceed the portfolio's budget or capacity",
                                 check.Failures(dp.currency));
    }
    change.commitments = store::CommitmentsGuard{*commitments, "update"};
    change.commitments_changed = true;  // its committed demand changes
  }
  auto r = store_.ChangeInitiative(change, ctx);
  cache_.Forget(id);
  if (!r.ok()) return r.status();
  return snapshot;
}

}  // namespace pmo::intake::app
