// Intake's writes: each use case's change as one AtomicWrite (guards first, then the
// commands, then the event), committed through the outbox.
#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"
#include "services/intake/store/redis_store.h"

namespace pmo::intake::store {
namespace {

constexpr char kSource[] = "pmo-intake";

// Writes an initiative's snapshot and keeps the indexes and stage counts in step.
void PutInitiative(AtomicWrite& w, const v1::Initiative& snapshot, std::optional<v1::Stage> previous_stage) {
  const auto& p = snapshot.portfolio_id();
  w.Command({"HSET", keys::Initiative(p, snapshot.id()), "version", std::to_string(snapshot.version()), "stage",
             v1::Stage_Name(snapshot.stage()), "data", snapshot.SerializeAsString()});
  if (!previous_stage) {
    w.Command({"ZADD", keys::PortfolioInitiatives(p), "0", snapshot.id()});
    w.Command({"HSET", keys::kInitiativePortfolio, snapshot.id(), p});
  }
  if (!previous_stage || *previous_stage != snapshot.stage()) {
    if (previous_stage) w.Command({"HINCRBY", keys::StageCounts(p), v1::Stage_Name(*previous_stage), "-1"});
    w.Command({"HINCRBY", keys::StageCounts(p), v1::Stage_Name(snapshot.stage()), "1"});
  }
}

// The stored version must still be the one the decision was made on.
void GuardVersion(AtomicWrite& w, const v1::Initiative& current) {
  w.ExpectField(keys::Initiative(current.portfolio_id(), current.id()), "version", std::to_string(current.version()),
                absl::StatusCode::kAborted,
                "initiative " + current.id() + " changed concurrently since version " + std::to_string(current.version()));
}

}  // namespace

OutboxEvent RedisIntakeStore::Event(const google::protobuf::Message& payload, const std::string& subject,
                                    const std::string& portfolio_id, int64_t version, const CallContext& ctx) const {
  auto env = MakeEnvelope(payload, EventMetaFor(kSource, subject, portfolio_id, version, ctx), clock_);
  return ToOutboxEvent(topics::kIntakeEvents, env);
}

absl::Status RedisIntakeStore::CreatePortfolio(const v1::Portfolio& snapshot, const google::protobuf::Message& event,
                                               const CallContext& ctx) {
  const std::string& id = snapshot.id();
  AtomicWrite w;
  w.ExpectAbsent(keys::Portfolio(id), "portfolio " + id + " already exists")
      .Command({"HSET", keys::Portfolio(id), "version", std::to_string(snapshot.version()), "data",
                snapshot.SerializeAsString()})
      .Command({"ZADD", keys::kPortfolioIndex, "0", id})
      .Publish(Event(event, id, id, snapshot.version(), ctx));
  return outbox_.Commit(w).status();
}

absl::Status RedisIntakeStore::UpdatePortfolio(const v1::Portfolio& snapshot, int64_t read_version,
                                               const google::protobuf::Message& event, const CallContext& ctx) {
  const std::string& id = snapshot.id();
  AtomicWrite w;
  w.ExpectField(keys::Portfolio(id), "version", std::to_string(read_version), absl::StatusCode::kAborted,
                "portfolio " + id + " changed since version " + std::to_string(read_version))
      .Command({"HSET", keys::Portfolio(id), "version", std::to_string(snapshot.version()), "data",
                snapshot.SerializeAsString()})
      // Budgets and capacities feed approval: a change invalidates approvals in flight.
      .Command({"HINCRBY", keys::Commitments(id), "version", "1"})
      .Publish(Event(event, id, id, snapshot.version(), ctx));
  return outbox_.Commit(w).status();
}

absl::Status RedisIntakeStore::SubmitInitiative(const v1::Initiative& snapshot, const google::protobuf::Message& event,
                                                const CallContext& ctx) {
  const std::string& pid = snapshot.portfolio_id();
  const std::string& id = snapshot.id();
  AtomicWrite w;
  w.ExpectExists(keys::Portfolio(pid), "portfolio " + pid + " not found")
      .ExpectAbsent(keys::Initiative(pid, id), "initiative " + id + " already exists")
      // Ids are unique across portfolios: the id → portfolio map must not be taken.
      .ExpectField(keys::kInitiativePortfolio, id, "", absl::StatusCode::kAlreadyExists,
                   "initiative " + id + " already exists in another portfolio");
  PutInitiative(w, snapshot, std::nullopt);
  w.Publish(Event(event, id, pid, snapshot.version(), ctx));
  return outbox_.Commit(w).status();
}

AtomicWrite RedisIntakeStore::BuildChange(const InitiativeChange& change, const CallContext& ctx) const {
  const v1::Initiative& before = *change.before;
  const v1::Initiative& after = *change.after;
  const std::string& pid = after.portfolio_id();
  AtomicWrite w;
  if (!change.once_per_event_id.empty())
    w.OncePerMarker(keys::Processed(change.once_per_event_id), kProcessedMarkerTtlSeconds);
  GuardVersion(w, before);
  if (change.commitments) {
    // The capacity figures the decision read must still hold: another approval or a
    // portfolio change since then refuses it (the client retries) rather than over-commit.
    const int64_t v = change.commitments->version;
    w.ExpectField(keys::Commitments(pid), "version", v == 0 ? "" : std::to_string(v), absl::StatusCode::kAborted,
                  "portfolio " + pid + " commitments changed during the " + std::string(change.commitments->during) +
                      "; retry");
  }
  if (change.commitments_changed) w.Command({"HINCRBY", keys::Commitments(pid), "version", "1"});
  PutInitiative(w, after, before.stage());
  if (change.event) w.Publish(Event(*change.event, after.id(), pid, after.version(), ctx));
  return w;
}

absl::StatusOr<WriteResult> RedisIntakeStore::ChangeInitiative(const InitiativeChange& change, const CallContext& ctx) {
  return outbox_.Commit(BuildChange(change, ctx));
}

void RedisIntakeStore::ChangeInitiativeAsync(const InitiativeChange& change, const CallContext& ctx,
                                             Outbox::CommitDone done) {
  outbox_.CommitAsync(std::make_shared<const AtomicWrite>(BuildChange(change, ctx)), std::move(done));
}

absl::StatusOr<WriteResult> RedisIntakeStore::PutAlignment(const okr::v1::AlignmentChanged& alignment,
                                                           int64_t version) {
  AtomicWrite w;
  const auto key = keys::Alignment(alignment.initiative_id());
  w.SkipUnlessNewer(key, "version", version)
      .Command({"HSET", key, "version", std::to_string(version), "data", alignment.SerializeAsString()});
  return outbox_.Commit(w);
}

absl::StatusOr<WriteResult> RedisIntakeStore::PutKeyResultMeasurable(const std::string& key_result_id,
                                                                     bool measurable, int64_t version) {
  AtomicWrite w;
  const auto key = keys::KeyResult(key_result_id);
  w.SkipUnlessNewer(key, "version", version)
      .Command({"HSET", key, "version", std::to_string(version), "measurable", measurable ? "1" : "0"});
  return outbox_.Commit(w);
}

absl::StatusOr<WriteResult> RedisIntakeStore::PutBenefit(const benefits::v1::Benefit& benefit, int64_t version) {
  AtomicWrite w;
  const auto key = keys::Benefit(benefit.benefit_id());
  w.SkipUnlessNewer(key, "version", version)
      .Command({"HSET", key, "version", std::to_string(version), "initiative", benefit.initiative_id()});
  if (benefit.removed())
    w.Command({"HDEL", keys::InitiativeBenefits(benefit.initiative_id()), benefit.benefit_id()});
  else
    w.Command({"HSET", keys::InitiativeBenefits(benefit.initiative_id()), benefit.benefit_id(),
               benefit.SerializeAsString()});
  return outbox_.Commit(w);
}

}  // namespace pmo::intake::store
