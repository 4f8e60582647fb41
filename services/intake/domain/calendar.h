// Calendar values of the intake domain: the suite's shared Date, Quarter and Period and
// their arithmetic (pmo/base/calendar.h), named in this namespace.
#pragma once

#include "pmo/base/calendar.h"

namespace pmo::intake::domain {

using ::pmo::calendar::Date;
using ::pmo::calendar::Period;
using ::pmo::calendar::Quarter;

using ::pmo::calendar::AddDays;
using ::pmo::calendar::AddMonths;
using ::pmo::calendar::DateFromDaysSinceEpoch;
using ::pmo::calendar::DaysBetween;
using ::pmo::calendar::DaysSinceEpoch;
using ::pmo::calendar::FirstDayOf;
using ::pmo::calendar::FormatDate;
using ::pmo::calendar::FormatPeriod;
using ::pmo::calendar::FormatQuarter;
using ::pmo::calendar::InRange;
using ::pmo::calendar::IsValidDate;
using ::pmo::calendar::IsValidPeriod;
using ::pmo::calendar::IsValidQuarter;
using ::pmo::calendar::IsWholeYear;
using ::pmo::calendar::LastDayOf;
using ::pmo::calendar::NextQuarter;
using ::pmo::calendar::ParseDate;
using ::pmo::calendar::ParsePeriod;
using ::pmo::calendar::ParseQuarter;
using ::pmo::calendar::QuarterDistance;
using ::pmo::calendar::QuarterOf;

}  // namespace pmo::intake::domain
