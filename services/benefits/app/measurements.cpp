#include "services/benefits/app/measurements.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "services/benefits/app/convert.h"
#include "services/benefits/domain/measurements.h"
#include "services/benefits/domain/validation.h"
#include "pmo/common/use_cases.h"

namespace pmo::benefits::app {
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

absl::StatusOr<v1::RecordMeasurementResponse> MeasurementRecorder::RecordMeasurement(
    const v1::RecordMeasurementRequest& req, const CallContext& ctx, std::string_view source) {
  Violations v;
  if (req.benefit_id().empty()) v.Add("benefit_id", "is required");
  domain::Measurement m{req.value(), FromProto(req.as_of()), req.source_id()};
  CheckMeasurement(m, req.has_as_of(), deps_.Today(), "", v);
  if (!v.empty()) return v.ToStatus("invalid measurement");
  auto outcome = Apply(req.benefit_id(), {m}, false, ctx, source);
  if (!outcome.ok()) return outcome.status();
  v1::RecordMeasurementResponse out;
  *out.mutable_benefit() = std::move(outcome->snapshot);
  out.set_applied(outcome->applied > 0);
  return out;
}

absl::StatusOr<v1::RecordMeasurementsResponse> MeasurementRecorder::RecordMeasurements(
    const v1::RecordMeasurementsRequest& req, const CallContext& ctx, std::string_view source) {
  Violations v;
  if (req.benefit_id().empty()) v.Add("benefit_id", "is required");
  if (req.measurements().empty()) v.Add("measurements", "must not be empty");
  if (req.measurements_size() > kMaxBatch)
    v.Add("measurements", absl::StrCat("has ", req.measurements_size(), " entries; at most ", kMaxBatch, " per call"));
  std::vector<domain::Measurement> ms;
  ms.reserve(static_cast<size_t>(req.measurements_size()));
  const domain::Date today = deps_.Today();
  for (int i = 0; i < req.measurements_size(); ++i) {
    ms.push_back(FromProto(req.measurements(i)));
    CheckMeasurement(ms.back(), req.measurements(i).has_as_of(), today, absl::StrCat("measurements[", i, "]."), v);
  }
  if (!v.empty()) return v.ToStatus("invalid measurements");
  auto outcome = Apply(req.benefit_id(), ms, true, ctx, source);
  if (!outcome.ok()) return outcome.status();
  v1::RecordMeasurementsResponse out;
  *out.mutable_benefit() = std::move(outcome->snapshot);
  out.set_applied(outcome->applied);
  out.set_duplicates(outcome->duplicates);
  return out;
}

absl::StatusOr<MeasurementRecorder::Outcome> MeasurementRecorder::Apply(
    const std::string& benefit_id, const std::vector<domain::Measurement>& measurements, bool batch,
    const CallContext& ctx, std::string_view source) {
  return RetryOnRace([&] { return ApplyOnce(benefit_id, measurements, batch, ctx, source); });
}

absl::StatusOr<MeasurementRecorder::Outcome> MeasurementRecorder::ApplyOnce(
    const std::string& benefit_id, const std::vector<domain::Measurement>& measurements, bool batch,
    const CallContext& ctx, std::string_view source) {
  auto p = PortfolioOfBenefit(deps_.store, benefit_id);
  if (!p.ok()) return p.status();
  // Possibly the copy of the last write: the commit below is guarded by its version.
  auto current = deps_.store.GetBenefitToChange(*p, benefit_id);
  if (!current.ok()) return current.status();
  const store::StoredBenefit& held = **current;
  if (held.snapshot.removed())
    return absl::FailedPreconditionError("benefit " + benefit_id + " was withdrawn; it takes no measurements");
  Change c = Unchanged(held);
  const domain::Date today = deps_.Today();
  Violations v;
  Outcome outcome;
  for (size_t i = 0; i < measurements.size(); ++i) {
    auto r = domain::ApplyMeasurement(c.series, measurements[i], today);
    if (!r.ok()) {
      for (auto& f : ViolationsOf(r.status()))
        v.Add(batch ? absl::StrCat("measurements[", i, "].", f.field) : f.field, f.description);
    } else if (*r == domain::ApplyOutcome::kApplied) {
      c.measured.push_back(measurements[i]);
    } else {
      ++outcome.duplicates;
    }
  }
  if (!v.empty()) return v.ToStatus(batch ? "invalid measurements" : "invalid measurement");
  if (c.measured.empty()) {
    // Every source_id was applied before: nothing changes. Answer with the stored
    // snapshot, not a possibly older copy.
    auto stored = deps_.store.GetBenefit(*p, benefit_id, false);
    if (!stored.ok()) return stored.status();
    if (stored->version != held.version)
      return absl::AbortedError("benefit changed concurrently; retry");  // RetryOnRace re-reads
    outcome.snapshot = std::move(stored->snapshot);
    return outcome;
  }
  c.source = std::string(source);
  store::Changes changes(ctx);
  auto snap = Stage(deps_, c, changes);
  if (!snap.ok()) return snap.status();
  auto r = deps_.store.Commit(changes);
  if (!r.ok()) return r.status();  // stale (ABORTED) or unknown outcome: the store reads afresh next time
  deps_.metrics.MeasurementsApplied(source, c.measured.size());
  deps_.metrics.StatusChanged(held.snapshot, *snap, "measurement");
  outcome.snapshot = *std::move(snap);
  outcome.applied = static_cast<int>(c.measured.size());
  return outcome;
}

}  // namespace pmo::benefits::app
