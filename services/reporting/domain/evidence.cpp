#include "services/reporting/domain/evidence.h"

#include <array>
#include <utility>

namespace pmo::reporting::domain {

namespace {
constexpr std::array<std::pair<BenefitStatus, std::string_view>, 6> kNames = {{
    {BenefitStatus::kNotStarted, "NOT_STARTED"},
    {BenefitStatus::kOnTrack, "ON_TRACK"},
    {BenefitStatus::kAtRisk, "AT_RISK"},
    {BenefitStatus::kOffTrack, "OFF_TRACK"},
    {BenefitStatus::kRealised, "REALISED"},
    {BenefitStatus::kStale, "STALE"},
}};
}  // namespace

BenefitStatus ParseBenefitStatus(std::string_view name) {
  constexpr std::string_view kPrefix = "BENEFIT_STATUS_";
  if (name.substr(0, kPrefix.size()) == kPrefix) name.remove_prefix(kPrefix.size());
  for (const auto& [status, text] : kNames)
    if (text == name) return status;
  return BenefitStatus::kUnknown;
}

std::string_view BenefitStatusName(BenefitStatus status) {
  for (const auto& [s, text] : kNames)
    if (s == status) return text;
  return "UNKNOWN";
}

bool IsEroding(const BenefitEvidence& b) {
  // Benefits' own verdict: AT_RISK with an "eroding:" reason (realised, then fell back
  // below the target). A realised benefit that went STALE or was redefined is not erosion.
  return b.status == BenefitStatus::kAtRisk && b.status_reason.rfind("eroding", 0) == 0;
}

}  // namespace pmo::reporting::domain
