// Building a request message from what the user typed: a JSON or YAML file, positional
// ids, named flags and --set field.path=value, all checked against the message's
// descriptor so a wrong field or enum name is a usage error that names it.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace pmo::ctl {

// The file's content as JSON: YAML (a superset of JSON) through yaml-cpp. Unquoted YAML
// scalars that look like numbers or booleans become numbers and booleans; the
// descriptor walk turns them back into strings where a field is a string.
// INVALID_ARGUMENT naming the file on a missing or unparseable file.
absl::StatusOr<nlohmann::json> ReadDocument(const std::string& path);
absl::StatusOr<nlohmann::json> ParseDocument(const std::string& text, const std::string& name);

// Checks `value` against `type` and brings it to the form protobuf's JSON parser takes:
// keys become proto field names (json names and proto names are both accepted); enum
// values may be short ("APPROVED" for STAGE_APPROVED) or any case; strings are converted
// to numbers and booleans where the field needs one; pmo.common.v1.Date takes
// "yyyy-mm-dd", Quarter and okr's Period take "2027Q1" (Period also "2027"); a single
// value is accepted for a repeated field. INVALID_ARGUMENT naming the path otherwise.
// Idempotent.
absl::Status Normalise(nlohmann::json& value, const google::protobuf::Descriptor* type, const std::string& path = "");

// Sets the field at a dotted `path` ("business_case.economic.expected_value.minor_units",
// "ratings.value" for a map entry, "benefits[0].metric" for a repeated message element,
// "stages" appends to a repeated field) in `root`, a JSON object of message `type`.
// `value` is the text as typed; a message-typed field (or a whole repeated field) may
// be given as JSON. INVALID_ARGUMENT naming the unknown field.
absl::Status SetField(nlohmann::json& root, const google::protobuf::Descriptor* type, const std::string& path,
                      const std::string& value);

// The field a dotted path of singular and repeated fields ends at (map keys and [N]
// indices are not followed); nullptr if a name is unknown.
const google::protobuf::FieldDescriptor* FieldAt(const google::protobuf::Descriptor* type, const std::string& path);

// The full enum value name for `text` ("stop" → "DECISION_STOP" in pmo.reporting.v1.Decision).
absl::StatusOr<std::string> ResolveEnum(const google::protobuf::EnumDescriptor* type, const std::string& text);

// Everything the user gave for one command, in precedence order (later wins).
struct RequestInput {
  std::string file = {};  // -f; empty: none
  std::string body = {};  // the request field a file fills unless it is the whole request
  std::vector<std::pair<std::string, std::string>> fields = {};  // positionals and flags: path → value
  std::vector<std::string> sets = {};                            // --set path=value
};

// The request message, from `input` on top of an empty `type`.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> BuildRequest(const google::protobuf::Descriptor* type,
                                                                        const RequestInput& input);

}  // namespace pmo::ctl
