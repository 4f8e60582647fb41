// Field checks every domain's validation shares: text length in characters, required
// text, finite numbers, unit intervals, dates, quarters, currency codes and caller-chosen
// ids. Each adds a FieldViolation under the given path and says whether the value can
// be used in further checks. Abseil only, like the rest of the base layer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "pmo/base/calendar.h"
#include "pmo/base/errors.h"

namespace pmo {

// Characters (code points) of UTF-8 text: every byte that does not continue a sequence.
size_t Utf8Length(std::string_view text);
// Empty or only ASCII whitespace.
bool IsBlank(std::string_view text);

// "is N characters long; at most M are allowed" when the text is longer than `max`.
void CheckLength(std::string_view text, size_t max, const std::string& path, Violations& out);
// "must not be empty" for blank text, else the length check.
void CheckRequiredText(std::string_view text, size_t max, const std::string& path, Violations& out);
// "must be a finite number" for NaN and infinities; true when the value is finite.
bool CheckFinite(double value, const std::string& path, Violations& out);
// Finite and within [0, 1]; true when it is.
bool CheckUnitInterval(double value, const std::string& path, Violations& out);
// "is not a valid date (y-m-d)"; true when the date is valid.
bool CheckDate(const calendar::Date& date, const std::string& path, Violations& out);
// "must be set" for the all-zero date, else CheckDate.
bool CheckRequiredDate(const calendar::Date& date, const std::string& path, Violations& out);
// "is not a valid quarter (yQn)"; true when the quarter is valid.
bool CheckQuarter(const calendar::Quarter& quarter, const std::string& path, Violations& out);

// Three upper-case ASCII letters, the shape of an ISO 4217 code ("EUR").
bool IsIso4217Shaped(std::string_view code);

// An id chosen by the caller: 1..max_length letters, digits, '.', '_' or '-', starting
// with a letter or digit (ids end up in Redis keys and Kafka keys). Empty is left to the
// caller (often "generate one").
void ValidateId(const std::string& id, const std::string& field, Violations& v, int max_length = 64);

}  // namespace pmo
