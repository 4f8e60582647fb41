#include "services/benefits/app/benefits_app.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/benefits/app/convert.h"
#include "services/benefits/domain/measurements.h"
#include "services/benefits/domain/registration.h"
#include "services/benefits/domain/validation.h"
#include "services/benefits/domain/value.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/use_cases.h"
#include "pmo/common/envelope.h"
#include "pmo/base/errors.h"
#include "pmo/common/kafka.h"
#include "pmo/common/log.h"

namespace pmo::benefits::app {

namespace keys = adapters::keys;
namespace storage = ::pmo::benefits::storage::v1;
using adapters::DefinitionFromProto;
using adapters::FromProto;
using adapters::ToProto;

namespace {

constexpr char kSource[] = "pmo-benefits";
// ISO 4217's code for "no currency": the answer's currency when nothing names one.
constexpr char kNoCurrency[] = "XXX";

OutboxEvent BenefitEvent(const google::protobuf::Message& payload, const v1::Benefit& snapshot,
                         const CallContext& ctx, const Clock& clock) {
  auto env = MakeEnvelope(payload,
                          {.source = kSource,
                           .subject = snapshot.benefit_id(),
                           .portfolio_id = snapshot.portfolio_id(),
                           .aggregate_version = snapshot.version(),
                           .correlation_id = ctx.correlation_id,
                           .causation_id = ctx.causation_id},
                          clock);
  return ToOutboxEvent(topics::kBenefitsEvents, env);
}

bool IsDeliveredStage(intake::v1::Stage s) {
  return s == intake::v1::STAGE_DELIVERED || s == intake::v1::STAGE_SUSTAINING || s == intake::v1::STAGE_CLOSED;
}

// The business case's total cost, or else the sum of the cost per quarter (when all
// quarters share one currency).
std::optional<domain::Money> CostOf(const intake::v1::Initiative& in) {
  const auto& total = in.business_case().financial().total_cost();
  if (total.minor_units() > 0) return FromProto(total);
  if (in.cost_per_quarter().empty()) return std::nullopt;
  domain::Money sum{0, in.cost_per_quarter(0).amount().currency()};
  for (const auto& q : in.cost_per_quarter()) {
    if (q.amount().currency() != sum.currency) return std::nullopt;
    if (__builtin_add_overflow(sum.minor_units, q.amount().minor_units(), &sum.minor_units)) return std::nullopt;
  }
  return sum;
}

std::string PromisesBytes(const intake::v1::Initiative& in) {
  std::string out;
  for (const auto& b : in.benefits()) {
    std::string one = b.SerializeAsString();
    absl::StrAppend(&out, one.size(), ":", one);
  }
  return out;
}

// The currency a value answer is given in: the one asked for, else the portfolio's
// (intake's events), else the one most monetised benefits use, else "no currency".
std::string ChooseCurrency(const std::string& requested, const std::optional<std::string>& portfolio,
                           const std::vector<domain::BenefitValue>& values) {
  if (!requested.empty()) return requested;
  if (portfolio && !portfolio->empty()) return *portfolio;
  std::map<std::string, int> seen;
  for (const auto& v : values)
    if (v.planned) ++seen[v.planned->currency];
  if (seen.empty()) return kNoCurrency;
  return std::max_element(seen.begin(), seen.end(), [](auto& a, auto& b) { return a.second < b.second; })->first;
}

}  // namespace

// ---- state ----------------------------------------------------------------------------

struct BenefitsApp::Counters {
  prometheus::Family<prometheus::Counter>& measurements;
  prometheus::Family<prometheus::Counter>& status_changes;
  prometheus::Family<prometheus::Counter>& promises_skipped;
  explicit Counters(prometheus::Registry& r)
      : measurements(prometheus::BuildCounter()
                         .Name("pmo_benefits_measurements_total")
                         .Help("Measurements applied, by source (grpc or the ingest topic)")
                         .Register(r)),
        status_changes(prometheus::BuildCounter()
                           .Name("pmo_benefits_status_changes_total")
                           .Help("Benefit status changes, by new status and cause")
                           .Register(r)),
        promises_skipped(prometheus::BuildCounter()
                             .Name("pmo_benefits_promises_skipped_total")
                             .Help("Benefits promised in a submission that could not be registered, by reason")
                             .Register(r)) {}
};

// One benefit's new state, staged into an atomic write by Stage.
struct BenefitsApp::Change {
  const adapters::StoredBenefit* current = nullptr;  // absent: a new benefit
  domain::Benefit definition;  // id, initiative and portfolio set; the version is assigned
  v1::Origin origin = v1::ORIGIN_API;
  bool removed = false;
  std::optional<domain::Date> delivered_on;
  std::vector<domain::Measurement> series;
  bool announce = false;                       // publish BenefitChanged
  std::vector<domain::Measurement> measured;   // publish BenefitMeasured when not empty
  std::string source;
};

BenefitsApp::BenefitsApp(RedisPool& redis, Outbox& outbox, Metrics* metrics, BenefitsOptions options,
                         const Clock& clock)
    : store_(redis), outbox_(outbox), metrics_(metrics), options_(options), clock_(clock) {
  if (metrics_) counters_ = std::make_shared<Counters>(metrics_->registry());
}

domain::Date BenefitsApp::Today() const {
  const absl::CivilDay day = absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
  return {static_cast<int32_t>(day.year()), day.month(), day.day()};
}

domain::StatusContext BenefitsApp::ContextFor(const v1::Benefit& snapshot) const {
  domain::StatusContext c;
  c.today = Today();
  c.delivered_on = FromProto(snapshot.tracking_opens());
  c.stale_after_days = options_.stale_after_days;
  return c;
}

void BenefitsApp::CountStatusChange(const v1::Benefit& before, const v1::Benefit& after, std::string_view cause) {
  if (!counters_ || before.status() == after.status()) return;
  std::string to = v1::BenefitStatus_Name(after.status()).substr(std::string_view("BENEFIT_STATUS_").size());
  counters_->status_changes.Add({{"to", to}, {"cause", std::string(cause)}}).Increment();
}

absl::StatusOr<std::string> BenefitsApp::PortfolioOfBenefit(const std::string& benefit_id) {
  {
    std::lock_guard lock(portfolio_mu_);
    if (auto it = portfolio_of_.find(benefit_id); it != portfolio_of_.end()) return it->second;
  }
  auto p = store_.PortfolioOfBenefit(benefit_id);
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("benefit " + benefit_id + " not found");
  std::lock_guard lock(portfolio_mu_);
  if (portfolio_of_.size() >= kCacheSize) portfolio_of_.clear();
  portfolio_of_[benefit_id] = **p;
  return **p;
}

std::shared_ptr<const adapters::StoredBenefit> BenefitsApp::Cached(const std::string& id) {
  std::lock_guard lock(cache_mu_);
  auto it = cache_.find(id);
  return it == cache_.end() ? nullptr : it->second;
}

void BenefitsApp::Remember(adapters::StoredBenefit stored) {
  auto shared = std::make_shared<const adapters::StoredBenefit>(std::move(stored));
  std::lock_guard lock(cache_mu_);
  if (cache_.size() >= kCacheSize && !cache_.contains(shared->snapshot.benefit_id())) cache_.clear();
  cache_[shared->snapshot.benefit_id()] = std::move(shared);
}

void BenefitsApp::Forget(const std::string& id) {
  std::lock_guard lock(cache_mu_);
  cache_.erase(id);
}

// Assesses the benefit and stages its snapshot, series, value entry, indexes, review
// day and events, guarded by the version it was read at (or by its absence).
absl::StatusOr<v1::Benefit> BenefitsApp::Stage(AtomicWrite& w, const Change& change, const CallContext& ctx) {
  domain::Benefit def = change.definition;
  def.version = change.current ? change.current->version + 1 : 1;
  domain::StatusContext sc;
  sc.today = Today();
  sc.delivered_on = change.delivered_on;
  sc.stale_after_days = options_.stale_after_days;
  auto assessment = domain::Assess(def, change.series, sc);
  if (!assessment.ok()) return assessment.status();
  v1::Benefit snap;
  adapters::PutDefinition(def, &snap);
  snap.set_origin(change.origin);
  snap.set_removed(change.removed);
  adapters::PutAssessment(*assessment, &snap);

  const std::string& p = def.portfolio_id;
  const std::string& id = def.id;
  const std::string key = keys::Benefit(p, id);
  if (change.current) {
    w.ExpectField(key, "version", std::to_string(change.current->version), absl::StatusCode::kAborted,
                  absl::StrCat("benefit ", id, " changed concurrently since version ", change.current->version));
  } else {
    w.ExpectAbsent(key, "benefit " + id + " already exists")
        .ExpectField(keys::kBenefitPortfolio, id, "", absl::StatusCode::kAlreadyExists,
                     "benefit " + id + " already exists in another portfolio");
  }
  w.Command({"HSET", key, "version", std::to_string(def.version), "benefit", snap.SerializeAsString(), "series",
             adapters::ToProto(change.series).SerializeAsString()});
  if (!change.current) {
    w.Command({"ZADD", keys::PortfolioBenefits(p), "0", id});
    w.Command({"ZADD", keys::InitiativeBenefits(p, def.initiative_id), "0", id});
    w.Command({"HSET", keys::kBenefitPortfolio, id, p});
    w.Command({"HSET", keys::kInitiativePortfolio, def.initiative_id, p});
    w.Command({"ZADD", keys::kPortfolioIndex, "0", p});
  }
  if (change.removed) {
    w.Command({"HDEL", keys::Values(p), id});
    w.Command({"ZREM", keys::ReviewDue(p), id});
  } else {
    w.Command({"HSET", keys::Values(p), id, adapters::ToEntry(assessment->value).SerializeAsString()});
    if (assessment->next_review)
      w.Command({"ZADD", keys::ReviewDue(p), std::to_string(domain::DaysSinceEpoch(*assessment->next_review)), id});
    else
      w.Command({"ZREM", keys::ReviewDue(p), id});
  }

  if (change.announce) {
    v1::BenefitChanged e;
    *e.mutable_benefit() = snap;
    e.set_created(change.current == nullptr);
    w.Publish(BenefitEvent(e, snap, ctx, clock_));
  }
  if (!change.measured.empty()) {
    v1::BenefitMeasured e;
    *e.mutable_benefit() = snap;
    *e.mutable_measurement() = adapters::ToProto(change.measured.back());
    for (const auto& m : change.measured) *e.add_applied() = adapters::ToProto(m);
    e.set_source(change.source);
    w.Publish(BenefitEvent(e, snap, ctx, clock_));
  }
  const bool was_counted = change.current && !change.current->snapshot.removed();
  if (was_counted && !change.removed && change.current->snapshot.status() != snap.status()) {
    v1::BenefitStatusChanged e;
    *e.mutable_benefit() = snap;
    e.set_from(change.current->snapshot.status());
    e.set_to(snap.status());
    e.set_reason(snap.status_reason());
    w.Publish(BenefitEvent(e, snap, ctx, clock_));
  }
  return snap;
}

// ---- register ---------------------------------------------------------------------------

absl::StatusOr<v1::Benefit> BenefitsApp::CreateBenefit(const v1::CreateBenefitRequest& req, const CallContext& ctx) {
  Violations v;
  ValidateId(req.benefit_id(), "benefit_id", v, 128);
  domain::Benefit def = DefinitionFromProto(req.benefit(), v);
  def.id = req.benefit_id().empty() ? NewUuid() : req.benefit_id();
  std::optional<domain::Date> delivered_on;
  if (!def.initiative_id.empty()) {
    auto known = store_.PortfolioOfInitiative(def.initiative_id);
    if (!known.ok()) return known.status();
    if (*known && !def.portfolio_id.empty() && **known != def.portfolio_id) {
      v.Add("portfolio_id", absl::StrCat("is ", def.portfolio_id, "; initiative ", def.initiative_id,
                                         " belongs to portfolio ", **known));
    } else if (*known) {
      def.portfolio_id = **known;
      auto info = store_.GetInitiative(def.portfolio_id, def.initiative_id);
      if (!info.ok()) return info.status();
      if (*info) delivered_on = FromProto((*info)->delivered_on());
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
  AtomicWrite w;
  auto snap = Stage(w, c, ctx);
  if (!snap.ok()) return snap.status();
  auto r = outbox_.Commit(w);
  if (!r.ok()) return r.status();
  return snap;
}

absl::StatusOr<v1::Benefit> BenefitsApp::UpdateBenefit(const v1::UpdateBenefitRequest& req, const CallContext& ctx) {
  const std::string& id = req.benefit().benefit_id();
  if (id.empty()) return InvalidArgument("invalid benefit", {{"benefit_id", "is required"}});
  auto p = PortfolioOfBenefit(id);
  if (!p.ok()) return p.status();
  auto current = store_.GetBenefit(*p, id, true);
  if (!current.ok()) return current.status();
  if (req.expected_version() != current->version)
    return absl::AbortedError(absl::StrCat("benefit ", id, " is at version ", current->version, ", not the expected ",
                                           req.expected_version(), "; read it again"));
  if (current->snapshot.removed())
    return absl::FailedPreconditionError("benefit " + id + " was withdrawn; it cannot change");
  Violations v, ignored;
  domain::Benefit stored = DefinitionFromProto(current->snapshot, ignored);
  Change c;
  c.current = &*current;
  c.origin = current->snapshot.origin();
  c.delivered_on = FromProto(current->snapshot.tracking_opens());
  c.series = FromProto(current->series);
  c.announce = true;
  if (req.benefit().removed()) {
    c.definition = stored;
    c.removed = true;
  } else {
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
  AtomicWrite w;
  auto snap = Stage(w, c, ctx);
  if (!snap.ok()) return snap.status();
  auto r = outbox_.Commit(w);
  Forget(id);
  if (!r.ok()) return r.status();
  CountStatusChange(current->snapshot, *snap, "update");
  return snap;
}

absl::StatusOr<v1::Benefit> BenefitsApp::GetBenefit(const v1::GetBenefitRequest& req) {
  if (req.benefit_id().empty()) return InvalidArgument("invalid request", {{"benefit_id", "is required"}});
  auto p = PortfolioOfBenefit(req.benefit_id());
  if (!p.ok()) return p.status();
  auto b = store_.GetBenefit(*p, req.benefit_id(), false);
  if (!b.ok()) return b.status();
  return std::move(b->snapshot);
}

absl::StatusOr<v1::ListBenefitsResponse> BenefitsApp::ListBenefits(const v1::ListBenefitsRequest& req) {
  if (req.initiative_id().empty() == req.portfolio_id().empty())
    return InvalidArgument("invalid request", {{"initiative_id", "give exactly one of initiative_id and portfolio_id"},
                                               {"portfolio_id", "give exactly one of initiative_id and portfolio_id"}});
  auto size = PageSize(req.page(), BenefitsApp::kDefaultPageSize, BenefitsApp::kMaxPageSize);
  if (!size.ok()) return size.status();
  std::string portfolio = req.portfolio_id();
  std::string zset;
  if (!req.initiative_id().empty()) {
    auto p = store_.PortfolioOfInitiative(req.initiative_id());
    if (!p.ok()) return p.status();
    if (!*p) return absl::NotFoundError("initiative " + req.initiative_id() + " has no benefits");
    portfolio = **p;
    zset = keys::InitiativeBenefits(portfolio, req.initiative_id());
  } else {
    zset = keys::PortfolioBenefits(portfolio);
  }
  std::set<int> statuses(req.statuses().begin(), req.statuses().end());
  v1::ListBenefitsResponse out;
  std::string after = req.page().page_token();
  // Scan the index in id order until the page is full; the token is the last id
  // examined, so a filtered scan resumes where it stopped.
  for (;;) {
    auto ids = store_.IdsAfter(zset, after, *size);
    if (!ids.ok()) return ids.status();
    if (ids->empty()) return out;
    auto batch = store_.GetBenefits(portfolio, *ids, false);
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

// ---- measurements -----------------------------------------------------------------------

namespace {
// Every problem with one measurement's own fields, found before the benefit is looked
// up, so an unknown benefit does not hide them.
void CheckMeasurement(const domain::Measurement& m, bool has_as_of, const domain::Date& today,
                      const std::string& prefix, Violations& v) {
  if (!has_as_of) v.Add(prefix + "as_of", "is required");
  for (auto& f : ViolationsOf(domain::ValidateMeasurement(m, today)))
    if (has_as_of || f.field != "as_of") v.Add(prefix + f.field, f.description);
}
}  // namespace

absl::StatusOr<v1::RecordMeasurementResponse> BenefitsApp::RecordMeasurement(const v1::RecordMeasurementRequest& req,
                                                                             const CallContext& ctx,
                                                                             std::string_view source) {
  Violations v;
  if (req.benefit_id().empty()) v.Add("benefit_id", "is required");
  domain::Measurement m{req.value(), FromProto(req.as_of()).value_or(domain::Date{0, 0, 0}), req.source_id()};
  CheckMeasurement(m, req.has_as_of(), Today(), "", v);
  if (!v.empty()) return v.ToStatus("invalid measurement");
  auto outcome = ApplyMeasurements(req.benefit_id(), {m}, false, ctx, source);
  if (!outcome.ok()) return outcome.status();
  v1::RecordMeasurementResponse out;
  *out.mutable_benefit() = std::move(outcome->snapshot);
  out.set_applied(outcome->applied > 0);
  return out;
}

absl::StatusOr<v1::RecordMeasurementsResponse> BenefitsApp::RecordMeasurements(
    const v1::RecordMeasurementsRequest& req, const CallContext& ctx, std::string_view source) {
  Violations v;
  if (req.benefit_id().empty()) v.Add("benefit_id", "is required");
  if (req.measurements().empty()) v.Add("measurements", "must not be empty");
  if (req.measurements_size() > kMaxBatch)
    v.Add("measurements", absl::StrCat("has ", req.measurements_size(), " entries; at most ", kMaxBatch, " per call"));
  std::vector<domain::Measurement> ms;
  ms.reserve(static_cast<size_t>(req.measurements_size()));
  const domain::Date today = Today();
  for (int i = 0; i < req.measurements_size(); ++i) {
    ms.push_back(FromProto(req.measurements(i)));
    CheckMeasurement(ms.back(), req.measurements(i).has_as_of(), today, absl::StrCat("measurements[", i, "]."), v);
  }
  if (!v.empty()) return v.ToStatus("invalid measurements");
  auto outcome = ApplyMeasurements(req.benefit_id(), ms, true, ctx, source);
  if (!outcome.ok()) return outcome.status();
  v1::RecordMeasurementsResponse out;
  *out.mutable_benefit() = std::move(outcome->snapshot);
  out.set_applied(outcome->applied);
  out.set_duplicates(outcome->duplicates);
  return out;
}

absl::StatusOr<BenefitsApp::Outcome> BenefitsApp::ApplyMeasurements(
    const std::string& benefit_id, const std::vector<domain::Measurement>& measurements, bool batch,
    const CallContext& ctx, std::string_view source) {
  return RetryOnRace([&] { return ApplyMeasurementsOnce(benefit_id, measurements, batch, ctx, source); });
}

absl::StatusOr<BenefitsApp::Outcome> BenefitsApp::ApplyMeasurementsOnce(
    const std::string& benefit_id, const std::vector<domain::Measurement>& measurements, bool batch,
    const CallContext& ctx, std::string_view source) {
  auto p = PortfolioOfBenefit(benefit_id);
  if (!p.ok()) return p.status();
  std::shared_ptr<const adapters::StoredBenefit> current = Cached(benefit_id);
  if (!current) {
    auto fresh = store_.GetBenefit(*p, benefit_id, true);
    if (!fresh.ok()) return fresh.status();
    current = std::make_shared<const adapters::StoredBenefit>(std::move(*fresh));
  }
  if (current->snapshot.removed())
    return absl::FailedPreconditionError("benefit " + benefit_id + " was withdrawn; it takes no measurements");
  std::vector<domain::Measurement> series = FromProto(current->series);
  const domain::Date today = Today();
  Violations v;
  Outcome outcome;
  std::vector<domain::Measurement> applied;
  for (size_t i = 0; i < measurements.size(); ++i) {
    auto r = domain::ApplyMeasurement(series, measurements[i], today);
    if (!r.ok()) {
      for (auto& f : ViolationsOf(r.status()))
        v.Add(batch ? absl::StrCat("measurements[", i, "].", f.field) : f.field, f.description);
    } else if (*r == domain::ApplyOutcome::kApplied) {
      applied.push_back(measurements[i]);
    } else {
      ++outcome.duplicates;
    }
  }
  if (!v.empty()) return v.ToStatus(batch ? "invalid measurements" : "invalid measurement");
  if (applied.empty()) {
    // Every source_id was applied before: nothing changes. Answer with the stored
    // snapshot, not a possibly older cached one.
    auto stored = store_.GetBenefit(*p, benefit_id, false);
    if (!stored.ok()) return stored.status();
    if (stored->version != current->version) {
      Forget(benefit_id);
      return absl::AbortedError("benefit changed concurrently; retry");  // RetryOnRace re-reads
    }
    outcome.snapshot = std::move(stored->snapshot);
    return outcome;
  }
  Violations ignored;
  Change c;
  c.current = current.get();
  c.definition = DefinitionFromProto(current->snapshot, ignored);
  c.origin = current->snapshot.origin();
  c.delivered_on = FromProto(current->snapshot.tracking_opens());
  c.series = std::move(series);
  c.measured = applied;
  c.source = std::string(source);
  AtomicWrite w;
  auto snap = Stage(w, c, ctx);
  if (!snap.ok()) return snap.status();
  auto r = outbox_.Commit(w);
  if (!r.ok()) {
    Forget(benefit_id);  // stale (ABORTED) or unknown outcome: read afresh next time
    return r.status();
  }
  Remember({*snap, adapters::ToProto(c.series), snap->version()});
  if (counters_) counters_->measurements.Add({{"source", std::string(source)}}).Increment(static_cast<double>(applied.size()));
  CountStatusChange(current->snapshot, *snap, "measurement");
  outcome.snapshot = *std::move(snap);
  outcome.applied = static_cast<int>(applied.size());
  return outcome;
}

absl::StatusOr<v1::GetRealisationResponse> BenefitsApp::GetRealisation(const v1::GetRealisationRequest& req) {
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

// ---- value --------------------------------------------------------------------------------

absl::StatusOr<v1::ValueSummary> BenefitsApp::GetInitiativeValue(const v1::GetInitiativeValueRequest& req) {
  if (req.initiative_id().empty()) return InvalidArgument("invalid request", {{"initiative_id", "is required"}});
  auto p = store_.PortfolioOfInitiative(req.initiative_id());
  if (!p.ok()) return p.status();
  if (!*p) return absl::NotFoundError("initiative " + req.initiative_id() + " is not known to the benefits service");
  auto ids = store_.IdsAfter(keys::InitiativeBenefits(**p, req.initiative_id()), "", -1);
  if (!ids.ok()) return ids.status();
  auto entries = store_.Values(**p, *ids);
  if (!entries.ok()) return entries.status();
  auto info = store_.GetInitiative(**p, req.initiative_id());
  if (!info.ok()) return info.status();
  auto portfolio_currency = store_.PortfolioCurrency(**p);
  if (!portfolio_currency.ok()) return portfolio_currency.status();
  std::vector<domain::BenefitValue> values;
  values.reserve(entries->size());
  for (const auto& [id, e] : *entries) values.push_back(adapters::FromEntry(id, e));
  std::optional<domain::Money> cost;
  if (*info && (*info)->cost_known()) cost = FromProto((*info)->cost());
  std::string currency = ChooseCurrency(req.currency(), *portfolio_currency, values);
  if (req.currency().empty() && currency == kNoCurrency && cost) currency = cost->currency;
  // A cost held in another currency (intake's portfolio event not seen yet, or another
  // currency asked for) leaves the ROI unknown; stored data is never the caller's error.
  if (cost && cost->currency != currency) cost.reset();
  auto summary = domain::SummariseValue(values, currency, cost);
  if (!summary.ok()) return summary.status();
  return adapters::ToProto(*summary, req.initiative_id());
}

absl::StatusOr<v1::PortfolioValue> BenefitsApp::GetPortfolioValue(const v1::GetPortfolioValueRequest& req) {
  if (req.portfolio_id().empty()) return InvalidArgument("invalid request", {{"portfolio_id", "is required"}});
  const std::string& p = req.portfolio_id();
  // The per-benefit derived state kept on every write: never the measurements.
  auto entries = store_.Values(p);
  if (!entries.ok()) return entries.status();
  auto stored_costs = store_.Costs(p);
  if (!stored_costs.ok()) return stored_costs.status();
  auto portfolio_currency = store_.PortfolioCurrency(p);
  if (!portfolio_currency.ok()) return portfolio_currency.status();
  if (entries->empty() && stored_costs->empty() && !*portfolio_currency)
    return absl::NotFoundError("portfolio " + p + " is not known to the benefits service");
  std::vector<domain::BenefitValue> values;
  values.reserve(entries->size());
  for (const auto& [id, e] : *entries) values.push_back(adapters::FromEntry(id, e));
  std::map<std::string, domain::Money> costs;
  for (auto& [initiative_id, cost] : *stored_costs)
    costs.emplace(initiative_id, domain::Money{cost.first, std::move(cost.second)});
  std::string currency = ChooseCurrency(req.currency(), *portfolio_currency, values);
  if (req.currency().empty() && currency == kNoCurrency && !costs.empty()) currency = costs.begin()->second.currency;
  // Costs in another currency leave those initiatives' ROI unknown (see GetInitiativeValue).
  std::erase_if(costs, [&](const auto& entry) { return entry.second.currency != currency; });
  auto summary = domain::SummarisePortfolio(values, currency, costs);
  if (!summary.ok()) return summary.status();
  v1::PortfolioValue out;
  out.set_portfolio_id(p);
  *out.mutable_total() = adapters::ToProto(summary->total, "");
  out.mutable_by_initiative()->Reserve(static_cast<int>(summary->by_initiative.size()));
  for (const auto& [initiative_id, s] : summary->by_initiative)
    *out.add_by_initiative() = adapters::ToProto(s, initiative_id);
  return out;
}

// ---- intake's events ----------------------------------------------------------------------

absl::Status BenefitsApp::ApplyPortfolio(const intake::v1::Portfolio& portfolio, int64_t version) {
  if (portfolio.id().empty()) return InvalidArgument("invalid portfolio", {{"portfolio.id", "is required"}});
  AtomicWrite w;
  const auto key = keys::Portfolio(portfolio.id());
  w.SkipUnlessNewer(key, "version", version)
      .Command({"HSET", key, "version", std::to_string(version), "currency", portfolio.currency()})
      .Command({"ZADD", keys::kPortfolioIndex, "0", portfolio.id()});
  return outbox_.Commit(w).status();
}

absl::Status BenefitsApp::ApplyInitiative(const intake::v1::Initiative& initiative, int64_t version,
                                          const domain::Date& occurred_on, const CallContext& ctx) {
  Violations v;
  if (initiative.id().empty()) v.Add("initiative.id", "is required");
  if (initiative.portfolio_id().empty()) v.Add("initiative.portfolio_id", "is required");
  if (version <= 0) v.Add("aggregate_version", "must be positive");
  if (!v.empty()) return v.ToStatus("invalid initiative");
  auto r = RetryOnRace([&]() -> absl::StatusOr<bool> {
    auto s = ApplyInitiativeOnce(initiative, version, occurred_on, ctx);
    if (!s.ok()) return s;
    return true;
  });
  return r.status();
}

absl::Status BenefitsApp::ApplyInitiativeOnce(const intake::v1::Initiative& in, int64_t version,
                                              const domain::Date& occurred_on, const CallContext& ctx) {
  const std::string& p = in.portfolio_id();
  const std::string& iid = in.id();
  auto held = store_.InitiativeVersion(p, iid);
  if (!held.ok()) return held.status();
  if (*held >= version) return absl::OkStatus();  // already applied (a redelivery)
  auto prev = store_.GetInitiative(p, iid);
  if (!prev.ok()) return prev.status();

  storage::Initiative info;
  info.set_initiative_id(iid);
  info.set_portfolio_id(p);
  info.set_stage(in.stage());
  if (auto cost = CostOf(in)) {
    *info.mutable_cost() = ToProto(*cost);
    info.set_cost_known(true);
  }
  bool newly_delivered = false;
  if (*prev && (*prev)->has_delivered_on()) {
    *info.mutable_delivered_on() = (*prev)->delivered_on();
  } else if (IsDeliveredStage(in.stage())) {
    *info.mutable_delivered_on() = ToProto(occurred_on);
    newly_delivered = true;
  }
  const std::optional<domain::Date> delivered_on = FromProto(info.delivered_on());

  // The promised benefits, each under its deterministic id.
  struct Promise {
    domain::Benefit definition;
    bool valid = false;
  };
  std::vector<Promise> promises;
  std::map<std::string, int> occurrences;
  for (int i = 0; i < in.benefits_size(); ++i) {
    Violations pv;
    Promise promise;
    promise.definition = adapters::FromPromise(in.benefits(i), pv);
    const std::string slug = domain::MetricSlug(promise.definition.metric);
    const int occurrence = ++occurrences[slug.empty() ? absl::StrCat("#", i) : slug];
    promise.definition.id = domain::PromisedBenefitId(iid, promise.definition.metric, occurrence, static_cast<size_t>(i));
    promise.definition.initiative_id = iid;
    promise.definition.portfolio_id = p;
    absl::Status valid = MergeViolations(pv, domain::ValidateBenefit(promise.definition), "invalid promised benefit");
    promise.valid = valid.ok();
    if (!promise.valid) {
      // The submission is a fact intake accepted; a promise this register cannot hold
      // (no target, say) is reported and left out rather than failing the others.
      log::Warn("promised benefit not registered",
                {{"initiative", iid}, {"benefit", promise.definition.id}, {"reason", valid.ToString()}});
      if (counters_) counters_->promises_skipped.Add({{"reason", "invalid"}}).Increment();
    }
    info.add_promised_benefit_ids(promise.definition.id);
    promises.push_back(std::move(promise));
  }
  const std::string promises_bytes = PromisesBytes(in);
  info.set_promises(promises_bytes);

  AtomicWrite w;
  w.SkipUnlessNewer(keys::InitiativeVersions(p), iid, version);
  // The withdrawals below are worked out from the version read above: if another
  // consumer applied a newer one meanwhile, answer ABORTED and start again from it.
  w.ExpectField(keys::InitiativeVersions(p), iid, *held == 0 ? "" : std::to_string(*held));
  const bool promises_changed = !*prev || (*prev)->promises() != promises_bytes;
  std::vector<std::pair<adapters::StoredBenefit, v1::Benefit>> changed;  // for the cache and metrics
  if (promises_changed || newly_delivered) {
    std::set<std::string> ids;
    for (const auto& promise : promises) ids.insert(promise.definition.id);
    if (*prev)
      for (const auto& id : (*prev)->promised_benefit_ids()) ids.insert(id);
    if (newly_delivered) {
      auto all = store_.IdsAfter(keys::InitiativeBenefits(p, iid), "", -1);
      if (!all.ok()) return all.status();
      ids.insert(all->begin(), all->end());
    }
    auto stored = store_.GetBenefits(p, std::vector<std::string>(ids.begin(), ids.end()), true);
    if (!stored.ok()) return stored.status();
    std::map<std::string, const adapters::StoredBenefit*> by_id;
    for (const auto& b : *stored) by_id[b.snapshot.benefit_id()] = &b;
    std::set<std::string> handled;
    auto stage = [&](Change& c) -> absl::Status {
      auto snap = Stage(w, c, ctx);
      if (!snap.ok()) return snap.status();
      if (c.current) changed.emplace_back(*c.current, *std::move(snap));
      handled.insert(c.definition.id);
      return absl::OkStatus();
    };
    Violations ignored;
    for (const auto& promise : promises) {
      const std::string& id = promise.definition.id;
      if (!promise.valid || handled.contains(id)) continue;
      Change c;
      c.origin = v1::ORIGIN_SUBMISSION;
      c.delivered_on = delivered_on;
      c.announce = true;
      if (auto it = by_id.find(id); it != by_id.end()) {
        const adapters::StoredBenefit& current = *it->second;
        if (current.snapshot.origin() != v1::ORIGIN_SUBMISSION) {
          log::Warn("promised benefit id is taken by a benefit created through the API",
                    {{"initiative", iid}, {"benefit", id}});
          if (counters_) counters_->promises_skipped.Add({{"reason", "id_taken"}}).Increment();
          continue;
        }
        domain::Benefit stored_def = DefinitionFromProto(current.snapshot, ignored);
        domain::Benefit merged = domain::WithPromisedDefinition(stored_def, promise.definition);
        const bool window_opens = newly_delivered && !current.snapshot.has_tracking_opens();
        if (domain::SameDefinition(merged, stored_def) && !current.snapshot.removed() && !window_opens) {
          handled.insert(id);
          continue;
        }
        c.current = &current;
        c.definition = std::move(merged);
        c.series = FromProto(current.series);
      } else {
        c.definition = promise.definition;
      }
      if (auto s = stage(c); !s.ok()) return s;
    }
    // Promises the submission no longer makes are withdrawn.
    std::set<std::string> promised_now;
    for (const auto& promise : promises) promised_now.insert(promise.definition.id);
    if (*prev) {
      for (const auto& id : (*prev)->promised_benefit_ids()) {
        auto it = by_id.find(id);
        if (promised_now.contains(id) || it == by_id.end() || handled.contains(id)) continue;
        const adapters::StoredBenefit& current = *it->second;
        if (current.snapshot.removed() || current.snapshot.origin() != v1::ORIGIN_SUBMISSION) continue;
        Change c;
        c.current = &current;
        c.definition = DefinitionFromProto(current.snapshot, ignored);
        c.origin = v1::ORIGIN_SUBMISSION;
        c.removed = true;
        c.delivered_on = FromProto(current.snapshot.tracking_opens());
        c.series = FromProto(current.series);
        c.announce = true;
        if (auto s = stage(c); !s.ok()) return s;
      }
    }
    // Delivery opens the tracking window of every other benefit of the initiative.
    if (newly_delivered) {
      for (const auto& [id, current] : by_id) {
        if (handled.contains(id) || current->snapshot.removed() || current->snapshot.initiative_id() != iid ||
            current->snapshot.has_tracking_opens())
          continue;
        Change c;
        c.current = current;
        c.definition = DefinitionFromProto(current->snapshot, ignored);
        c.origin = current->snapshot.origin();
        c.delivered_on = delivered_on;
        c.series = FromProto(current->series);
        c.announce = true;
        if (auto s = stage(c); !s.ok()) return s;
      }
    }
  }
  w.Command({"HSET", keys::InitiativeVersions(p), iid, std::to_string(version)});
  w.Command({"HSET", keys::Initiatives(p), iid, info.SerializeAsString()});
  if (info.cost_known())
    w.Command({"HSET", keys::Costs(p), iid, absl::StrCat(info.cost().minor_units(), " ", info.cost().currency())});
  else
    w.Command({"HDEL", keys::Costs(p), iid});
  w.Command({"HSET", keys::kInitiativePortfolio, iid, p});
  w.Command({"ZADD", keys::kPortfolioIndex, "0", p});
  auto r = outbox_.Commit(w);
  for (const auto& [before, after] : changed) Forget(after.benefit_id());
  if (!r.ok()) return r.status();
  if (*r == WriteResult::kApplied)
    for (const auto& [before, after] : changed) CountStatusChange(before.snapshot, after, "initiative");
  return absl::OkStatus();
}

// ---- the STALE sweep ----------------------------------------------------------------------

absl::StatusOr<int> BenefitsApp::ReviewDue() {
  const domain::Date today = Today();
  auto portfolios = store_.Portfolios();
  if (!portfolios.ok()) return portfolios.status();
  int changes = 0;
  absl::Status first_error;
  // One benefit or portfolio failing does not hold the sweep up for the others; the
  // first error is reported once the rest were reviewed (the next sweep retries it).
  for (const auto& p : *portfolios) {
    auto due = store_.DueForReview(p, domain::DaysSinceEpoch(today), options_.sweep_batch);
    if (!due.ok()) {
      first_error.Update(due.status());
      continue;
    }
    for (const auto& id : *due) {
      auto changed = RetryOnRace([&] { return ReviewOne(p, id, today); });
      if (!changed.ok()) {
        log::Warn("stale review failed", {{"portfolio", p}, {"benefit", id}, {"reason", changed.status().ToString()}});
        first_error.Update(changed.status());
        continue;
      }
      if (*changed) ++changes;
    }
  }
  if (!first_error.ok()) return first_error;
  return changes;
}

absl::StatusOr<bool> BenefitsApp::ReviewOne(const std::string& p, const std::string& id, const domain::Date& today) {
  auto current = store_.GetBenefit(p, id, true);
  if (current.status().code() == absl::StatusCode::kNotFound) {
    AtomicWrite w;
    w.Command({"ZREM", keys::ReviewDue(p), id});
    if (auto r = outbox_.Commit(w); !r.ok()) return r.status();
    return false;
  }
  if (!current.ok()) return current.status();
  Violations ignored;
  Change c;
  c.current = &*current;
  c.definition = DefinitionFromProto(current->snapshot, ignored);
  c.origin = current->snapshot.origin();
  c.removed = current->snapshot.removed();
  c.delivered_on = FromProto(current->snapshot.tracking_opens());
  c.series = FromProto(current->series);
  domain::StatusContext sc = ContextFor(current->snapshot);
  sc.today = today;
  const domain::StatusEvaluation status = domain::EvaluateStatus(c.definition, c.series, sc);
  AtomicWrite w;
  if (c.removed || adapters::ToProto(status.status) == current->snapshot.status()) {
    // Same status: only the next review day moves; no new version, no event.
    w.ExpectField(keys::Benefit(p, id), "version", std::to_string(current->version), absl::StatusCode::kAborted,
                  "benefit " + id + " changed during its review");
    const auto next = c.removed ? std::nullopt : domain::NextStatusReview(c.definition, c.series, sc);
    if (next)
      w.Command({"ZADD", keys::ReviewDue(p), std::to_string(domain::DaysSinceEpoch(*next)), id});
    else
      w.Command({"ZREM", keys::ReviewDue(p), id});
    auto r = outbox_.Commit(w);
    if (!r.ok()) return r.status();
    return false;
  }
  auto snap = Stage(w, c, CallContext{"", "stale-sweep"});
  if (!snap.ok()) return snap.status();
  auto r = outbox_.Commit(w);
  Forget(id);
  if (!r.ok()) return r.status();
  CountStatusChange(current->snapshot, *snap, "sweep");
  return true;
}

}  // namespace pmo::benefits::app
