#include "pmo/base/validation.h"

#include <cmath>
#include <regex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace pmo {

size_t Utf8Length(std::string_view text) {
  size_t n = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;  // count every byte that starts a code point
  }
  return n;
}

bool IsBlank(std::string_view text) { return absl::StripAsciiWhitespace(AbslView(text)).empty(); }

void CheckLength(std::string_view text, size_t max, const std::string& path, Violations& out) {
  if (const size_t n = Utf8Length(text); n > max) {
    out.Add(path, absl::StrCat("is ", n, " characters long; at most ", max, " are allowed"));
  }
}

void CheckRequiredText(std::string_view text, size_t max, const std::string& path, Violations& out) {
  if (IsBlank(text)) {
    out.Add(path, "must not be empty");
  } else {
    CheckLength(text, max, path, out);
  }
}

bool CheckFinite(double value, const std::string& path, Violations& out) {
  if (std::isfinite(value)) return true;
  out.Add(path, "must be a finite number");
  return false;
}

bool CheckUnitInterval(double value, const std::string& path, Violations& out) {
  if (!CheckFinite(value, path, out)) return false;
  if (value >= 0 && value <= 1) return true;
  out.Add(path, absl::StrCat("must be between 0 and 1, got ", value));
  return false;
}

bool CheckDate(const calendar::Date& date, const std::string& path, Violations& out) {
  if (calendar::IsValidDate(date)) return true;
  out.Add(path, absl::StrCat("is not a valid date (", date.year, "-", date.month, "-", date.day, ")"));
  return false;
}

bool CheckRequiredDate(const calendar::Date& date, const std::string& path, Violations& out) {
  if (date == calendar::Date{}) {
    out.Add(path, "must be set");
    return false;
  }
  return CheckDate(date, path, out);
}

bool CheckQuarter(const calendar::Quarter& quarter, const std::string& path, Violations& out) {
  if (calendar::IsValidQuarter(quarter)) return true;
  out.Add(path, absl::StrCat("is not a valid quarter (", quarter.year, "Q", quarter.q, ")"));
  return false;
}

bool IsIso4217Shaped(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

void ValidateId(const std::string& id, const std::string& field, Violations& v, int max_length) {
  static const std::regex kId("[A-Za-z0-9][A-Za-z0-9_.-]*");
  if (id.empty()) return;
  if (static_cast<int>(id.size()) > max_length || !std::regex_match(id, kId))
    v.Add(field, absl::StrCat("must be 1–", max_length,
                              " letters, digits, '.', '_' or '-', starting with a letter or digit"));
}

}  // namespace pmo
