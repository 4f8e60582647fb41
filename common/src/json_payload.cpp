#include "pmo/common/json_payload.h"

#include <cmath>
#include <limits>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "pmo/base/calendar.h"
#include "pmo/base/errors.h"

namespace pmo {
namespace {

namespace pb = google::protobuf;
using json = nlohmann::json;

std::string Join(const std::string& path, const std::string& name) { return path.empty() ? name : path + "." + name; }

const char* JsonTypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "a list";
    case json::value_t::object: return "an object";
    default: return "a number";
  }
}

// Protobuf's JSON mapping takes an integer or a numeric string for integer fields and a
// number or "NaN"/"Infinity" for floating ones.
void CheckInteger(const json& value, double min, double max, const std::string& path, Violations& out) {
  double number = 0;
  if (value.is_number_integer() || value.is_number_unsigned() || value.is_number_float()) {
    number = value.get<double>();
  } else if (value.is_string()) {
    if (!absl::SimpleAtod(value.get<std::string>(), &number)) {
      out.Add(path, absl::StrCat("must be an integer, got \"", value.get<std::string>(), "\""));
      return;
    }
  } else {
    out.Add(path, absl::StrCat("must be an integer, got ", JsonTypeName(value)));
    return;
  }
  if (number != std::floor(number)) out.Add(path, absl::StrCat("must be an integer, got ", value.dump()));
  else if (number < min || number > max) out.Add(path, absl::StrCat("is out of range (", value.dump(), ")"));
}

void CheckScalar(const json& value, const pb::FieldDescriptor* field, const std::string& path, Violations& out) {
  using F = pb::FieldDescriptor;
  switch (field->cpp_type()) {
    case F::CPPTYPE_INT32:
      CheckInteger(value, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max(), path, out);
      return;
    case F::CPPTYPE_UINT32: CheckInteger(value, 0, std::numeric_limits<uint32_t>::max(), path, out); return;
    case F::CPPTYPE_INT64: CheckInteger(value, -9.2e18, 9.2e18, path, out); return;
    case F::CPPTYPE_UINT64: CheckInteger(value, 0, 1.8e19, path, out); return;
    case F::CPPTYPE_DOUBLE:
    case F::CPPTYPE_FLOAT:
      if (value.is_number()) return;
      if (value.is_string()) {
        const auto text = value.get<std::string>();
        double parsed = 0;
        if (text == "NaN" || text == "Infinity" || text == "-Infinity" || absl::SimpleAtod(text, &parsed)) return;
      }
      out.Add(path, absl::StrCat("must be a number, got ", value.is_string() ? value.dump() : JsonTypeName(value)));
      return;
    case F::CPPTYPE_BOOL:
      if (!value.is_boolean()) out.Add(path, absl::StrCat("must be true or false, got ", JsonTypeName(value)));
      return;
    case F::CPPTYPE_STRING:
      if (!value.is_string()) out.Add(path, absl::StrCat("must be a string, got ", JsonTypeName(value)));
      return;
    case F::CPPTYPE_ENUM: {
      const pb::EnumDescriptor* type = field->enum_type();
      if (value.is_string() && type->FindValueByName(value.get<std::string>())) return;
      if (value.is_number_integer() && type->FindValueByNumber(value.get<int>())) return;
      std::string names;
      for (int i = 0; i < type->value_count(); ++i) absl::StrAppend(&names, i ? ", " : "", type->value(i)->name());
      out.Add(path, absl::StrCat("must be one of ", names, ", got ", value.dump()));
      return;
    }
    case F::CPPTYPE_MESSAGE: return;  // handled by the caller
  }
}

void CheckMessage(json& value, const pb::Descriptor* type, const std::string& path, Violations& out);

// Well-known types have JSON forms of their own; the ones ingest payloads use are
// checked here, the others are left to protobuf's parser.
bool CheckWellKnown(json& value, const pb::Descriptor* type, const std::string& path, Violations& out) {
  const std::string& name = type->full_name();
  // The suite's own value types also read as the text people write: "2026-12-01" for a
  // date, "2027Q1" for a quarter (the object form works too).
  if (name == "pmo.common.v1.Date" && value.is_string()) {
    auto date = calendar::ParseDate(value.get<std::string>());
    if (!date.ok()) {
      out.Add(path, absl::StrCat("must be a date yyyy-mm-dd, got ", value.dump()));
      return true;
    }
    value = json{{"year", date->year}, {"month", date->month}, {"day", date->day}};
    return true;
  }
  if (name == "pmo.common.v1.Quarter" && value.is_string()) {
    auto quarter = calendar::ParseQuarter(value.get<std::string>());
    if (!quarter.ok()) {
      out.Add(path, absl::StrCat("must be a quarter such as \"2027Q1\", got ", value.dump()));
      return true;
    }
    value = json{{"year", quarter->year}, {"quarter", quarter->q}};
    return true;
  }
  if (name == "google.protobuf.Timestamp") {
    pb::Timestamp ts;
    if (!value.is_string() || !pb::util::TimeUtil::FromString(value.get<std::string>(), &ts))
      out.Add(path, absl::StrCat("must be an RFC 3339 time such as \"2026-12-01T09:30:00Z\", got ", value.dump()));
    return true;
  }
  if (name == "google.protobuf.Duration") {
    pb::Duration d;
    if (!value.is_string() || !pb::util::TimeUtil::FromString(value.get<std::string>(), &d))
      out.Add(path, absl::StrCat("must be a duration such as \"1.5s\", got ", value.dump()));
    return true;
  }
  return name.rfind("google.protobuf.", 0) == 0;
}

void CheckValue(json& value, const pb::FieldDescriptor* field, const std::string& path, Violations& out) {
  if (value.is_null()) return;  // protobuf's mapping: null is the default value
  if (field->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE) {
    CheckScalar(value, field, path, out);
    return;
  }
  if (CheckWellKnown(value, field->message_type(), path, out)) return;
  CheckMessage(value, field->message_type(), path, out);
}

void CheckField(json& value, const pb::FieldDescriptor* field, const std::string& path, Violations& out) {
  if (field->is_map()) {
    if (value.is_null()) return;
    if (!value.is_object()) {
      out.Add(path, absl::StrCat("must be an object, got ", JsonTypeName(value)));
      return;
    }
    const pb::FieldDescriptor* map_value = field->message_type()->map_value();
    for (auto& [key, item] : value.items()) CheckValue(item, map_value, Join(path, key), out);
    return;
  }
  if (field->is_repeated()) {
    if (value.is_null()) return;
    if (!value.is_array()) {
      out.Add(path, absl::StrCat("must be a list, got ", JsonTypeName(value)));
      return;
    }
    for (size_t i = 0; i < value.size(); ++i) CheckValue(value[i], field, absl::StrCat(path, "[", i, "]"), out);
    return;
  }
  CheckValue(value, field, path, out);
}

void CheckMessage(json& value, const pb::Descriptor* type, const std::string& path, Violations& out) {
  if (!value.is_object()) {
    out.Add(path.empty() ? "(record)" : path,
            absl::StrCat("must be an object (", type->full_name(), "), got ", JsonTypeName(value)));
    return;
  }
  for (auto& [key, item] : value.items()) {
    const pb::FieldDescriptor* field = type->FindFieldByName(key);
    if (!field) field = type->FindFieldByCamelcaseName(key);
    if (!field) {
      out.Add(Join(path, key), absl::StrCat("is not a field of ", type->full_name()));
      continue;
    }
    CheckField(item, field, Join(path, key), out);
  }
}

}  // namespace

absl::Status ParseJsonPayload(std::string_view text, google::protobuf::Message& out) {
  out.Clear();
  json value = json::parse(text.begin(), text.end(), nullptr, false);
  if (value.is_discarded()) return InvalidArgument("record is not JSON", {{"(record)", "is not valid JSON"}});
  Violations violations;
  CheckMessage(value, out.GetDescriptor(), "", violations);
  if (!violations.empty()) return violations.ToStatus(absl::StrCat("record is not a valid ", out.GetDescriptor()->full_name()));
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const std::string normalised = value.dump();
  if (auto s = pb::util::JsonStringToMessage(normalised, &out, options); !s.ok()) {
    out.Clear();
    return InvalidArgument(absl::StrCat("record is not a valid ", out.GetDescriptor()->full_name()),
                           {{"(record)", std::string(s.message())}});
  }
  return absl::OkStatus();
}

}  // namespace pmo
