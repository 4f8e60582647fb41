#include "pmo/base/money.h"

#include "absl/strings/str_cat.h"

namespace pmo {

std::string FormatMoney(const Money& money) {
  // Work on the magnitude as unsigned so INT64_MIN formats without overflow.
  const bool negative = money.minor_units < 0;
  const uint64_t magnitude = negative ? uint64_t{0} - static_cast<uint64_t>(money.minor_units)
                                      : static_cast<uint64_t>(money.minor_units);
  std::string out =
      absl::StrCat(negative ? "-" : "", magnitude / 100, ".", absl::Dec(magnitude % 100, absl::kZeroPad2));
  if (!money.currency.empty()) absl::StrAppend(&out, " ", money.currency);
  return out;
}

}  // namespace pmo
