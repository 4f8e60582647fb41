// The one translation of the shared value types between protobuf (pmo.common.v1,
// google.protobuf.Timestamp) and the base layer's Date, Quarter and Money, used by every
// service's adapters. Timestamps go through protobuf's own TimeUtil.
#pragma once

#include <cstdint>
#include <optional>

#include <google/protobuf/timestamp.pb.h>

#include "absl/time/time.h"
#include "pmo/base/calendar.h"
#include "pmo/base/money.h"
#include "pmo/common/v1/types.pb.h"

namespace pmo {

// The date as given, valid or not (validation reports an invalid one).
calendar::Date FromProto(const common::v1::Date& date);
// The all-zero date means "not given".
std::optional<calendar::Date> OptionalDateFromProto(const common::v1::Date& date);
common::v1::Date ToProto(const calendar::Date& date);

calendar::Quarter FromProto(const common::v1::Quarter& quarter);
common::v1::Quarter ToProto(const calendar::Quarter& quarter);

Money FromProto(const common::v1::Money& money);
// The amount in major units (EUR, not cents) for figures and optimisation, where a
// double is fine; like FormatMoney it assumes two minor digits.
double MajorUnits(const common::v1::Money& money);
common::v1::Money ToProto(const Money& money);

// Milliseconds since the Unix epoch (0 for an unset timestamp).
int64_t ToUnixMillis(const google::protobuf::Timestamp& timestamp);
google::protobuf::Timestamp TimestampFromUnixMillis(int64_t unix_ms);
google::protobuf::Timestamp ToTimestamp(absl::Time time);
bool IsUnset(const google::protobuf::Timestamp& timestamp);
// The civil day (UTC) a timestamp falls on.
calendar::Date CivilDayUtc(const google::protobuf::Timestamp& timestamp);

}  // namespace pmo
