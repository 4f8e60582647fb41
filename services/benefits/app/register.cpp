#include "services/benefits/app/register.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "services/benefits/app/convert.h"
#include "services/benefits/domain/registration.h"
#include "services/benefits/domain/validation.h"
#include "pmo/common/clock.h"
#include "pmo/common/use_cases.h"

namespace pmo::benefits::app {

absl::StatusOr<v1::Benefit> BenefitRegister::CreateBenefit(const v1::CreateBenefitRequest& req,
                                                           const CallContext& ctx) {
  store::BenefitsStore& store = deps_.store;
  Violations v;
  ValidateId(req.benefit_id(), "benefit_id", v, 128);
  domain::Benefit def = DefinitionFromProto(req.benefit(), v);
  def.id = req.benefit_id().empty() ? NewUuid() : req.benefit_id();
  std::optional<domain::Date> delivered_on;
  if (!def.initiative_id.empty()) {
    auto known = store.PortfolioOfInitiative(def.initiative_id);
    if (!known.ok()) return known.status();
    if (*known && !def.portfolio_id.empty() && **known != def.portfolio_id) {
      v.Add("portfolio_id", absl::StrCat("is ", def.portfolio_id, "; initiative ", def.initiative_id,
                                         " belongs to portfolio ", **known));
    } else if (*known) {
      def.portfolio_id = **known;
      auto info = store.GetInitiative(def.portfolio_id, def.initiative_id);
      if (!info.ok()) return info.status();
      if (*info) delivered_on = OptionalDateFromProto((*info)->delivered_on());
    } else if (def.portfolio_id.empty()) {
      v.Add("portfolio_id", absl::StrCat("is required: initiative ", def.initiative_id,
                                         " is not known from intake's events (yet)"));
    }
  }
  ValidateId(def.portfolio_id, "portfolio_id", v, 128);
  if (auto s = MergeViolations(v, domain::ValidateBenefit(def), "invalid benefit"); !s.ok()) return s;
  Change c;
  c.definition = std::move(def);
  c.origin = v1::ORIGIN_API;
  c.delivered_on = delivered_on;
  c.announce = true;
  store::Changes changes(ctx);
  auto snap = Stage(deps_, c, changes);
  if (!snap.ok()) return snap.status();
  auto r = store.Commit(changes);
  if (!r.ok()) return r.status();
  return snap;
}

absl::StatusOr<v1::Benefit> BenefitRegister::UpdateBenefit(const v1::UpdateBenefitRequest& req,
                                                           const CallContext& ctx) {
  const std::string& id = req.benefit().benefit_id();
  if (id.empty()) return InvalidArgument("invalid benefit", {{"benefit_id", "is required"}});
  auto p = PortfolioOfBenefit(deps_.store, id);
  if (!p.ok()) return p.status();
  auto current = deps_.store.GetBenefit(*p, id, true);
  if (!current.ok()) return current.status();
  if (req.expected_version() != current->version)
    return absl::AbortedError(absl::StrCat("benefit ", id, " is at version ", current->version, ", not the expected ",
                                           req.expected_version(), "; read it again"));
  if (current->snapshot.removed())
    return absl::FailedPreconditionError("benefit " + id + " was withdrawn; it cannot change");
  Change c = Unchanged(*current);
  c.announce = true;
  if (req.benefit().removed()) {
    c.removed = true;
  } else {
    const domain::Benefit stored = c.definition;
    Violations v;
    domain::Benefit def = DefinitionFromProto(req.benefit(), v);
    if (!req.benefit().initiative_id().empty() && def.initiative_id != stored.initiative_id)
      v.Add("initiative_id", "cannot change; create a benefit for the other initiative");
    if (!req.benefit().portfolio_id().empty() && def.portfolio_id != stored.portfolio_id)
      v.Add("portfolio_id", "cannot change");
    def.initiative_id = stored.initiative_id;
    def.portfolio_id = stored.portfolio_id;
    if (auto s = MergeViolations(v, domain::ValidateBenefit(def), "invalid benefit"); !s.ok()) return s;
    if (domain::SameDefinition(def, stored)) return current->snapshot;  // nothing changes
    c.definition = std::move(def);
  }
  store::Changes changes(ctx);
  auto snap = Stage(deps_, c, changes);
  if (!snap.ok()) return snap.status();
  auto r = deps_.store.Commit(changes);
  if (!r.ok()) return r.status();
  deps_.metrics.StatusChanged(current->snapshot, *snap, "update");
  return snap;
}

absl::StatusOr<v1::Benefit> BenefitRegister::GetBenefit(const v1::GetBenefitRequest& req) {
  if (req.benefit_id().empty()) return InvalidArgument("invalid request", {{"benefit_id", "is required"}});
  auto p = PortfolioOfBenefit(deps_.store, req.benefit_id());
  if (!p.ok()) return p.status();
  auto b = deps_.store.GetBenefit(*p, req.benefit_id(), false);
  if (!b.ok()) return b.status();
  return std::move(b->snapshot);
}

absl::StatusOr<v1::ListBenefitsResponse> BenefitRegister::ListBenefits(const v1::ListBenefitsRequest& req) {
  if (req.initiative_id().empty() == req.portfolio_id().empty())
    return InvalidArgument("invalid request", {{"initiative_id", "give exactly one of initiative_id and portfolio_id"},
                                               {"portfolio_id", "give exactly one of initiative_id and portfolio_id"}});
  auto size = PageSize(req.page(), kDefaultPageSize, kMaxPageSize);
  if (!size.ok()) return size.status();
  std::string portfolio = req.portfolio_id();
  if (!req.initiative_id().empty()) {
    auto p = deps_.store.PortfolioOfInitiative(req.initiative_id());
    if (!p.ok()) return p.status();
    if (!*p) return absl::NotFoundError("initiative " + req.initiative_id() + " has no benefits");
    portfolio = **p;
  }
  std::set<int> statuses(req.statuses().begin(), req.statuses().end());
  v1::ListBenefitsResponse out;
  std::string after = req.page().page_token();
  // Scan the index in id order until the page is full; the token is the last id
  // examined, so a filtered scan resumes where it stopped.
  for (;;) {
    auto ids = deps_.store.BenefitIds(portfolio, req.initiative_id(), after, *size);
    if (!ids.ok()) return ids.status();
    if (ids->empty()) return out;
    auto batch = deps_.store.GetBenefits(portfolio, *ids, false);
    if (!batch.ok()) return batch.status();
    for (auto& b : *batch) {
      after = b.snapshot.benefit_id();
      if (b.snapshot.removed() && !req.include_removed()) continue;
      if (!statuses.empty() && !statuses.contains(b.snapshot.status())) continue;
      *out.add_benefits() = std::move(b.snapshot);
      if (out.benefits_size() == *size) {
        out.mutable_page()->set_next_page_token(after);
        return out;
      }
    }
    after = ids->back();
    if (static_cast<int>(ids->size()) < *size) return out;
  }
}

absl::StatusOr<v1::GetRealisationResponse> BenefitRegister::GetRealisation(const v1::GetRealisationRequest& req) {
  v1::GetBenefitRequest get;
  get.set_benefit_id(req.benefit_id());
  auto b = GetBenefit(get);
  if (!b.ok()) return b.status();
  v1::GetRealisationResponse out;
  out.set_benefit_id(b->benefit_id());
  out.set_direction(b->direction());
  *out.mutable_realisation() = b->realisation();
  out.set_status(b->status());
  out.set_status_reason(b->status_reason());
  out.set_version(b->version());
  return out;
}

}  // namespace pmo::benefits::app
