// Calendar values of the okr domain: the suite's shared Date, Quarter and Period and
// their arithmetic (pmo/base/calendar.h), named in this namespace.
#pragma once

#include "pmo/base/calendar.h"

namespace pmo::okr::domain {
using namespace ::pmo::calendar;
}  // namespace pmo::okr::domain
