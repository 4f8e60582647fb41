// Translation between okr's protobuf contract and its domain types, and the event
// snapshots built from domain values. Validation is the domain's; conversion only maps.
#pragma once

#include <optional>

#include "services/okr/domain/model.h"
#include "services/okr/domain/progress.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/okr/v1/okr.pb.h"

namespace pmo::okr::app {

namespace pb = ::pmo::okr::v1;

domain::Level FromProto(pb::Level level);
pb::Level ToProto(domain::Level level);
domain::ObjectiveStatus FromProto(pb::ObjectiveStatus status);
pb::ObjectiveStatus ToProto(domain::ObjectiveStatus status);
domain::Direction FromProto(pb::Direction direction);
pb::Direction ToProto(domain::Direction direction);

// Dates convert through the suite's one conversion, pmo::FromProto / pmo::ToProto
// (pmo/common/proto_convert.h): all zero = not given, which validation reports.

domain::Objective FromProto(const pb::Objective& o);
pb::Objective ToProto(const domain::Objective& o);
domain::KeyResult FromProto(const pb::KeyResult& kr);
// The definition only: the check-in and progress fields are the caller's to fill.
pb::KeyResult ToProto(const domain::KeyResult& kr);
domain::CheckIn FromProto(const pb::CheckIn& c);
domain::CheckIn FromProto(const pb::CheckInRequest& c);
pb::CheckIn ToProto(const domain::CheckIn& c);

// The check-in held as a key result's latest, or nullopt.
std::optional<domain::CheckIn> LatestOf(const pb::KeyResult& kr);

// Event snapshots.
pb::ObjectiveChanged ObjectiveEvent(const pb::Objective& o, bool created);
pb::KeyResultChanged KeyResultEvent(const pb::KeyResult& kr, const domain::Objective& objective, bool created);

}  // namespace pmo::okr::app
