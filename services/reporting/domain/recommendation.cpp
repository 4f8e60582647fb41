#include "services/reporting/domain/recommendation.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "pmo/base/errors.h"

namespace pmo::reporting::domain {

std::string_view RecommendationName(Recommendation r) {
  switch (r) {
    case Recommendation::kContinue: return "CONTINUE";
    case Recommendation::kPivot: return "PIVOT";
    case Recommendation::kStop: return "STOP";
  }
  return "CONTINUE";
}

absl::Status ValidateRules(const ReviewRules& r) {
  Violations v;
  auto share = [&](const char* field, double x) {
    if (!std::isfinite(x) || x < 0 || x > 1) v.Add(field, absl::StrFormat("must be in [0, 1], got %g", x));
  };
  share("stop_forecast_share", r.stop_forecast_share);
  share("pivot_forecast_share", r.pivot_forecast_share);
  share("pivot_kr_progress", r.pivot_kr_progress);
  share("pivot_confidence", r.pivot_confidence);
  share("low_rank_share", r.low_rank_share);
  if (r.stop_forecast_share > r.pivot_forecast_share)
    v.Add("stop_forecast_share", "must not exceed pivot_forecast_share (a forecast that stops must also pivot)");
  if (!std::isfinite(r.pivot_cost_overrun) || r.pivot_cost_overrun < 0)
    v.Add("pivot_cost_overrun", "must be a non-negative share of the budget");
  if (!std::isfinite(r.stop_cost_overrun) || r.stop_cost_overrun < r.pivot_cost_overrun)
    v.Add("stop_cost_overrun", "must be at least pivot_cost_overrun");
  if (r.pivot_slip_days < 0) v.Add("pivot_slip_days", "must not be negative");
  if (r.stop_slip_days < r.pivot_slip_days) v.Add("stop_slip_days", "must be at least pivot_slip_days");
  if (!std::isfinite(r.kr_progress_after_complete) || r.kr_progress_after_complete < 0 ||
      r.kr_progress_after_complete > 100)
    v.Add("kr_progress_after_complete", "must be a percentage in [0, 100]");
  return v.ToStatus("invalid review rules");
}

namespace {

std::string Pct(double share) { return absl::StrFormat("%.0f%%", share * 100); }

void BenefitRules(const InitiativeEvidence& e, const ReviewRules& r, std::vector<Reason>& out) {
  for (const auto& b : e.benefits) {
    std::string name = b.metric.empty() ? b.benefit_id : absl::StrCat(b.metric, " (", b.benefit_id, ")");
    if (b.forecast_share) {
      double f = *b.forecast_share;
      if (f < r.stop_forecast_share)
        out.push_back({"benefit-forecast", Recommendation::kStop,
                       absl::StrCat("benefit ", name, ": the forecast at the target date reaches ", Pct(f),
                                    " of the planned improvement (stop below ", Pct(r.stop_forecast_share), ")")});
      else if (f < r.pivot_forecast_share)
        out.push_back({"benefit-forecast", Recommendation::kPivot,
                       absl::StrCat("benefit ", name, ": the forecast at the target date reaches ", Pct(f),
                                    " of the planned improvement (pivot below ", Pct(r.pivot_forecast_share),
                                    ")")});
    }
    std::string why = b.status_reason.empty() ? "" : absl::StrCat(": ", b.status_reason);
    switch (b.status) {
      case BenefitStatus::kOffTrack:
        out.push_back({"benefit-status", r.off_track_stops ? Recommendation::kStop : Recommendation::kPivot,
                       absl::StrCat("benefit ", name, " is OFF_TRACK", why)});
        break;
      case BenefitStatus::kAtRisk:
        out.push_back({"benefit-status", Recommendation::kPivot, absl::StrCat("benefit ", name, " is AT_RISK", why)});
        break;
      case BenefitStatus::kStale:
        out.push_back({"benefit-status", Recommendation::kPivot,
                       absl::StrCat("benefit ", name, " is STALE: no measurement in its window", why)});
        break;
      default:
        break;
    }
  }
}

void DeliveryRules(const InitiativeEvidence& e, const ReviewRules& r, std::vector<Reason>& out) {
  if (e.budget && *e.budget > 0 && e.forecast_at_completion) {
    double overrun = *e.forecast_at_completion / *e.budget - 1;
    std::string detail = absl::StrFormat("forecast at completion %.0f against a budget of %.0f (%+.0f%%)",
                                         *e.forecast_at_completion, *e.budget, overrun * 100);
    if (overrun > r.stop_cost_overrun)
      out.push_back({"cost", Recommendation::kStop,
                     absl::StrCat(detail, "; stop above +", Pct(r.stop_cost_overrun))});
    else if (overrun > r.pivot_cost_overrun)
      out.push_back({"cost", Recommendation::kPivot,
                     absl::StrCat(detail, "; pivot above +", Pct(r.pivot_cost_overrun))});
  }
  if (e.schedule_variance_days) {
    int slip = *e.schedule_variance_days;
    if (slip > r.stop_slip_days)
      out.push_back({"schedule", Recommendation::kStop,
                     absl::StrFormat("%d days late (stop beyond %d)", slip, r.stop_slip_days)});
    else if (slip > r.pivot_slip_days)
      out.push_back({"schedule", Recommendation::kPivot,
                     absl::StrFormat("%d days late (pivot beyond %d)", slip, r.pivot_slip_days)});
  }
  if (e.delivery_confidence && *e.delivery_confidence < r.pivot_confidence)
    out.push_back({"delivery", Recommendation::kPivot,
                   absl::StrCat("delivery confidence ", Pct(*e.delivery_confidence), " (pivot below ",
                                Pct(r.pivot_confidence), ")")});
}

void KeyResultRules(const InitiativeEvidence& e, const ReviewRules& r, std::vector<Reason>& out) {
  bool any_measurable = std::any_of(e.key_results.begin(), e.key_results.end(),
                                    [](const KeyResultEvidence& k) { return k.measurable; });
  if (!any_measurable) {
    out.push_back({"key-results", Recommendation::kPivot,
                   e.key_results.empty() ? "linked to no key result: its contribution to strategy is unstated"
                                         : "linked to no measurable key result"});
    return;
  }
  double sum = 0;
  int n = 0;
  for (const auto& k : e.key_results) {
    if (k.progress) {
      sum += *k.progress;
      ++n;
    }
    if (k.confidence && *k.confidence < r.pivot_confidence)
      out.push_back({"key-results", Recommendation::kPivot,
                     absl::StrCat("key result ", k.key_result_id, ": confidence ", Pct(*k.confidence),
                                  " (pivot below ", Pct(r.pivot_confidence), ")")});
  }
  if (n > 0 && e.percent_complete && *e.percent_complete >= r.kr_progress_after_complete) {
    double mean = sum / n;
    if (mean < r.pivot_kr_progress)
      out.push_back({"key-results", Recommendation::kPivot,
                     absl::StrFormat("%.0f%% complete but its key results are %.0f%% of the way (pivot below %.0f%% "
                                     "once past %.0f%% complete)",
                                     *e.percent_complete, mean * 100, r.pivot_kr_progress * 100,
                                     r.kr_progress_after_complete)});
  }
}

void RankRule(const InitiativeEvidence& e, const ReviewRules& r, std::vector<Reason>& out) {
  if (!e.rank || e.ranked_count < 4) return;  // too few to speak of a bottom share
  int cutoff = e.ranked_count - static_cast<int>(std::floor(e.ranked_count * r.low_rank_share));
  if (*e.rank > cutoff)
    out.push_back({"rank", Recommendation::kPivot,
                   absl::StrFormat("ranked %d of %d: in the bottom %s of the portfolio", *e.rank, e.ranked_count,
                                   Pct(r.low_rank_share))});
}

bool HasEvidence(const InitiativeEvidence& e) {
  bool measured = std::any_of(e.benefits.begin(), e.benefits.end(),
                              [](const BenefitEvidence& b) { return b.measurements > 0; });
  bool checked_in = std::any_of(e.key_results.begin(), e.key_results.end(),
                                [](const KeyResultEvidence& k) { return k.last_check_in.has_value(); });
  return measured || checked_in || e.last_progress.has_value();
}

}  // namespace

Verdict Recommend(const InitiativeEvidence& e, const ReviewRules& r) {
  Verdict v;
  std::vector<Reason> reasons;
  if (!HasEvidence(e)) {
    v.no_evidence = true;
    reasons.push_back({"no-evidence", Recommendation::kPivot,
                       "no benefit measurement, key-result check-in or progress report: nothing shows it is "
                       "working"});
  }
  BenefitRules(e, r, reasons);
  DeliveryRules(e, r, reasons);
  KeyResultRules(e, r, reasons);
  RankRule(e, r, reasons);
  for (const auto& reason : reasons) v.recommendation = std::max(v.recommendation, reason.points_to);
  std::stable_sort(reasons.begin(), reasons.end(),
                   [](const Reason& a, const Reason& b) { return a.points_to > b.points_to; });
  if (v.recommendation == Recommendation::kContinue) {
    // Say what supports continuing, so the verdict is as explainable as the others.
    std::vector<std::string> support;
    int on_track = 0;
    for (const auto& b : e.benefits)
      if (b.status == BenefitStatus::kOnTrack || b.status == BenefitStatus::kRealised) ++on_track;
    if (on_track > 0) support.push_back(absl::StrCat(on_track, " of ", e.benefits.size(), " benefits on track or realised"));
    if (e.forecast_at_completion && e.budget)
      support.push_back(absl::StrFormat("forecast at completion %.0f within budget %.0f", *e.forecast_at_completion,
                                        *e.budget));
    if (e.schedule_variance_days) support.push_back(absl::StrFormat("schedule variance %d days", *e.schedule_variance_days));
    if (e.rank) support.push_back(absl::StrFormat("ranked %d of %d", *e.rank, e.ranked_count));
    reasons.push_back({"within-thresholds", Recommendation::kContinue,
                       support.empty() ? "all evidence within thresholds"
                                       : absl::StrCat("all evidence within thresholds: ", absl::StrJoin(support, "; "))});
  }
  v.reasons = std::move(reasons);
  return v;
}

}  // namespace pmo::reporting::domain
