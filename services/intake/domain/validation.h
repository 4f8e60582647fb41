// Input validation for portfolios, initiatives and progress reports. Every rule is
// checked and every violation is reported at once, with a field path per problem.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "services/intake/domain/model.h"
#include "pmo/base/errors.h"
#include "pmo/base/validation.h"

namespace pmo::intake::domain {

// Documented maxima. Lengths count Unicode code points, not bytes.
inline constexpr size_t kMaxTitleLength = 200;
inline constexpr size_t kMaxNameLength = 200;    // names, people, metrics, units, keys
inline constexpr size_t kMaxTextLength = 10000;  // descriptions and narrative case texts
inline constexpr size_t kMaxBenefits = 20;
inline constexpr size_t kMaxMilestones = 50;
inline constexpr size_t kMaxDependencies = 20;
inline constexpr size_t kMaxKeyResults = 20;
inline constexpr size_t kMaxRatings = 50;
inline constexpr size_t kMaxSkills = 50;

// Field paths follow the domain structs: nested fields with ".", list elements with
// "[index]" (benefits[2].target) and map entries with "[key]"
// (cost_per_quarter[2027Q1], effort_hours[backend][2027Q3], ratings[value]).
// A wrong currency is reported on "<money field>.currency".

// Dependencies of another initiative by id, or nullopt when no such initiative exists.
// Lets validation see the dependency graph without knowing where it is stored.
using DependencyLookup = std::function<std::optional<std::vector<std::string>>(std::string_view id)>;

// OK, or INVALID_ARGUMENT carrying every violation (see pmo::ViolationsOf).
absl::Status ValidatePortfolio(const Portfolio& portfolio);

// Checks the client-supplied part of an initiative against its portfolio (range,
// currency, skills) and the dependency graph. Intake-owned fields (stage, version,
// decisions, progress) are not looked at.
absl::Status ValidateInitiative(const Initiative& initiative, const Portfolio& portfolio,
                                const DependencyLookup& lookup);

// `currency` is the portfolio's: spend and forecast must be in it.
absl::Status ValidateProgressReport(const ProgressReport& report, std::string_view currency);

// Building blocks, exposed so every validator words the same problem the same way (the
// shared ones are pmo/base/validation.h's).
using ::pmo::Utf8Length;
// "must not be negative" on `path`; a currency other than `currency` on `path`.currency
// (not compared when `currency` is empty).
void CheckMoney(const Money& money, const std::string& path, std::string_view currency, Violations& out);

}  // namespace pmo::intake::domain
