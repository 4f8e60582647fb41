// Translation between intake's protobuf contract (and the events it consumes) and its
// domain types. Structural problems only protobuf can have (a quarter listed twice, say)
// are reported as field violations; everything else is the domain's to validate.
#pragma once

#include <string>

#include "pmo/base/errors.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/proto_convert.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "services/intake/domain/gates.h"
#include "services/intake/domain/model.h"

namespace pmo::intake::app {

namespace pb = ::pmo::intake::v1;

// The suite's one conversion of Date, Quarter, Money and Timestamp, next to intake's own.
using ::pmo::FromProto;
using ::pmo::OptionalDateFromProto;
using ::pmo::ToProto;

domain::Portfolio FromProto(const pb::Portfolio& p, Violations& violations);
pb::Portfolio ToProto(const domain::Portfolio& p);

domain::Initiative FromProto(const pb::Initiative& in, Violations& violations);
pb::Initiative ToProto(const domain::Initiative& in);

domain::ProgressReport FromProto(const pb::ProgressReport& r, Violations& violations);
pb::ProgressReport ToProto(const domain::ProgressReport& r);

// A snapshot intake stored itself: trusted, so nothing is collected (a request from
// outside goes through FromProto, which reports what only protobuf can get wrong).
domain::Portfolio FromStored(const pb::Portfolio& p);
domain::Initiative FromStored(const pb::Initiative& in);
domain::ProgressReport FromStored(const pb::ProgressReport& r);

domain::Stage FromProto(pb::Stage stage);
pb::Stage ToProto(domain::Stage stage);

// Reporting's decision as the domain applies it.
domain::Decision DecisionFromEvent(const reporting::v1::DecisionRecorded& decision);
// A benefit of the benefits service's register as evidence for the value gate.
domain::BenefitEvidence EvidenceFromProto(const benefits::v1::Benefit& benefit);

// Fills the currency of amounts given without one with the portfolio's.
void DefaultCurrency(domain::Initiative& in, const std::string& currency);
void DefaultCurrency(domain::ProgressReport& r, const std::string& currency);

}  // namespace pmo::intake::app
