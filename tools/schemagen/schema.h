// JSON Schema (draft 2020-12) of a protobuf message as protobuf's JSON mapping writes
// and reads it, with the suite's own text forms of dates ("2026-12-01") and quarters
// ("2027Q1") that ingest also accepts. Generated from the descriptors, never by hand.
#pragma once

#include <string>

#include <google/protobuf/descriptor.h>
#include <nlohmann/json.hpp>

namespace pmo::schemagen {

// The schema of `type` with every message it uses under $defs; `id` becomes $id.
nlohmann::ordered_json SchemaOf(const google::protobuf::Descriptor* type, const std::string& id);

}  // namespace pmo::schemagen
