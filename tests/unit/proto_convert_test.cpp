// Tests of common/src/proto_convert.cpp: the one translation of Date, Quarter, Money and
// Timestamp between protobuf and the base layer.
#include "pmo/common/proto_convert.h"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace pmo {
namespace {

common::v1::Date ProtoDate(int32_t year, int32_t month, int32_t day) {
  common::v1::Date out;
  out.set_year(year);
  out.set_month(month);
  out.set_day(day);
  return out;
}

TEST(ProtoConvert, DateRoundTrips) {
  const calendar::Date date{2028, 2, 29};
  const common::v1::Date proto = ToProto(date);
  EXPECT_EQ(proto.year(), 2028);
  EXPECT_EQ(proto.month(), 2);
  EXPECT_EQ(proto.day(), 29);
  EXPECT_EQ(FromProto(proto), date);
}

TEST(ProtoConvert, InvalidDatesComeThroughAsGiven) {
  // Validation, not conversion, reports an impossible date.
  EXPECT_EQ(FromProto(ProtoDate(2027, 2, 30)), (calendar::Date{2027, 2, 30}));
  EXPECT_EQ(FromProto(common::v1::Date{}), calendar::Date{});
}

TEST(ProtoConvert, TheAllZeroDateIsNotGiven) {
  EXPECT_EQ(OptionalDateFromProto(common::v1::Date{}), std::nullopt);
  EXPECT_EQ(OptionalDateFromProto(ProtoDate(2027, 4, 1)), (calendar::Date{2027, 4, 1}));
  // Only the all-zero date means "not given"; a partly set date is kept for validation.
  EXPECT_EQ(OptionalDateFromProto(ProtoDate(0, 0, 1)), (calendar::Date{0, 0, 1}));
  EXPECT_EQ(OptionalDateFromProto(ProtoDate(2027, 0, 0)), (calendar::Date{2027, 0, 0}));
}

TEST(ProtoConvert, QuarterRoundTrips) {
  const calendar::Quarter quarter{2027, 3};
  const common::v1::Quarter proto = ToProto(quarter);
  EXPECT_EQ(proto.year(), 2027);
  EXPECT_EQ(proto.quarter(), 3);
  EXPECT_EQ(FromProto(proto), quarter);
}

TEST(ProtoConvert, MoneyRoundTrips) {
  for (const Money& money : {Money{123456, "EUR"}, Money{-5, "USD"}, Money{0, ""},
                             Money{std::numeric_limits<int64_t>::min(), "JPY"},
                             Money{std::numeric_limits<int64_t>::max(), "CHF"}}) {
    const common::v1::Money proto = ToProto(money);
    EXPECT_EQ(proto.minor_units(), money.minor_units);
    EXPECT_EQ(proto.currency(), money.currency);
    EXPECT_EQ(FromProto(proto), money);
  }
}

TEST(ProtoConvert, MillisRoundTrip) {
  for (int64_t ms : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{1'900'000'000'123}, int64_t{-1},
                     int64_t{-1'500}, int64_t{-86'400'000}}) {
    EXPECT_EQ(ToUnixMillis(TimestampFromUnixMillis(ms)), ms) << ms;
  }
  const auto ts = TimestampFromUnixMillis(1'900'000'000'123);
  EXPECT_EQ(ts.seconds(), 1'900'000'000);
  EXPECT_EQ(ts.nanos(), 123'000'000);
}

TEST(ProtoConvert, NegativeTimesKeepNanosNonNegative) {
  // Protobuf's rule: nanos are always 0..999,999,999, seconds carry the sign.
  const auto ts = TimestampFromUnixMillis(-1'500);
  EXPECT_EQ(ts.seconds(), -2);
  EXPECT_EQ(ts.nanos(), 500'000'000);
  EXPECT_EQ(ToUnixMillis(ts), -1'500);
}

TEST(ProtoConvert, MillisDropSubMillisecondPrecision) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(10);
  ts.set_nanos(1'999'999);
  EXPECT_EQ(ToUnixMillis(ts), 10'001);
}

TEST(ProtoConvert, FromAbslTime) {
  const auto ts = ToTimestamp(absl::FromUnixNanos(1'900'000'000'123'456'789));
  EXPECT_EQ(ts.seconds(), 1'900'000'000);
  EXPECT_EQ(ts.nanos(), 123'456'789);
  const auto before_epoch = ToTimestamp(absl::FromUnixMillis(-1'500));
  EXPECT_EQ(before_epoch.seconds(), -2);
  EXPECT_EQ(before_epoch.nanos(), 500'000'000);
  EXPECT_TRUE(IsUnset(ToTimestamp(absl::UnixEpoch())));
}

TEST(ProtoConvert, UnsetIsTheZeroTimestamp) {
  EXPECT_TRUE(IsUnset(google::protobuf::Timestamp{}));
  EXPECT_EQ(ToUnixMillis(google::protobuf::Timestamp{}), 0);
  google::protobuf::Timestamp ts;
  ts.set_nanos(1);
  EXPECT_FALSE(IsUnset(ts));
  EXPECT_FALSE(IsUnset(TimestampFromUnixMillis(-1)));
  EXPECT_FALSE(IsUnset(TimestampFromUnixMillis(1'000)));
}

TEST(ProtoConvert, CivilDayUtc) {
  // 2030-03-17T17:46:40Z
  EXPECT_EQ(CivilDayUtc(TimestampFromUnixMillis(1'900'000'000'000)), (calendar::Date{2030, 3, 17}));
  EXPECT_EQ(CivilDayUtc(google::protobuf::Timestamp{}), (calendar::Date{1970, 1, 1}));
  // The last and first millisecond of a UTC day.
  EXPECT_EQ(CivilDayUtc(TimestampFromUnixMillis(86'400'000 - 1)), (calendar::Date{1970, 1, 1}));
  EXPECT_EQ(CivilDayUtc(TimestampFromUnixMillis(86'400'000)), (calendar::Date{1970, 1, 2}));
  // Before the epoch.
  EXPECT_EQ(CivilDayUtc(TimestampFromUnixMillis(-1)), (calendar::Date{1969, 12, 31}));
  // A leap day.
  EXPECT_EQ(CivilDayUtc(ToTimestamp(absl::FromCivil(absl::CivilSecond(2028, 2, 29, 23, 59, 59), absl::UTCTimeZone()))),
            (calendar::Date{2028, 2, 29}));
}

}  // namespace
}  // namespace pmo
