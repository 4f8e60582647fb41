// The demo portfolio: a company objective cascading to portfolio and program
// objectives, a dozen key results, forty initiatives across every lifecycle stage with
// business cases, ratings, costs, skills and benefits, histories of progress, check-ins
// and measurements, two scenarios and a review — and the data streamed in afterwards.
// Pure: everything is computed from the portfolio id and today's date, so the same day
// always gives the same demo, and the unit tests check the story it tells.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/base/calendar.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/okr.pb.h"
#include "pmo/reporting/v1/reporting.pb.h"
#include "pmo/scoring/v1/scoring.pb.h"

namespace pmo::demo {

// How an initiative's benefits behave in the history and in the stream.
enum class BenefitStory {
  kNone,       // no measurements yet (not delivering)
  kHealthy,    // ahead of the planned path: ON_TRACK, then REALISED
  kEroding,    // met the target twice, then slipped back: AT_RISK (eroding)
  kOffTrack,   // barely moved from the baseline: OFF_TRACK
};

struct InitiativePlan {
  intake::v1::SubmitInitiativeRequest submit;
  // The stages to pass through after submission, in order (empty: stays where
  // submission leaves it).
  std::vector<intake::v1::Stage> path;
  intake::v1::Stage target = intake::v1::STAGE_SUBMITTED;
  BenefitStory story = BenefitStory::kNone;
  // Benefits' ids as the benefits service registers promised ones.
  std::vector<std::string> benefit_ids;
  const std::string& id() const { return submit.initiative_id(); }
};

struct Plan {
  std::string portfolio_id;
  calendar::Date today;
  intake::v1::CreatePortfolioRequest portfolio;
  std::vector<okr::v1::CreateObjectiveRequest> objectives;  // parents first
  std::vector<okr::v1::CreateKeyResultRequest> key_results;
  scoring::v1::SetScoringModelRequest model;
  // In the order they are to be moved: those that end past ACTIVE first, so the
  // approvals of the rest are checked against what is still committed.
  std::vector<InitiativePlan> initiatives;
  std::vector<intake::v1::ReportProgressRequest> progress;
  std::vector<okr::v1::CheckInRequest> check_ins;
  std::vector<benefits::v1::RecordMeasurementsRequest> measurements;
  std::vector<scoring::v1::RunScenarioRequest> scenarios;
  reporting::v1::OpenReviewRequest review;

  const InitiativePlan* Find(const std::string& initiative_id) const;
};

Plan MakePlan(const std::string& portfolio_id, const calendar::Date& today);

// The benefits service's id for a benefit promised in a submission:
// "<initiative>.<metric slug>", by the benefits service's own rule.
std::string PromisedBenefitId(const std::string& initiative_id, const std::string& metric);

// One record for an ingest topic: the payload is a ReportProgressRequest,
// CheckInRequest or RecordMeasurementRequest.
struct IngestRecord {
  std::string topic;
  std::string key;
  std::unique_ptr<google::protobuf::Message> payload;
  bool as_json = false;  // sent with content-type application/json
};

// The records of one tick of the stream (tick 0, 1, 2, …), every one dated `today`:
// progress creeping forward on active initiatives, key-result check-ins, and benefit
// measurements — the eroding ones slipping further. Every third record goes as JSON,
// as other systems often send it. Source ids carry `run_id`, so a restarted stream is
// not mistaken for a redelivery of the last one.
std::vector<IngestRecord> StreamTick(const Plan& plan, int64_t tick, const std::string& run_id);

}  // namespace pmo::demo
