// Money as every domain keeps it: integer minor units (cents) of one ISO 4217 currency,
// so sums are exact. Abseil only, like the rest of the base layer.
#pragma once

#include <cstdint>
#include <string>

namespace pmo {

struct Money {
  int64_t minor_units = 0;
  std::string currency;  // ISO 4217 code, e.g. "EUR"
  bool operator==(const Money&) const = default;
};

// "1234.56 EUR". Assumes two minor digits; it is for messages, not for accounting.
std::string FormatMoney(const Money& money);

}  // namespace pmo
