// Reading a protobuf message from JSON that another system wrote (protobuf's JSON
// mapping: lowerCamel or proto field names), with an answer that names every field that
// is wrong instead of the first one protobuf's parser trips over.
#pragma once

#include <string_view>

#include <google/protobuf/message.h>

#include "absl/status/status.h"

namespace pmo {

// Parses `json` into `out`. INVALID_ARGUMENT with one field violation per problem
// (unknown field, wrong JSON type, a number out of range for its field, an unknown enum
// value, a malformed timestamp), each under its path as the sender wrote it
// ("report.percentComplete", "milestones[1].due"), when the text is not valid for the
// message. A pmo.common.v1.Date may also be written "2026-12-01" and a Quarter
// "2027Q1". `out` is left cleared on failure.
absl::Status ParseJsonPayload(std::string_view json, google::protobuf::Message& out);

}  // namespace pmo
