// Tests of common/base/src/validation.cpp: every field check the domains share, with the
// exact wording a caller sees, and what each says about the value being usable.
#include "pmo/base/validation.h"

#include <cmath>
#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pmo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST(Utf8Length, CountsCodePointsNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("é"), 1u);                  // 2 bytes
  EXPECT_EQ(Utf8Length("Zürich"), 6u);             // 7 bytes
  EXPECT_EQ(Utf8Length("€"), 1u);                  // 3 bytes
  EXPECT_EQ(Utf8Length("😀"), 1u);                 // 4 bytes
  EXPECT_EQ(Utf8Length("a€b😀"), 4u);
  EXPECT_EQ(std::string("a€b😀").size(), 9u);
}

TEST(IsBlank, EmptyOrAsciiWhitespaceOnly) {
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" "));
  EXPECT_TRUE(IsBlank(" \t\r\n "));
  EXPECT_FALSE(IsBlank("x"));
  EXPECT_FALSE(IsBlank("  x  "));
  EXPECT_FALSE(IsBlank("é"));
}

TEST(CheckLength, CountsCharactersAndSaysHowLong) {
  Violations v;
  CheckLength("abc", 3, "title", v);
  CheckLength("ééé", 3, "title", v);  // 6 bytes, 3 characters: fits
  CheckLength("", 0, "title", v);
  EXPECT_TRUE(v.empty());
  CheckLength("abcd", 3, "title", v);
  CheckLength("€€€€€", 2, "cases[0].note", v);
  EXPECT_THAT(v.list(), ElementsAre(FieldViolation{"title", "is 4 characters long; at most 3 are allowed"},
                                    FieldViolation{"cases[0].note", "is 5 characters long; at most 2 are allowed"}));
}

TEST(CheckRequiredText, BlankIsEmptyElseTheLengthCheck) {
  Violations v;
  CheckRequiredText("ok", 10, "title", v);
  EXPECT_TRUE(v.empty());
  CheckRequiredText("", 10, "title", v);
  CheckRequiredText("  \t", 10, "sponsor", v);
  CheckRequiredText("too long", 3, "owner", v);
  EXPECT_THAT(v.list(), ElementsAre(FieldViolation{"title", "must not be empty"},
                                    FieldViolation{"sponsor", "must not be empty"},
                                    FieldViolation{"owner", "is 8 characters long; at most 3 are allowed"}));
}

TEST(CheckFinite, NanAndInfinitiesAreRefused) {
  Violations v;
  EXPECT_TRUE(CheckFinite(0.0, "x", v));
  EXPECT_TRUE(CheckFinite(-1e300, "x", v));
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(CheckFinite(std::nan(""), "a", v));
  EXPECT_FALSE(CheckFinite(std::numeric_limits<double>::infinity(), "b", v));
  EXPECT_FALSE(CheckFinite(-std::numeric_limits<double>::infinity(), "c", v));
  EXPECT_THAT(v.list(), ElementsAre(FieldViolation{"a", "must be a finite number"},
                                    FieldViolation{"b", "must be a finite number"},
                                    FieldViolation{"c", "must be a finite number"}));
}

TEST(CheckUnitInterval, ZeroToOneInclusive) {
  Violations v;
  EXPECT_TRUE(CheckUnitInterval(0.0, "p", v));
  EXPECT_TRUE(CheckUnitInterval(0.5, "p", v));
  EXPECT_TRUE(CheckUnitInterval(1.0, "p", v));
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(CheckUnitInterval(1.5, "confidence", v));
  EXPECT_FALSE(CheckUnitInterval(-0.1, "probability", v));
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v.list()[0].field, "confidence");
  EXPECT_THAT(v.list()[0].description, HasSubstr("must be between 0 and 1"));
  EXPECT_THAT(v.list()[0].description, HasSubstr("1.5"));
  EXPECT_EQ(v.list()[1].field, "probability");
}

TEST(CheckUnitInterval, NotFiniteIsOneViolation) {
  Violations v;
  EXPECT_FALSE(CheckUnitInterval(std::nan(""), "confidence", v));
  EXPECT_THAT(v.list(), ElementsAre(FieldViolation{"confidence", "must be a finite number"}));
}

TEST(CheckDate, ValidDatesPassOthersAreNamed) {
  Violations v;
  EXPECT_TRUE(CheckDate(calendar::Date{2028, 2, 29}, "due", v));
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(CheckDate(calendar::Date{2027, 2, 29}, "due", v));
  EXPECT_FALSE(CheckDate(calendar::Date{}, "start", v));  // not required, but still not a date
  EXPECT_THAT(v.list(), ElementsAre(FieldViolation{"due", "is not a valid date (2027-2-29)"},
                                    FieldViolation{"start", "is not a valid date (0-0-0)"}));
}

TEST(CheckRequiredDate, TheZeroDateMustBeSet) {
  Violations v;
  EXPECT_TRUE(CheckRequiredDate(calendar::Date{2027, 3, 31}, "as_of", v));
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(CheckRequiredDate(calendar::Date{}, "as_of", v));
  EXPECT_FALSE(CheckRequiredDate(calendar::Date{2027, 13, 1}, "due", v));
  EXPECT_THAT(v.list(), ElementsAre(FieldViolation{"as_of", "must be set"},
                                    FieldViolation{"due", "is not a valid date (2027-13-1)"}));
}

TEST(CheckQuarter, ValidQuartersPassOthersAreNamed) {
  Violations v;
  EXPECT_TRUE(CheckQuarter(calendar::Quarter{2027, 4}, "start_quarter", v));
  EXPECT_TRUE(v.empty());
  EXPECT_FALSE(CheckQuarter(calendar::Quarter{2027, 5}, "start_quarter", v));
  EXPECT_FALSE(CheckQuarter(calendar::Quarter{}, "end_quarter", v));
  EXPECT_THAT(v.list(), ElementsAre(FieldViolation{"start_quarter", "is not a valid quarter (2027Q5)"},
                                    FieldViolation{"end_quarter", "is not a valid quarter (0Q0)"}));
}

TEST(IsIso4217Shaped, ThreeUpperCaseLetters) {
  EXPECT_TRUE(IsIso4217Shaped("EUR"));
  EXPECT_TRUE(IsIso4217Shaped("XXX"));
  EXPECT_FALSE(IsIso4217Shaped(""));
  EXPECT_FALSE(IsIso4217Shaped("eur"));
  EXPECT_FALSE(IsIso4217Shaped("EU"));
  EXPECT_FALSE(IsIso4217Shaped("EURO"));
  EXPECT_FALSE(IsIso4217Shaped("E1R"));
  EXPECT_FALSE(IsIso4217Shaped("ÉUR"));
}

TEST(ValidateId, LettersDigitsDotUnderscoreDash) {
  Violations v;
  for (const char* id : {"a", "in-1", "pf_2027.q1", "0abc", "A-B_C.D"}) ValidateId(id, "id", v);
  ValidateId("", "id", v);  // empty is left to the caller
  ValidateId(std::string(64, 'x'), "id", v);
  EXPECT_THAT(v.list(), IsEmpty());
  for (const char* id : {"-leading", ".dot", "_under", "has space", "slash/no", "colon:no", "é"}) {
    Violations one;
    ValidateId(id, "initiative_id", one);
    ASSERT_EQ(one.size(), 1u) << id;
    EXPECT_EQ(one.list()[0].field, "initiative_id");
    EXPECT_THAT(one.list()[0].description, HasSubstr("letters, digits, '.', '_' or '-'")) << id;
    EXPECT_THAT(one.list()[0].description, HasSubstr("starting with a letter or digit")) << id;
  }
}

TEST(ValidateId, MaxLengthIsTheCallers) {
  Violations v;
  ValidateId(std::string(65, 'x'), "id", v);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_THAT(v.list()[0].description, HasSubstr("1–64"));
  Violations shorter;
  ValidateId("abcdef", "key", shorter, 5);
  ValidateId("abcde", "key", shorter, 5);
  ASSERT_EQ(shorter.size(), 1u);
  EXPECT_THAT(shorter.list()[0].description, HasSubstr("1–5"));
}

}  // namespace
}  // namespace pmo
