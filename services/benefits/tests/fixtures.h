// Shared test data for the benefits domain tests: a valid benefit that each test bends
// in one way, and short helpers for dates and measurement series.
#pragma once

#include <string>
#include <vector>

#include "services/benefits/domain/calendar.h"
#include "services/benefits/domain/model.h"
#include "pmo/testing/status_matchers.h"

namespace pmo::benefits::domain::testing {

using ::pmo::testing::StatusIs;
using ::pmo::testing::ViolationFields;

inline Date Day(int32_t y, int32_t m, int32_t d) { return Date{y, m, d}; }

// Customer conversion from 10 % to 30 % by 2027-04-11, 100 days after 2027-01-01.
inline Benefit IncreaseBenefit() {
  Benefit b;
  b.id = "bn-1";
  b.initiative_id = "in-1";
  b.portfolio_id = "pf-1";
  b.category = BenefitCategory::kCustomer;
  b.metric = "application completion rate";
  b.unit = "%";
  b.baseline = 10;
  b.target = 30;
  b.target_date = Day(2027, 4, 11);
  b.owner = "Head of Onboarding";
  b.indicator = Indicator::kLeading;
  b.version = 1;
  return b;
}

// Handling time from 100 to 60 minutes by 2027-04-11.
inline Benefit DecreaseBenefit() {
  Benefit b = IncreaseBenefit();
  b.id = "bn-2";
  b.category = BenefitCategory::kOperational;
  b.metric = "average handling time";
  b.unit = "min";
  b.baseline = 100;
  b.target = 60;
  b.indicator = Indicator::kLagging;
  return b;
}

// Saves cost: each unit of reduction worth 10.00 EUR.
inline Benefit FinancialBenefit() {
  Benefit b = DecreaseBenefit();
  b.id = "bn-3";
  b.category = BenefitCategory::kFinancial;
  b.metric = "manual reworks per month";
  b.unit = "reworks";
  b.value_per_unit = Money{1000, "EUR"};
  return b;
}

// Measurement `days` after 2027-01-01 with a source id derived from the date.
inline Measurement At(int64_t days, double value) {
  const Date as_of = AddDays(Day(2027, 1, 1), days);
  return Measurement{value, as_of, "src-" + FormatDate(as_of)};
}

}  // namespace pmo::benefits::domain::testing
