#include "pmo/common/proto_convert.h"

#include <google/protobuf/util/time_util.h>

#include "absl/time/civil_time.h"

namespace pmo {

using google::protobuf::util::TimeUtil;

calendar::Date FromProto(const common::v1::Date& date) { return {date.year(), date.month(), date.day()}; }

std::optional<calendar::Date> OptionalDateFromProto(const common::v1::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return std::nullopt;
  return FromProto(date);
}

common::v1::Date ToProto(const calendar::Date& date) {
  common::v1::Date out;
  out.set_year(date.year);
  out.set_month(date.month);
  out.set_day(date.day);
  return out;
}

calendar::Quarter FromProto(const common::v1::Quarter& quarter) { return {quarter.year(), quarter.quarter()}; }

common::v1::Quarter ToProto(const calendar::Quarter& quarter) {
  common::v1::Quarter out;
  out.set_year(quarter.year);
  out.set_quarter(quarter.q);
  return out;
}

Money FromProto(const common::v1::Money& money) { return {money.minor_units(), money.currency()}; }

double MajorUnits(const common::v1::Money& money) { return static_cast<double>(money.minor_units()) / 100.0; }

common::v1::Money ToProto(const Money& money) {
  common::v1::Money out;
  out.set_currency(money.currency);
  out.set_minor_units(money.minor_units);
  return out;
}

int64_t ToUnixMillis(const google::protobuf::Timestamp& timestamp) {
  return TimeUtil::TimestampToMilliseconds(timestamp);
}

google::protobuf::Timestamp TimestampFromUnixMillis(int64_t unix_ms) {
  return TimeUtil::MillisecondsToTimestamp(unix_ms);
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(time));
}

bool IsUnset(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() == 0 && timestamp.nanos() == 0;
}

calendar::Date CivilDayUtc(const google::protobuf::Timestamp& timestamp) {
  const absl::CivilDay day = absl::ToCivilDay(absl::FromUnixSeconds(timestamp.seconds()), absl::UTCTimeZone());
  return {static_cast<int32_t>(day.year()), day.month(), day.day()};
}

}  // namespace pmo
