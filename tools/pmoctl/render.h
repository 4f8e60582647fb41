// Rendering responses and errors: protobuf's JSON mapping (pretty), YAML from that JSON,
// readable tables, and a failed call's status with every field violation and unmet
// precondition from its google.rpc.Status details, one per line.
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>
#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "pmo/common/grpc_status.h"

namespace pmo::ctl {

enum class Format { kTable, kJson, kYaml };
absl::StatusOr<Format> ParseFormat(const std::string& name);

// The message in protobuf's JSON mapping; `pretty` indents it, otherwise one line.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message, bool pretty);

// YAML block style from JSON (object key order kept). Strings that YAML would read as
// something else ("12", "true", "", "2027-01-01"...) are quoted.
std::string JsonToYaml(const nlohmann::ordered_json& value);

// A table for humans. Each repeated message field becomes rows (one per element) with
// the element's scalar fields as columns; everything else becomes key/value rows with
// dotted keys. Enum values are shown without their type prefix, dates as yyyy-mm-dd,
// quarters as 2027Q1, money as "1234.56 EUR", timestamps in RFC 3339.
std::string RenderTable(const google::protobuf::Message& message);

// Plain rows with a header, columns padded to their widest cell.
std::string FormatRows(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// The message rendered in `format`, ending in a newline.
absl::StatusOr<std::string> Render(const google::protobuf::Message& message, Format format);

// "error: <CODE>: <message>" and one "  <field>: <description>" line per BadRequest field
// violation, "  <type> (<subject>): <description>" per PreconditionFailure violation.
// When the message already lists the violations (the services' convention), only its
// summary is printed before them, so nothing appears twice. `context` (e.g. "intake at
// 127.0.0.1:7101") is put before the message of UNAVAILABLE and DEADLINE_EXCEEDED.
std::string RenderError(const grpc::Status& status, const std::string& context = "");


}  // namespace pmo::ctl
