#include "services/intake/domain/model.h"


#include "absl/strings/str_cat.h"

namespace pmo::intake::domain {

std::string FormatMoney(const Money& money) {
  // Work on the magnitude as unsigned so INT64_MIN formats without overflow.
  const bool negative = money.minor_units < 0;
  const uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(money.minor_units)
                                      : static_cast<uint64_t>(money.minor_units);
  std::string out = absl::StrCat(negative ? "-" : "", magnitude / 100, ".",
                                 absl::Dec(magnitude % 100, absl::kZeroPad2));
  if (!money.currency.empty()) absl::StrAppend(&out, " ", money.currency);
  return out;
}

std::string_view StageName(Stage stage) {
  switch (stage) {
    case Stage::kDraft: return "DRAFT";
    case Stage::kSubmitted: return "SUBMITTED";
    case Stage::kInReview: return "IN_REVIEW";
    case Stage::kApproved: return "APPROVED";
    case Stage::kActive: return "ACTIVE";
    case Stage::kDelivered: return "DELIVERED";
    case Stage::kSustaining: return "SUSTAINING";
    case Stage::kClosed: return "CLOSED";
    case Stage::kPaused: return "PAUSED";
    case Stage::kPivoting: return "PIVOTING";
    case Stage::kStopped: return "STOPPED";
  }
  return "UNKNOWN";
}

std::optional<Stage> ParseStage(std::string_view name) {
  for (Stage stage : kAllStages) {
    if (StageName(stage) == name) return stage;
  }
  return std::nullopt;
}

std::string_view DecisionKindName(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kContinue: return "CONTINUE";
    case DecisionKind::kPivot: return "PIVOT";
    case DecisionKind::kStop: return "STOP";
  }
  return "UNKNOWN";
}

}  // namespace pmo::intake::domain
