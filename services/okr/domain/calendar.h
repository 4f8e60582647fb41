// Calendar values of the okr domain: the suite's shared Date and Period (a quarter or a
// whole year) and the arithmetic okr uses on them (pmo/base/calendar.h), named here.
#pragma once

#include "pmo/base/calendar.h"

namespace pmo::okr::domain {
using ::pmo::calendar::Date;
using ::pmo::calendar::DateFromDaysSinceEpoch;
using ::pmo::calendar::DaysSinceEpoch;
using ::pmo::calendar::FirstDayOf;
using ::pmo::calendar::FormatDate;
using ::pmo::calendar::FormatPeriod;
using ::pmo::calendar::IsValidDate;
using ::pmo::calendar::IsValidPeriod;
using ::pmo::calendar::LastDayOf;
using ::pmo::calendar::Period;
}  // namespace pmo::okr::domain
