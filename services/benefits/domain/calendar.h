// Calendar values of the benefits domain: the suite's shared Date, Quarter and Period
// (pmo/common/calendar.h), named here so domain code reads as before.
#pragma once

#include "pmo/common/calendar.h"

namespace pmo::benefits::domain {
using ::pmo::calendar::Date;
using ::pmo::calendar::Quarter;
using ::pmo::calendar::Period;
using ::pmo::calendar::kMinYear;
using ::pmo::calendar::kMaxYear;
using ::pmo::calendar::IsValidDate;
using ::pmo::calendar::ParseDate;
using ::pmo::calendar::FormatDate;
using ::pmo::calendar::DaysSinceEpoch;
using ::pmo::calendar::DateFromDaysSinceEpoch;
using ::pmo::calendar::IsValidQuarter;
using ::pmo::calendar::ParseQuarter;
using ::pmo::calendar::FormatQuarter;
using ::pmo::calendar::NextQuarter;
using ::pmo::calendar::QuarterDistance;
using ::pmo::calendar::InRange;
using ::pmo::calendar::QuarterOf;
using ::pmo::calendar::FirstDayOf;
using ::pmo::calendar::LastDayOf;
using ::pmo::calendar::AddDays;
using ::pmo::calendar::DaysBetween;
using ::pmo::calendar::AddMonths;
using ::pmo::calendar::IsValidPeriod;
using ::pmo::calendar::IsWholeYear;
using ::pmo::calendar::ParsePeriod;
using ::pmo::calendar::FormatPeriod;
}  // namespace pmo::benefits::domain
