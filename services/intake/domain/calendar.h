// Calendar values of the intake domain: the suite's shared Date, Quarter and Period and
// their arithmetic (pmo/base/calendar.h), named in this namespace.
#pragma once

#include "pmo/base/calendar.h"

namespace pmo::intake::domain {
using namespace ::pmo::calendar;
}  // namespace pmo::intake::domain
