// Translation between intake's protobuf contract and its domain types. Structural
// problems only protobuf can have (a quarter listed twice, say) are reported as field
// violations; everything else is the domain's to validate.
#pragma once

#include "services/intake/domain/model.h"
#include "pmo/base/errors.h"
#include "pmo/intake/v1/intake.pb.h"

namespace pmo::intake::adapters {

namespace pb = ::pmo::intake::v1;

domain::Portfolio FromProto(const pb::Portfolio& p, Violations& violations);
pb::Portfolio ToProto(const domain::Portfolio& p);

domain::Initiative FromProto(const pb::Initiative& in, Violations& violations);
pb::Initiative ToProto(const domain::Initiative& in);

domain::ProgressReport FromProto(const pb::ProgressReport& r, Violations& violations);
pb::ProgressReport ToProto(const domain::ProgressReport& r);

domain::Stage FromProto(pb::Stage stage);
pb::Stage ToProto(domain::Stage stage);

domain::Quarter FromProto(const common::v1::Quarter& q);
common::v1::Quarter ToProto(const domain::Quarter& q);
std::optional<domain::Date> FromProto(const common::v1::Date& d);  // all zero = not given
common::v1::Date ToProto(const domain::Date& d);

// Fills the currency of amounts given without one with the portfolio's.
void DefaultCurrency(domain::Initiative& in, const std::string& currency);
void DefaultCurrency(domain::ProgressReport& r, const std::string& currency);

}  // namespace pmo::intake::adapters
