#include "schema.h"

#include <set>

namespace pmo::schemagen {
namespace {

namespace pb = google::protobuf;
using json = nlohmann::ordered_json;

std::string Ref(const pb::Descriptor* type) { return "#/$defs/" + type->full_name(); }

json ScalarSchema(const pb::FieldDescriptor* field) {
  using F = pb::FieldDescriptor;
  switch (field->cpp_type()) {
    case F::CPPTYPE_INT32:
    case F::CPPTYPE_UINT32: return {{"type", "integer"}};
    // protobuf writes 64-bit integers as strings (JSON numbers lose precision past 2^53).
    case F::CPPTYPE_INT64:
    case F::CPPTYPE_UINT64: return {{"type", {"integer", "string"}}, {"pattern", "^-?[0-9]+$"}};
    case F::CPPTYPE_DOUBLE:
    case F::CPPTYPE_FLOAT: return {{"type", "number"}};
    case F::CPPTYPE_BOOL: return {{"type", "boolean"}};
    case F::CPPTYPE_STRING: return {{"type", "string"}};
    case F::CPPTYPE_ENUM: {
      json names = json::array();
      for (int i = 0; i < field->enum_type()->value_count(); ++i) names.push_back(field->enum_type()->value(i)->name());
      return {{"type", "string"}, {"enum", names}};
    }
    case F::CPPTYPE_MESSAGE: break;
  }
  return json::object();
}

// Messages with a JSON form of their own.
bool SpecialForm(const pb::Descriptor* type, json& out) {
  const std::string& name = type->full_name();
  if (name == "google.protobuf.Timestamp") {
    out = {{"type", "string"},
           {"description", "RFC 3339 time, e.g. 2026-12-01T09:30:00Z"},
           {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$"}};
    return true;
  }
  if (name == "pmo.common.v1.Date") {
    out = {{"description", "a date: \"2026-12-01\" or {year, month, day}"},
           {"oneOf", {{{"type", "string"}, {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}}, {{"$ref", Ref(type)}}}}};
    return true;
  }
  if (name == "pmo.common.v1.Quarter") {
    out = {{"description", "a quarter: \"2027Q1\" or {year, quarter}"},
           {"oneOf", {{{"type", "string"}, {"pattern", "^[0-9]{4}[Qq][1-4]$"}}, {{"$ref", Ref(type)}}}}};
    return true;
  }
  return false;
}

class Builder {
 public:
  json ValueSchema(const pb::FieldDescriptor* field) {
    if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) return ScalarSchema(field);
    const pb::Descriptor* type = field->message_type();
    json special;
    const bool has_special = SpecialForm(type, special);
    if (type->full_name() != "google.protobuf.Timestamp") Define(type);
    return has_special ? special : json{{"$ref", Ref(type)}};
  }

  json FieldSchema(const pb::FieldDescriptor* field) {
    if (field->is_map())
      return {{"type", "object"}, {"additionalProperties", ValueSchema(field->message_type()->map_value())}};
    if (field->is_repeated()) return {{"type", "array"}, {"items", ValueSchema(field)}};
    return ValueSchema(field);
  }

  void Define(const pb::Descriptor* type) {
    if (!defined_.insert(type->full_name()).second) return;
    json properties = json::object();
    for (int i = 0; i < type->field_count(); ++i) {
      const pb::FieldDescriptor* field = type->field(i);
      json schema = FieldSchema(field);
      // protobuf's JSON parser takes the lowerCamel name and the proto name alike.
      properties[field->json_name()] = schema;
      if (field->name() != field->json_name()) properties[field->name()] = schema;
    }
    defs_[type->full_name()] = {{"type", "object"},
                                {"title", type->full_name()},
                                {"properties", properties},
                                {"additionalProperties", false}};
  }

  json defs() const {
    json sorted = json::object();
    for (const auto& name : defined_) sorted[name] = defs_.at(name);
    return sorted;
  }

 private:
  std::set<std::string> defined_;
  json defs_ = json::object();
};

}  // namespace

json SchemaOf(const pb::Descriptor* type, const std::string& id) {
  Builder builder;
  builder.Define(type);
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"$id", id},
          {"title", type->full_name()},
          {"description", "Generated from the protobuf descriptors by pmo-schemagen; do not edit."},
          {"$ref", Ref(type)},
          {"$defs", builder.defs()}};
}

}  // namespace pmo::schemagen
