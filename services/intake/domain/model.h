// The intake domain's plain types: money, portfolios, initiatives with their Five Case
// business case, benefits, decisions and progress reports. No behaviour beyond naming.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmo/base/money.h"
#include "services/intake/domain/calendar.h"

namespace pmo::intake::domain {

// The suite's Money: integer minor units (cents) of one currency, so sums are exact. In
// intake an all-zero amount with no currency means "not given"; every other amount must
// carry the portfolio's currency. FormatMoney gives "1234.56 EUR" (for messages).
using Money = ::pmo::Money;
using ::pmo::FormatMoney;

// Hours per quarter, keyed by skill ("backend", "data", ...). Fractional hours are
// allowed because capacity is often planned in FTE fractions.
using SkillHours = std::map<std::string, std::map<Quarter, double>>;

struct Portfolio {
  std::string id;
  std::string name;
  std::string currency;  // three upper-case letters
  // The planning range, inclusive. Initiatives and budgets must lie inside it.
  Quarter first_quarter;
  Quarter last_quarter;
  // A quarter without an entry has no budget (zero), not an unlimited one.
  std::map<Quarter, Money> budget_per_quarter;
  // Skills listed here are the only ones initiatives may ask effort for; a quarter
  // without an entry has zero hours for that skill.
  SkillHours capacity_hours;
  // Maximum number of initiatives in delivery at once; 0 means no limit.
  int32_t wip_limit = 0;
  int64_t version = 0;
  bool operator==(const Portfolio&) const = default;
};

enum class Methodology { kUnspecified, kAgile, kWaterfall, kHybrid };

// The lifecycle of DESIGN §3; lifecycle.h holds the allowed transitions.
enum class Stage {
  kDraft,
  kSubmitted,
  kInReview,
  kApproved,
  kActive,
  kDelivered,
  kSustaining,
  kClosed,
  kPaused,
  kPivoting,
  kStopped,
};
inline constexpr std::array<Stage, 11> kAllStages = {
    Stage::kDraft,     Stage::kSubmitted,  Stage::kInReview, Stage::kApproved,
    Stage::kActive,    Stage::kDelivered,  Stage::kSustaining, Stage::kClosed,
    Stage::kPaused,    Stage::kPivoting,   Stage::kStopped,
};
// "IN_REVIEW" etc., the names used in protos, events and messages.
std::string_view StageName(Stage stage);
std::optional<Stage> ParseStage(std::string_view name);

struct KeyResultContribution {
  std::string key_result_id;
  double contribution_weight = 0;  // 0..1: the share of the key result this initiative moves
  bool operator==(const KeyResultContribution&) const = default;
};

// Five Case Model (HM Treasury Green Book), one struct per case.
struct StrategicCase {
  std::string problem;
  std::string value_hypothesis;
  // A proposal: okr turns these into links when it consumes the submission.
  std::vector<KeyResultContribution> key_results;
  bool operator==(const StrategicCase&) const = default;
};
struct EconomicCase {
  Money expected_value;
  bool operator==(const EconomicCase&) const = default;
};
struct FinancialCase {
  Money total_cost;
  std::string funding_source;
  bool operator==(const FinancialCase&) const = default;
};
struct CommercialCase {
  std::string strategy;  // procurement and sourcing approach
  bool operator==(const CommercialCase&) const = default;
};
enum class RiskLevel { kUnspecified, kLow, kMedium, kHigh, kCritical };
struct ManagementCase {
  RiskLevel delivery_risk_level = RiskLevel::kUnspecified;
  std::string delivery_risk;  // what could stop delivery and how it is managed
  bool operator==(const ManagementCase&) const = default;
};
struct BusinessCase {
  StrategicCase strategic;
  EconomicCase economic;
  FinancialCase financial;
  CommercialCase commercial;
  ManagementCase management;
  bool operator==(const BusinessCase&) const = default;
};

struct Risk {
  double probability = 0;  // 0..1
  double impact = 0;       // >= 0, on the scoring model's scale
  bool operator==(const Risk&) const = default;
};

struct Urgency {
  std::optional<Date> deadline;
  Money cost_of_delay_per_week;
  bool operator==(const Urgency&) const = default;
};

enum class BenefitCategory { kUnspecified, kFinancial, kStrategic, kOperational, kCustomer };
enum class Indicator { kUnspecified, kLeading, kLagging };

// A benefit promised in a submission. The benefits service registers it from intake's
// event and owns it from then on; baseline, target and date may still be unknown at
// submission, which is why they are optional (the approval gate insists on them).
struct Benefit {
  BenefitCategory category = BenefitCategory::kUnspecified;
  std::string metric;
  std::string unit;
  std::optional<double> baseline;
  std::optional<double> target;
  std::optional<Date> target_date;
  std::string owner;
  Indicator indicator = Indicator::kUnspecified;
  Money value_per_unit;  // for financial benefits: what one unit of the metric is worth
  bool operator==(const Benefit&) const = default;
};

enum class DecisionKind { kContinue, kPivot, kStop };
std::string_view DecisionKindName(DecisionKind kind);

// A decision recorded by reporting at an evidence review (DecisionRecorded).
struct Decision {
  std::string decision_id;
  std::string initiative_id;
  DecisionKind kind = DecisionKind::kContinue;
  std::string rationale;
  std::string review_id;
  std::string decided_by;
  std::optional<Date> decided_on;
  bool operator==(const Decision&) const = default;
};

struct Milestone {
  std::string name;
  std::optional<Date> due;
  bool done = false;
  bool operator==(const Milestone&) const = default;
};

struct ProgressReport {
  Date as_of;
  double percent_complete = 0;  // 0..100
  Money actual_spend_to_date;
  Money forecast_at_completion;
  int32_t schedule_variance_days = 0;  // positive: late
  std::vector<Milestone> milestones;
  double delivery_confidence = 0;  // 0..1
  std::string note;
  bool operator==(const ProgressReport&) const = default;
};

struct Initiative {
  std::string id;
  std::string portfolio_id;
  std::string title;
  std::string description;
  std::string sponsor;
  std::string owner;
  Methodology methodology = Methodology::kUnspecified;
  Quarter start_quarter;
  Quarter end_quarter;
  std::map<Quarter, Money> cost_per_quarter;
  SkillHours effort_hours;
  BusinessCase business_case;
  std::map<std::string, double> ratings;  // scoring criterion key -> rating
  Risk risk;
  Urgency urgency;
  std::vector<std::string> dependencies;  // ids of initiatives this one needs first
  std::vector<Benefit> benefits;

  // Owned by intake, never taken from a client's submission or update.
  Stage stage = Stage::kDraft;
  int64_t version = 0;
  std::string override_reason;  // why approval went past the portfolio's capacity
  std::optional<Decision> last_decision;
  // Every decision applied so far (at most a few per year), so a redelivered older
  // decision is recognised as well as the latest one.
  std::vector<std::string> applied_decision_ids;
  std::optional<ProgressReport> latest_progress;
  int64_t submitted_at_unix_ms = 0;  // when intake accepted the submission; set by the app layer

  bool operator==(const Initiative&) const = default;
};

}  // namespace pmo::intake::domain
