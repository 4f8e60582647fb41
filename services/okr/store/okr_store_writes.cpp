// okr's writes: each one atomic outbox step of guards (the versions the decision was
// made on), state and events, so a state change and its event commit together or not at all.
#include <string>

#include "pmo/common/kafka.h"
#include "services/okr/store/keys.h"
#include "services/okr/store/okr_store.h"

namespace pmo::okr::store {
namespace {

// The version as the write guards compare it: "" is "not stored yet".
std::string Version(int64_t v) { return v == 0 ? "" : std::to_string(v); }

void GuardObjective(AtomicWrite& w, const std::string& p, const v1::Objective& o) {
  w.ExpectField(keys::ObjectiveVersions(p), o.id(), Version(o.version()), absl::StatusCode::kAborted,
                "objective " + o.id() + " changed concurrently since version " + std::to_string(o.version()));
}

void GuardKeyResult(AtomicWrite& w, const std::string& p, const v1::KeyResult& kr) {
  w.ExpectField(keys::KeyResultVersions(p), kr.id(), Version(kr.version()), absl::StatusCode::kAborted,
                "key result " + kr.id() + " changed concurrently since version " + std::to_string(kr.version()));
}

void GuardAlignment(AtomicWrite& w, const std::string& p, const std::string& initiative_id, int64_t version) {
  w.ExpectField(keys::AlignmentVersions(p), initiative_id, Version(version), absl::StatusCode::kAborted,
                "alignment of " + initiative_id + " changed concurrently");
}

void PutObjective(AtomicWrite& w, const std::string& p, const v1::Objective& o) {
  v1::Objective stored = o;  // progress is derived on read, never stored
  stored.clear_progress();
  stored.clear_confidence();
  stored.clear_key_results_without_check_in();
  w.Command({"HSET", keys::Objectives(p), o.id(), stored.SerializeAsString()});
  w.Command({"HSET", keys::ObjectiveVersions(p), o.id(), std::to_string(o.version())});
}

void PutKeyResult(AtomicWrite& w, const std::string& p, const v1::KeyResult& kr) {
  w.Command({"HSET", keys::KeyResults(p), kr.id(), kr.SerializeAsString()});
  w.Command({"HSET", keys::KeyResultVersions(p), kr.id(), std::to_string(kr.version())});
}

void PutAlignment(AtomicWrite& w, const std::string& p, const v1::Alignment& a) {
  w.Command({"HSET", keys::Alignments(p), a.initiative_id(), a.SerializeAsString()});
  w.Command({"HSET", keys::AlignmentVersions(p), a.initiative_id(), std::to_string(a.version())});
}

void Publish(AtomicWrite& w, const events::v1::Envelope& event) { w.Publish(ToOutboxEvent(topics::kOkrEvents, event)); }

}  // namespace

absl::Status OkrStore::Commit(const AtomicWrite& write) { return outbox_.Commit(write).status(); }

absl::Status OkrStore::CreateObjective(const v1::Objective& objective, const v1::Objective* parent,
                                       const events::v1::Envelope& event) {
  const std::string& p = objective.portfolio_id();
  AtomicWrite w;
  w.ExpectField(keys::kObjectivePortfolio, objective.id(), "", absl::StatusCode::kAlreadyExists,
                "objective " + objective.id() + " already exists");
  if (parent) GuardObjective(w, p, *parent);
  PutObjective(w, p, objective);
  w.Command({"HSET", keys::kObjectivePortfolio, objective.id(), p});
  w.Command({"SADD", keys::kPortfolios, p});
  Publish(w, event);
  return Commit(w);
}

absl::Status OkrStore::UpdateObjective(const v1::Objective& current, const v1::Objective& updated,
                                       const v1::Objective* parent, const std::vector<events::v1::Envelope>& events) {
  const std::string& p = updated.portfolio_id();
  AtomicWrite w;
  GuardObjective(w, p, current);
  if (parent) GuardObjective(w, p, *parent);
  PutObjective(w, p, updated);
  for (const auto& event : events) Publish(w, event);
  return Commit(w);
}

absl::Status OkrStore::CreateKeyResult(const std::string& p, const v1::KeyResult& key_result,
                                       const v1::Objective& objective, const events::v1::Envelope& event) {
  AtomicWrite w;
  w.ExpectField(keys::kKeyResultPortfolio, key_result.id(), "", absl::StatusCode::kAlreadyExists,
                "key result " + key_result.id() + " already exists");
  GuardObjective(w, p, objective);
  PutKeyResult(w, p, key_result);
  w.Command({"HSET", keys::kKeyResultPortfolio, key_result.id(), p});
  Publish(w, event);
  return Commit(w);
}

absl::Status OkrStore::UpdateKeyResult(const std::string& p, const v1::KeyResult& current,
                                       const v1::KeyResult& updated, const v1::Objective& objective,
                                       const events::v1::Envelope& event) {
  AtomicWrite w;
  GuardKeyResult(w, p, current);
  GuardObjective(w, p, objective);
  PutKeyResult(w, p, updated);
  Publish(w, event);
  return Commit(w);
}

absl::Status OkrStore::CommitCheckIn(const std::string& p, const v1::KeyResult& current, const v1::KeyResult& updated,
                                     const v1::CheckIn& check_in, const events::v1::Envelope& event) {
  // Once per source_id: a redelivery finds its id in the history and changes nothing.
  AtomicWrite w;
  w.ExpectField(keys::CheckIns(p, updated.id()), check_in.source_id(), "", absl::StatusCode::kAlreadyExists,
                "check-in " + check_in.source_id() + " was already applied");
  GuardKeyResult(w, p, current);
  w.Command({"HSET", keys::CheckIns(p, updated.id()), check_in.source_id(), check_in.SerializeAsString()});
  PutKeyResult(w, p, updated);
  Publish(w, event);
  return Commit(w);
}

absl::Status OkrStore::CommitAlignment(const std::string& p, const AlignmentWrite& write,
                                       const v1::KeyResult& key_result) {
  AtomicWrite w;
  GuardAlignment(w, p, write.alignment.initiative_id(), write.previous_version);
  GuardKeyResult(w, p, key_result);
  PutAlignment(w, p, write.alignment);
  Publish(w, write.event);
  return Commit(w);
}

absl::Status OkrStore::ApplyInitiative(const InitiativeSeen& initiative,
                                       const std::optional<AlignmentWrite>& alignment) {
  const std::string& p = initiative.portfolio_id;
  AtomicWrite w;
  w.SkipUnlessNewer(keys::InitiativeVersions(p), initiative.id, initiative.version);
  w.Command({"HSET", keys::InitiativeVersions(p), initiative.id, std::to_string(initiative.version)});
  w.Command({"HSET", keys::Initiatives(p), initiative.id, initiative.stage});
  w.Command({"HSET", keys::kInitiativePortfolio, initiative.id, p});
  if (alignment) {
    GuardAlignment(w, p, initiative.id, alignment->previous_version);
    PutAlignment(w, p, alignment->alignment);
    Publish(w, alignment->event);
  }
  return Commit(w);
}

}  // namespace pmo::okr::store
