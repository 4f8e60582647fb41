// Calendar values of the benefits domain: the suite's shared Date and its arithmetic
// (pmo/base/calendar.h), named in this namespace.
#pragma once

#include "pmo/base/calendar.h"

namespace pmo::benefits::domain {
using ::pmo::calendar::AddDays;
using ::pmo::calendar::AddMonths;
using ::pmo::calendar::Date;
using ::pmo::calendar::DateFromDaysSinceEpoch;
using ::pmo::calendar::DaysBetween;
using ::pmo::calendar::DaysSinceEpoch;
using ::pmo::calendar::FormatDate;
using ::pmo::calendar::IsValidDate;
using ::pmo::calendar::ParseDate;
}  // namespace pmo::benefits::domain
