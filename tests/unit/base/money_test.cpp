// Tests of common/base/src/money.cpp: FormatMoney for messages, including negative
// amounts, the most negative amount there is and money without a currency.
#include "pmo/base/money.h"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace pmo {
namespace {

TEST(FormatMoney, TwoMinorDigitsAndTheCurrency) {
  EXPECT_EQ(FormatMoney(Money{123456, "EUR"}), "1234.56 EUR");
  EXPECT_EQ(FormatMoney(Money{5, "USD"}), "0.05 USD");
  EXPECT_EQ(FormatMoney(Money{100, "GBP"}), "1.00 GBP");
  EXPECT_EQ(FormatMoney(Money{0, "EUR"}), "0.00 EUR");
}

TEST(FormatMoney, NegativeAmountsKeepTheirSign) {
  EXPECT_EQ(FormatMoney(Money{-123456, "EUR"}), "-1234.56 EUR");
  EXPECT_EQ(FormatMoney(Money{-5, "EUR"}), "-0.05 EUR");
  EXPECT_EQ(FormatMoney(Money{-100, "EUR"}), "-1.00 EUR");
}

TEST(FormatMoney, ExtremesDoNotOverflow) {
  EXPECT_EQ(FormatMoney(Money{std::numeric_limits<int64_t>::min(), "EUR"}), "-92233720368547758.08 EUR");
  EXPECT_EQ(FormatMoney(Money{std::numeric_limits<int64_t>::max(), "EUR"}), "92233720368547758.07 EUR");
}

TEST(FormatMoney, NoCurrencyNoSuffix) {
  EXPECT_EQ(FormatMoney(Money{123456, ""}), "1234.56");
  EXPECT_EQ(FormatMoney(Money{-7, ""}), "-0.07");
  EXPECT_EQ(FormatMoney(Money{}), "0.00");
}

TEST(Money, ComparesByAmountAndCurrency) {
  EXPECT_EQ((Money{100, "EUR"}), (Money{100, "EUR"}));
  EXPECT_NE((Money{100, "EUR"}), (Money{100, "USD"}));
  EXPECT_NE((Money{100, "EUR"}), (Money{101, "EUR"}));
}

}  // namespace
}  // namespace pmo
