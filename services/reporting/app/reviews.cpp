#include "services/reporting/app/reviews.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/reporting/app/dashboard.h"
#include "services/reporting/app/reporting_metrics.h"
#include "services/reporting/domain/decision.h"
#include "services/reporting/domain/rollup.h"
#include "pmo/base/errors.h"
#include "pmo/base/validation.h"
#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"
#include "pmo/common/proto_convert.h"
#include "pmo/common/use_cases.h"
#include "pmo/reporting/v1/events.pb.h"

namespace pmo::reporting::app {

namespace {

constexpr char kSource[] = "pmo-reporting";

v1::Recommendation ToProto(domain::Recommendation r) {
  switch (r) {
    case domain::Recommendation::kContinue: return v1::RECOMMENDATION_CONTINUE;
    case domain::Recommendation::kPivot: return v1::RECOMMENDATION_PIVOT;
    case domain::Recommendation::kStop: return v1::RECOMMENDATION_STOP;
  }
  return v1::RECOMMENDATION_UNSPECIFIED;
}

OutboxEvent Event(const google::protobuf::Message& payload, const std::string& subject,
                  const std::string& portfolio_id, int64_t version, const CallContext& ctx, const Clock& clock) {
  auto env = MakeEnvelope(payload,
                          {.source = kSource, .subject = subject, .portfolio_id = portfolio_id,
                           .aggregate_version = version, .correlation_id = ctx.correlation_id,
                           .causation_id = ctx.causation_id},
                          clock);
  return ToOutboxEvent(topics::kReportingEvents, env);
}

// One initiative's review item, with the recommendation the rules give its evidence; the
// same in the ReviewOpened summary.
void AddItem(const v1::DashboardRow& row, int ranked, const domain::ReviewRules& rules, v1::Review& review,
             v1::ReviewOpened& opened) {
  auto verdict = domain::Recommend(EvidenceOf(row, ranked), rules);
  auto* item = review.add_items();
  item->set_initiative_id(row.initiative_id());
  item->set_title(row.title());
  *item->mutable_evidence() = row;
  item->set_recommendation(ToProto(verdict.recommendation));
  item->set_no_evidence(verdict.no_evidence);
  auto* summary = opened.add_initiatives();
  summary->set_initiative_id(row.initiative_id());
  summary->set_recommendation(item->recommendation());
  summary->set_no_evidence(verdict.no_evidence);
  for (const auto& reason : verdict.reasons) {
    auto* r = item->add_reasons();
    r->set_rule(reason.rule);
    r->set_points_to(ToProto(reason.points_to));
    r->set_detail(reason.detail);
    summary->add_reasons(absl::StrCat(reason.rule, ": ", reason.detail));
  }
}

// DECISION_PIVOT → "PIVOT".
std::string ShortDecision(v1::Decision decision) {
  constexpr std::string_view kPrefix = "DECISION_";
  std::string name = v1::Decision_Name(decision);
  return name.rfind(kPrefix, 0) == 0 ? name.substr(kPrefix.size()) : name;
}

absl::Status ValidateDecision(const v1::RecordDecisionRequest& req) {
  Violations v;
  if (req.review_id().empty()) v.Add("review_id", "is required");
  if (req.initiative_id().empty()) v.Add("initiative_id", "is required");
  if (req.decision() == v1::DECISION_UNSPECIFIED || !v1::Decision_IsValid(req.decision()))
    v.Add("decision", "must be CONTINUE, PIVOT or STOP");
  if (req.rationale().empty()) v.Add("rationale", "is required: a decision states why, against the evidence");
  if (req.decided_by().empty()) v.Add("decided_by", "is required");
  if (req.has_funding_change() && !IsIso4217Shaped(req.funding_change().currency()))
    v.Add("funding_change.currency", "must be an ISO 4217 code such as EUR");
  return v.empty() ? absl::OkStatus() : v.ToStatus("invalid decision");
}

domain::DecisionEntry RecordedIn(const v1::ReviewItem& item) {
  if (item.decision() == v1::DECISION_UNSPECIFIED) return {};
  return {ShortDecision(item.decision()), item.rationale(), item.decided_by(), FromProto(item.funding_change())};
}

domain::DecisionEntry Requested(const v1::RecordDecisionRequest& req) {
  return {ShortDecision(req.decision()), req.rationale(), req.decided_by(), FromProto(req.funding_change())};
}

v1::DecisionRecorded DecisionEvent(const v1::Review& review, const v1::ReviewItem& item,
                                   const v1::RecordDecisionRequest& req, const calendar::Date& today) {
  v1::DecisionRecorded event;
  event.set_decision_id(item.decision_id());
  event.set_review_id(review.id());
  event.set_initiative_id(req.initiative_id());
  event.set_portfolio_id(review.portfolio_id());
  event.set_decision(req.decision());
  event.set_rationale(req.rationale());
  event.set_decided_by(req.decided_by());
  *event.mutable_decided_on() = ::pmo::ToProto(today);
  *event.mutable_decided_at() = item.decided_at();
  if (req.has_funding_change()) *event.mutable_funding_change() = req.funding_change();
  return event;
}

}  // namespace

domain::ReviewRules Reviews::RulesFrom(const v1::ReviewRules& o) {
  domain::ReviewRules r;
  if (o.has_stop_forecast_share()) r.stop_forecast_share = o.stop_forecast_share();
  if (o.has_pivot_forecast_share()) r.pivot_forecast_share = o.pivot_forecast_share();
  if (o.has_off_track_stops()) r.off_track_stops = o.off_track_stops();
  if (o.has_stop_cost_overrun()) r.stop_cost_overrun = o.stop_cost_overrun();
  if (o.has_pivot_cost_overrun()) r.pivot_cost_overrun = o.pivot_cost_overrun();
  if (o.has_stop_slip_days()) r.stop_slip_days = o.stop_slip_days();
  if (o.has_pivot_slip_days()) r.pivot_slip_days = o.pivot_slip_days();
  if (o.has_pivot_kr_progress()) r.pivot_kr_progress = o.pivot_kr_progress();
  if (o.has_kr_progress_after_complete()) r.kr_progress_after_complete = o.kr_progress_after_complete();
  if (o.has_pivot_confidence()) r.pivot_confidence = o.pivot_confidence();
  if (o.has_low_rank_share()) r.low_rank_share = o.low_rank_share();
  return r;
}

v1::ReviewRules Reviews::ToProto(const domain::ReviewRules& r) {
  v1::ReviewRules o;
  o.set_stop_forecast_share(r.stop_forecast_share);
  o.set_pivot_forecast_share(r.pivot_forecast_share);
  o.set_off_track_stops(r.off_track_stops);
  o.set_stop_cost_overrun(r.stop_cost_overrun);
  o.set_pivot_cost_overrun(r.pivot_cost_overrun);
  o.set_stop_slip_days(r.stop_slip_days);
  o.set_pivot_slip_days(r.pivot_slip_days);
  o.set_pivot_kr_progress(r.pivot_kr_progress);
  o.set_kr_progress_after_complete(r.kr_progress_after_complete);
  o.set_pivot_confidence(r.pivot_confidence);
  o.set_low_rank_share(r.low_rank_share);
  return o;
}

absl::StatusOr<v1::Review> Reviews::OpenReview(const v1::OpenReviewRequest& req, const CallContext& ctx) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  auto quarter = calendar::ParseQuarter(req.quarter());
  if (!quarter.ok()) v.Add("quarter", "must be a quarter such as 2027Q1");
  domain::ReviewRules rules = RulesFrom(req.rules());
  for (const auto& fv : ViolationsOf(domain::ValidateRules(rules))) v.Add("rules." + fv.field, fv.description);
  if (!v.empty()) return v.ToStatus("invalid review");
  const std::string& p = req.portfolio_id();
  std::string q = calendar::FormatQuarter(*quarter);
  auto dashboard = dashboards_.Dashboard(p);
  if (!dashboard.ok()) return dashboard.status();
  int ranked = RankedCount(*dashboard);

  absl::Time now = clock_.Now();
  v1::Review review;
  review.set_id(NewUuid());
  review.set_portfolio_id(p);
  review.set_quarter(q);
  review.set_state(v1::REVIEW_STATE_OPEN);
  *review.mutable_rules() = ToProto(rules);
  *review.mutable_opened_at() = ::pmo::ToTimestamp(now);
  review.set_version(1);
  v1::ReviewOpened opened;
  opened.set_review_id(review.id());
  opened.set_portfolio_id(p);
  opened.set_quarter(q);
  *opened.mutable_opened_at() = review.opened_at();
  for (const auto& row : dashboard->rows())
    if (domain::IsUnderReview(row.stage())) AddItem(row, ranked, rules, review, opened);
  auto s = store_.Create(review, absl::ToUnixMillis(now), Event(opened, review.id(), p, 1, ctx, clock_));
  if (!s.ok()) return s;
  return review;
}

absl::StatusOr<v1::Review> Reviews::GetReview(const v1::GetReviewRequest& req) {
  if (req.review_id().empty()) return InvalidArgument("invalid request", {{"review_id", "is required"}});
  auto r = store_.Load(req.review_id());
  if (!r.ok()) return r.status();
  return std::move(r->review);
}

absl::StatusOr<v1::ListReviewsResponse> Reviews::ListReviews(const v1::ListReviewsRequest& req) {
  Violations v;
  if (req.portfolio_id().empty()) v.Add("portfolio_id", "is required");
  if (req.page_size() < 0) v.Add("page_size", "must not be negative");
  int64_t offset = 0;
  if (!req.page_token().empty()) {
    char* end = nullptr;
    offset = std::strtoll(req.page_token().c_str(), &end, 10);
    if (*end != '\0' || offset < 0) v.Add("page_token", "is not a token this service issued");
  }
  if (!v.empty()) return v.ToStatus("invalid request");
  int size = req.page_size() == 0 ? kDefaultPageSize : std::min(req.page_size(), kMaxPageSize);
  auto page = store_.List(req.portfolio_id(), offset, size);
  if (!page.ok()) return page.status();
  v1::ListReviewsResponse out;
  for (auto& review : page->reviews) *out.add_reviews() = std::move(review);
  if (page->more) out.set_next_page_token(std::to_string(offset + size));
  return out;
}

absl::StatusOr<v1::Review> Reviews::RecordDecision(const v1::RecordDecisionRequest& req, const CallContext& ctx) {
  if (auto s = ValidateDecision(req); !s.ok()) return s;
  return RetryOnRace([&] { return RecordDecisionOnce(req, ctx); });
}

absl::StatusOr<v1::Review> Reviews::RecordDecisionOnce(const v1::RecordDecisionRequest& req,
                                                       const CallContext& ctx) {
  auto loaded = store_.Load(req.review_id());
  if (!loaded.ok()) return loaded.status();
  auto& [review, version] = *loaded;
  auto it = std::find_if(review.mutable_items()->begin(), review.mutable_items()->end(),
                         [&](const v1::ReviewItem& i) { return i.initiative_id() == req.initiative_id(); });
  if (it == review.mutable_items()->end())
    return absl::NotFoundError(absl::StrCat("initiative ", req.initiative_id(), " is not in review ", review.id()));
  switch (domain::JudgeDecision(RecordedIn(*it), Requested(req), review.state() == v1::REVIEW_STATE_OPEN)) {
    case domain::DecisionVerdict::kAlreadyRecorded: return review;  // the same call again
    case domain::DecisionVerdict::kConflicts:
      return FailedPrecondition("decision already recorded",
                                {{"DECISION_RECORDED", req.initiative_id(),
                                  absl::StrCat("review ", review.id(), " already records ",
                                               v1::Decision_Name(it->decision()), " for ", req.initiative_id(),
                                               " by ", it->decided_by())}});
    case domain::DecisionVerdict::kReviewClosed:
      return FailedPrecondition("review closed",
                                {{"REVIEW_CLOSED", review.id(), absl::StrCat("review ", review.id(), " is closed")}});
    case domain::DecisionVerdict::kRecord: break;
  }
  absl::Time now = clock_.Now();
  it->set_decision(req.decision());
  it->set_rationale(req.rationale());
  it->set_decided_by(req.decided_by());
  *it->mutable_decided_at() = ::pmo::ToTimestamp(now);
  it->set_decision_id(absl::StrCat(review.id(), ":", req.initiative_id()));
  if (req.has_funding_change()) *it->mutable_funding_change() = req.funding_change();
  review.set_version(version + 1);
  calendar::Date today = CivilDayUtc(it->decided_at());
  // Keyed by initiative: its version orders that initiative's decisions (decision time,
  // not a snapshot version; the projection reads decided_at for the same reason).
  auto event = Event(DecisionEvent(review, *it, req, today), req.initiative_id(), review.portfolio_id(),
                     absl::ToUnixMillis(now), ctx, clock_);
  if (auto s = store_.Update(review, version, std::move(event)); !s.ok()) return s;
  metrics_.DecisionRecorded(v1::Decision_Name(req.decision()));
  return review;
}

absl::StatusOr<v1::Review> Reviews::CloseReview(const v1::CloseReviewRequest& req, const CallContext& ctx) {
  if (req.review_id().empty()) return InvalidArgument("invalid request", {{"review_id", "is required"}});
  return RetryOnRace([&]() -> absl::StatusOr<v1::Review> {
    auto loaded = store_.Load(req.review_id());
    if (!loaded.ok()) return loaded.status();
    auto& [review, version] = *loaded;
    if (review.state() == v1::REVIEW_STATE_CLOSED) return review;  // closing twice changes nothing
    std::vector<PreconditionViolation> undecided;
    v1::ReviewClosed closed;
    for (const auto& item : review.items()) {
      if (item.decision() != v1::DECISION_UNSPECIFIED) {
        closed.set_decided(closed.decided() + 1);
        continue;
      }
      closed.add_undecided(item.initiative_id());
      undecided.push_back({"REVIEW_UNDECIDED", item.initiative_id(),
                           absl::StrCat(item.initiative_id(), " (", item.title(), ") has no decision; recommended ",
                                        v1::Recommendation_Name(item.recommendation()))});
    }
    if (!undecided.empty() && !req.allow_undecided())
      return FailedPrecondition("initiatives without a decision (close with allow_undecided to leave them)",
                                undecided);
    review.set_state(v1::REVIEW_STATE_CLOSED);
    *review.mutable_closed_at() = ::pmo::ToTimestamp(clock_.Now());
    review.set_version(version + 1);
    closed.set_review_id(review.id());
    closed.set_portfolio_id(review.portfolio_id());
    closed.set_quarter(review.quarter());
    *closed.mutable_closed_at() = review.closed_at();
    auto event = Event(closed, review.id(), review.portfolio_id(), review.version(), ctx, clock_);
    if (auto s = store_.Close(review, version, std::move(event)); !s.ok()) return s;
    return review;
  });
}

}  // namespace pmo::reporting::app
