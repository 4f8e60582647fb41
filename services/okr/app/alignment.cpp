// Alignment of initiatives to key results: links made or removed by a person, and the
// links an initiative's submission proposes, learned from intake's events. Each change
// publishes the initiative's whole alignment (AlignmentChanged).
#include <algorithm>

#include "absl/strings/strip.h"
#include "pmo/base/errors.h"
#include "pmo/common/log.h"
#include "pmo/common/use_cases.h"
#include "services/okr/app/convert.h"
#include "services/okr/app/evaluate.h"
#include "services/okr/app/okr_app.h"
#include "services/okr/domain/alignment.h"
#include "services/okr/domain/validation.h"


namespace pmo::okr::app {

namespace {

std::string StageName(intake::v1::Stage stage) {
  return std::string(absl::StripPrefix(intake::v1::Stage_Name(stage), "STAGE_"));
}

// The initiative's alignment as stored, or a new empty one.
v1::Alignment AlignmentOrNew(const std::optional<v1::Alignment>& stored, const std::string& initiative_id,
                             const std::string& portfolio_id) {
  if (stored) return *stored;
  v1::Alignment alignment;
  alignment.set_initiative_id(initiative_id);
  alignment.set_portfolio_id(portfolio_id);
  return alignment;
}

}  // namespace

absl::StatusOr<v1::AlignmentChanged> OkrApp::AlignmentEvent(const v1::Alignment& alignment) {
  const std::string& p = alignment.portfolio_id();
  std::vector<std::string> kr_ids;
  for (const auto& l : alignment.links()) kr_ids.push_back(l.key_result_id());
  auto krs = store_.KeyResultsByIds(p, kr_ids);
  if (!krs.ok()) return krs.status();
  std::vector<std::string> objective_ids;
  for (const auto& [id, kr] : *krs) objective_ids.push_back(kr.objective_id());
  std::sort(objective_ids.begin(), objective_ids.end());
  objective_ids.erase(std::unique(objective_ids.begin(), objective_ids.end()), objective_ids.end());
  auto objectives = store_.ObjectivesByIds(p, objective_ids);
  if (!objectives.ok()) return objectives.status();
  v1::AlignmentChanged e;
  e.set_initiative_id(alignment.initiative_id());
  e.set_portfolio_id(p);
  e.set_version(alignment.version());
  for (const auto& l : alignment.links()) {
    auto* link = e.add_links();
    link->set_key_result_id(l.key_result_id());
    link->set_contribution(l.contribution());
    auto kr = krs->find(l.key_result_id());
    if (kr == krs->end()) continue;
    link->set_objective_id(kr->second.objective_id());
    auto o = objectives->find(kr->second.objective_id());
    const std::optional<domain::Objective> objective =
        o == objectives->end() ? std::nullopt : std::optional(FromProto(o->second));
    link->set_measurable(domain::IsMeasurableLink(FromProto(kr->second), objective ? &*objective : nullptr));
  }
  return e;
}

absl::StatusOr<v1::Alignment> OkrApp::LinkInitiative(const v1::LinkInitiativeRequest& req, const CallContext& ctx) {
  domain::Link link{req.key_result_id(), req.initiative_id(), req.contribution()};
  if (auto s = domain::ValidateLink(link); !s.ok()) return s;
  return RetryOnRace([&] { return ChangeLink(req.key_result_id(), req.initiative_id(), req.contribution(), ctx); });
}

absl::StatusOr<v1::Alignment> OkrApp::UnlinkInitiative(const v1::UnlinkInitiativeRequest& req,
                                                       const CallContext& ctx) {
  Violations v;
  if (req.key_result_id().empty()) v.Add("key_result_id", "must not be empty");
  if (req.initiative_id().empty()) v.Add("initiative_id", "must not be empty");
  if (!v.empty()) return v.ToStatus("invalid link");
  return RetryOnRace([&] { return ChangeLink(req.key_result_id(), req.initiative_id(), std::nullopt, ctx); });
}

absl::StatusOr<v1::Alignment> OkrApp::ChangeLink(const std::string& key_result_id, const std::string& initiative_id,
                                                 std::optional<double> contribution, const CallContext& ctx) {
  auto p = store_.PortfolioOfKeyResult(key_result_id);
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("key result " + key_result_id + " not found");
  auto ip = store_.PortfolioOfInitiative(initiative_id);
  if (!ip.ok()) return ip.status();
  if (!*ip)
    return absl::NotFoundError("initiative " + initiative_id +
                               " not found: okr has not seen it in intake's events (yet)");
  if (**ip != **p)
    return InvalidArgument("invalid link", {{"initiative_id", "belongs to portfolio " + **ip + " but key result " +
                                                                  key_result_id + " to portfolio " + **p}});
  auto kr = store_.GetKeyResult(**p, key_result_id);
  if (!kr.ok()) return kr.status();
  if (!*kr) return absl::NotFoundError("key result " + key_result_id + " not found");
  auto current = store_.GetAlignment(**p, initiative_id);
  if (!current.ok()) return current.status();
  v1::Alignment alignment = AlignmentOrNew(*current, initiative_id, **p);
  const v1::Alignment before = alignment;
  auto* links = alignment.mutable_links();
  auto it = std::find_if(links->begin(), links->end(),
                         [&](const v1::Link& l) { return l.key_result_id() == key_result_id; });
  if (contribution) {
    if ((*kr)->retired())
      return FailedPrecondition("key result retired",
                                {{"KEY_RESULT_RETIRED", key_result_id,
                                  "key result " + key_result_id + " is retired and takes no new links"}});
    v1::Link* l = it != links->end() ? &*it : alignment.add_links();
    l->set_key_result_id(key_result_id);
    l->set_initiative_id(initiative_id);
    l->set_contribution(*contribution);
    l->set_origin(v1::LINK_ORIGIN_API);  // made by a person: a submission update leaves it alone
  } else {
    if (it == links->end())
      return absl::NotFoundError("initiative " + initiative_id + " is not linked to key result " + key_result_id);
    links->erase(it);
  }
  SortLinks(alignment);
  if (SameLinks(before, alignment) && *current) return alignment;
  alignment.set_version(before.version() + 1);
  auto event = AlignmentEvent(alignment);
  if (!event.ok()) return event.status();
  store::AlignmentWrite write{before.version(), alignment,
                              Event(*event, initiative_id, **p, alignment.version(), ctx)};
  if (auto r = store_.CommitAlignment(**p, write, **kr); !r.ok()) return r;
  return alignment;
}

absl::Status OkrApp::ApplyInitiative(const intake::v1::Initiative& initiative, int64_t version,
                                     const CallContext& ctx) {
  Violations v;
  if (initiative.id().empty()) v.Add("initiative.id", "is required");
  if (initiative.portfolio_id().empty()) v.Add("initiative.portfolio_id", "is required");
  if (version <= 0) v.Add("initiative.version", "must be positive");
  if (!v.empty()) return v.ToStatus("invalid initiative");
  auto r = RetryOnRace([&]() -> absl::StatusOr<bool> {
    auto s = ApplyInitiativeOnce(initiative, version, ctx);
    if (!s.ok()) return s;
    return true;
  });
  return r.status();
}

absl::Status OkrApp::ApplyInitiativeOnce(const intake::v1::Initiative& initiative, int64_t version,
                                         const CallContext& ctx) {
  const std::string& id = initiative.id();
  const std::string& p = initiative.portfolio_id();
  auto current = store_.GetAlignment(p, id);
  if (!current.ok()) return current.status();
  const v1::Alignment before = AlignmentOrNew(*current, id, p);

  // The submission's proposal replaces the links the previous proposal made; links
  // made with LinkInitiative stay, and win over a proposal of the same key result.
  const auto& proposed = initiative.business_case().strategic().key_results();
  std::vector<std::string> proposed_ids;
  std::vector<domain::ProposedKeyResult> proposal;
  for (const auto& k : proposed) {
    proposed_ids.push_back(k.key_result_id());
    proposal.push_back({k.key_result_id(), k.contribution_weight()});
  }
  auto known = store_.KeyResultsByIds(p, proposed_ids);
  if (!known.ok()) return known.status();
  v1::Alignment next;
  next.set_initiative_id(id);
  next.set_portfolio_id(p);
  next.set_version(before.version());
  std::vector<std::string> linked_by_person;
  for (const auto& l : before.links())
    if (l.origin() != v1::LINK_ORIGIN_SUBMISSION) {
      *next.add_links() = l;
      linked_by_person.push_back(l.key_result_id());
    }
  auto linkable = [&](std::string_view kr_id) {
    auto kr = known->find(std::string(kr_id));
    return kr != known->end() && !kr->second.retired();
  };
  const domain::ProposalLinks links = domain::LinksFromProposal(id, proposal, linked_by_person, linkable);
  for (const auto& kr_id : links.not_linked)
    log::Warn("proposed key result not linked", {{"initiative", id}, {"key_result", kr_id}});
  for (const domain::Link& link : links.links) {
    auto* l = next.add_links();
    l->set_key_result_id(link.key_result_id);
    l->set_initiative_id(link.initiative_id);
    l->set_contribution(link.contribution);
    l->set_origin(v1::LINK_ORIGIN_SUBMISSION);
  }
  SortLinks(next);

  const store::InitiativeSeen seen{id, p, StageName(initiative.stage()), version};
  if (SameLinks(before, next)) return store_.ApplyInitiative(seen, std::nullopt);
  next.set_version(before.version() + 1);
  auto event = AlignmentEvent(next);
  if (!event.ok()) return event.status();
  return store_.ApplyInitiative(seen, store::AlignmentWrite{before.version(), next,
                                                            Event(*event, id, p, next.version(), ctx)});
}

}  // namespace pmo::okr::app
