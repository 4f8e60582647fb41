// Translation between the benefits protobuf contract, the storage records and the
// domain types. Structural problems only protobuf can have (a baseline not given at
// all, say) are reported as field violations; the rest is the domain's to validate.
#pragma once

#include <optional>
#include <string>

#include "services/benefits/domain/assessment.h"
#include "services/benefits/domain/model.h"
#include "pmo/benefits/storage/v1/storage.pb.h"
#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/base/errors.h"
#include "pmo/common/proto_convert.h"
#include "pmo/intake/v1/intake.pb.h"

namespace pmo::benefits::app {

namespace pb = ::pmo::benefits::v1;
namespace storage = ::pmo::benefits::storage::v1;

// Date and Money: the suite's one conversion (pmo/common/proto_convert.h); an all-zero
// date read with OptionalDateFromProto means "not given".
using ::pmo::FromProto;
using ::pmo::OptionalDateFromProto;
using ::pmo::ToProto;

domain::BenefitCategory FromProto(pb::Category c);
pb::Category ToProto(domain::BenefitCategory c);
domain::Indicator FromProto(pb::Indicator i);
pb::Indicator ToProto(domain::Indicator i);
pb::Direction ToProto(domain::Direction d);
domain::BenefitStatus FromProto(pb::BenefitStatus s);  // UNSPECIFIED reads as NOT_STARTED
pb::BenefitStatus ToProto(domain::BenefitStatus s);

// A not-given as_of becomes 0-00-00, which validation refuses as not a valid date.
domain::Measurement FromProto(const pb::Measurement& m);
pb::Measurement ToProto(const domain::Measurement& m);
std::vector<domain::Measurement> FromProto(const storage::Series& s);
storage::Series ToProto(const std::vector<domain::Measurement>& series);

// The definition fields of a benefit (id, initiative, portfolio, category, metric,
// unit, baseline, target, target date, owner, indicator, value per unit, key result,
// tracking window; 0 months means the default) and its version. A baseline, target or
// target date that is not given at all is a violation here.
domain::Benefit DefinitionFromProto(const pb::Benefit& b, Violations& violations);
// Writes those fields (and the derived direction) onto `out`.
void PutDefinition(const domain::Benefit& b, pb::Benefit* out);

// A benefit promised in an intake submission, with the same rules.
domain::Benefit FromPromise(const intake::v1::PromisedBenefit& p, Violations& violations);

// Writes status, reason, tracking window and realisation (with the money values).
void PutAssessment(const domain::Assessment& a, pb::Benefit* out);

storage::ValueEntry ToEntry(const domain::BenefitValue& v);
domain::BenefitValue FromEntry(const std::string& benefit_id, const storage::ValueEntry& e);

pb::ValueSummary ToProto(const domain::ValueSummary& s, const std::string& initiative_id);

}  // namespace pmo::benefits::app
