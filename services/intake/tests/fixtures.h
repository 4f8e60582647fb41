// Shared test data for the intake domain tests: a valid portfolio and initiative that
// each test bends in exactly one way, plus small status matchers.
#pragma once

#include "pmo/testing/status_matchers.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/intake/domain/model.h"
#include "services/intake/domain/validation.h"
#include "gmock/gmock.h"
#include "pmo/base/errors.h"

namespace pmo::intake::domain::testing {

inline constexpr int64_t kCentsPerUnit = 100;

inline Money Eur(int64_t units) { return Money{units * kCentsPerUnit, "EUR"}; }
inline Quarter Qtr(int32_t year, int32_t q) { return Quarter{year, q}; }
inline Date Day(int32_t y, int32_t m, int32_t d) { return Date{y, m, d}; }

// Planning range 2027Q1..2028Q4; budget and capacity only for 2027.
inline Portfolio ValidPortfolio() {
  Portfolio p;
  p.id = "pf-1";
  p.name = "Digital channels";
  p.currency = "EUR";
  p.first_quarter = Qtr(2027, 1);
  p.last_quarter = Qtr(2028, 4);
  for (int q = 1; q <= 4; ++q) {
    p.budget_per_quarter[Qtr(2027, q)] = Eur(1'000'000);
    p.capacity_hours["backend"][Qtr(2027, q)] = 2000;
    p.capacity_hours["data"][Qtr(2027, q)] = 1000;
  }
  p.wip_limit = 5;
  p.version = 1;
  return p;
}

// Runs 2027Q1..2027Q4, depends on in-0, promises two benefits.
inline Initiative ValidInitiative() {
  Initiative in;
  in.id = "in-1";
  in.portfolio_id = "pf-1";
  in.title = "Self-service onboarding";
  in.description = "Let new customers open an account online without a branch visit.";
  in.sponsor = "Chief Digital Officer";
  in.owner = "Head of Onboarding";
  in.methodology = Methodology::kAgile;
  in.start_quarter = Qtr(2027, 1);
  in.end_quarter = Qtr(2027, 4);
  in.cost_per_quarter[Qtr(2027, 1)] = Eur(200'000);
  in.cost_per_quarter[Qtr(2027, 2)] = Eur(300'000);
  in.effort_hours["backend"][Qtr(2027, 1)] = 500;
  in.effort_hours["backend"][Qtr(2027, 2)] = 600;
  in.effort_hours["data"][Qtr(2027, 2)] = 100;
  in.business_case.strategic.problem = "Onboarding takes nine days and loses a third of applicants.";
  in.business_case.strategic.value_hypothesis = "Online onboarding halves drop-out.";
  in.business_case.strategic.key_results = {{"kr-1", 0.5}, {"kr-2", 0.3}};
  in.business_case.economic.expected_value = Eur(2'000'000);
  in.business_case.financial.total_cost = Eur(500'000);
  in.business_case.financial.funding_source = "Transformation fund";
  in.business_case.commercial.strategy = "Build in-house, buy identity verification as a service.";
  in.business_case.management.delivery_risk_level = RiskLevel::kMedium;
  in.business_case.management.delivery_risk = "Identity vendor integration.";
  in.ratings = {{"value", 8}, {"risk", 3}};
  in.risk = {0.2, 5};
  in.urgency.deadline = Day(2027, 12, 31);
  in.urgency.cost_of_delay_per_week = Eur(10'000);
  in.dependencies = {"in-0"};
  Benefit conversion;
  conversion.category = BenefitCategory::kCustomer;
  conversion.metric = "application completion rate";
  conversion.unit = "%";
  conversion.baseline = 66;
  conversion.target = 85;
  conversion.target_date = Day(2028, 6, 30);
  conversion.owner = "Head of Onboarding";
  conversion.indicator = Indicator::kLeading;
  Benefit revenue;
  revenue.category = BenefitCategory::kFinancial;
  revenue.metric = "new accounts per month";
  revenue.unit = "accounts";
  revenue.baseline = 1000;
  revenue.target = 1400;
  revenue.target_date = Day(2028, 12, 31);
  revenue.owner = "Retail CFO";
  revenue.indicator = Indicator::kLagging;
  revenue.value_per_unit = Eur(120);
  in.benefits = {conversion, revenue};
  in.stage = Stage::kSubmitted;
  in.version = 1;
  return in;
}

// The dependency graph the valid initiative lives in: in-3 -> in-1 and in-4 -> in-3,
// so in-1 depending on in-4 closes a cycle. dep-0..dep-29 are free-standing.
inline DependencyLookup TestLookup() {
  return [](std::string_view id) -> std::optional<std::vector<std::string>> {
    static const std::map<std::string, std::vector<std::string>, std::less<>> graph = [] {
      std::map<std::string, std::vector<std::string>, std::less<>> g = {
          {"in-0", {}},         {"in-2", {"in-0"}}, {"in-3", {"in-1"}},
          {"in-4", {"in-3"}},   {"in-5", {"in-6"}}, {"in-6", {"in-5"}}};
      for (int i = 0; i < 30; ++i) g["dep-" + std::to_string(i)] = {};
      return g;
    }();
    auto it = graph.find(id);
    if (it == graph.end()) return std::nullopt;
    return it->second;
  };
}

inline std::vector<std::string> FieldsOf(const absl::Status& status) { return ::pmo::testing::ViolationFields(status); }
using ::pmo::testing::StatusIs;

}  // namespace pmo::intake::domain::testing
