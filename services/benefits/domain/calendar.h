// Calendar values of the benefits domain: the suite's shared Date, Quarter and Period and
// their arithmetic (pmo/base/calendar.h), named in this namespace.
#pragma once

#include "pmo/base/calendar.h"

namespace pmo::benefits::domain {
using namespace ::pmo::calendar;
}  // namespace pmo::benefits::domain
