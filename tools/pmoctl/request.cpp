#include "request.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include <google/protobuf/util/json_util.h>
#include <yaml-cpp/yaml.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace pmo::ctl {

namespace pb = google::protobuf;
using json = nlohmann::json;

namespace {

absl::Status Usage(std::string message) { return absl::InvalidArgumentError(std::move(message)); }

std::string Join(const std::string& path, const std::string& name) { return path.empty() ? name : path + "." + name; }

// ---- YAML → JSON ------------------------------------------------------------------

// YAML 1.2 core-schema resolution of a plain (unquoted) scalar.
json PlainScalar(const std::string& s) {
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (std::regex_match(s, kInt)) {
    int64_t i;
    if (absl::SimpleAtoi(s, &i)) return i;
    return s;  // too large for int64: the descriptor walk decides
  }
  if (std::regex_match(s, kFloat)) {
    double d;
    if (absl::SimpleAtod(s, &d)) return d;
  }
  if (s == ".inf" || s == ".Inf" || s == "+.inf") return "Infinity";
  if (s == "-.inf" || s == "-.Inf") return "-Infinity";
  if (s == ".nan" || s == ".NaN") return "NaN";
  return s;
}

json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = YamlToJson(kv.second);
      return out;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(YamlToJson(item));
      return out;
    }
    case YAML::NodeType::Scalar:
      // "!" is yaml-cpp's tag for a quoted (non-plain) scalar: always a string.
      if (node.Tag() == "!") return node.Scalar();
      return PlainScalar(node.Scalar());
    default: return nullptr;
  }
}

// ---- descriptor helpers -----------------------------------------------------------

const pb::FieldDescriptor* FindField(const pb::Descriptor* type, const std::string& name) {
  if (const auto* f = type->FindFieldByName(name)) return f;
  for (int i = 0; i < type->field_count(); ++i)
    if (type->field(i)->json_name() == name) return type->field(i);
  return nullptr;
}

std::string FieldList(const pb::Descriptor* type) {
  std::vector<std::string> names;
  for (int i = 0; i < type->field_count(); ++i) names.push_back(type->field(i)->name());
  return absl::StrJoin(names, ", ");
}

absl::Status UnknownField(const pb::Descriptor* type, const std::string& path, const std::string& name) {
  return Usage(absl::StrCat(Join(path, name), ": no such field in ", type->full_name(), " (fields: ", FieldList(type),
                            ")"));
}

bool IsWellKnown(const pb::Descriptor* type) { return absl::StartsWith(type->file()->name(), "google/protobuf/"); }

// "STAGE_" for pmo.intake.v1.Stage: the part every value name shares.
std::string EnumPrefix(const pb::EnumDescriptor* type) {
  const std::string& zero = type->value(0)->name();
  if (absl::EndsWith(zero, "UNSPECIFIED")) return zero.substr(0, zero.size() - std::string("UNSPECIFIED").size());
  std::string prefix = zero;
  for (int i = 1; i < type->value_count(); ++i) {
    const std::string& n = type->value(i)->name();
    size_t k = 0;
    while (k < prefix.size() && k < n.size() && prefix[k] == n[k]) ++k;
    prefix.resize(k);
  }
  auto cut = prefix.rfind('_');
  return cut == std::string::npos ? "" : prefix.substr(0, cut + 1);
}

absl::Status WithPath(const std::string& path, const std::string& what) {
  return Usage(absl::StrCat(path.empty() ? "request" : path, ": ", what));
}

absl::Status NormaliseField(json& value, const pb::FieldDescriptor* field, const std::string& path);

absl::Status NormaliseScalar(json& value, const pb::FieldDescriptor* field, const std::string& path) {
  if (value.is_null()) return absl::OkStatus();
  switch (field->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_MESSAGE: return Normalise(value, field->message_type(), path);
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      if (value.is_number_integer()) return absl::OkStatus();
      if (!value.is_string()) return WithPath(path, "expected a value name of " + field->enum_type()->full_name());
      auto name = ResolveEnum(field->enum_type(), value.get<std::string>());
      if (!name.ok()) return WithPath(path, std::string(name.status().message()));
      value = *name;
      return absl::OkStatus();
    }
    case pb::FieldDescriptor::CPPTYPE_BOOL: {
      if (value.is_boolean()) return absl::OkStatus();
      std::string s = value.is_string() ? absl::AsciiStrToLower(value.get<std::string>()) : value.dump();
      if (s == "true" || s == "1") value = true;
      else if (s == "false" || s == "0") value = false;
      else return WithPath(path, absl::StrCat("expected true or false, got ", value.dump()));
      return absl::OkStatus();
    }
    case pb::FieldDescriptor::CPPTYPE_INT32:
    case pb::FieldDescriptor::CPPTYPE_INT64: {
      if (value.is_number_integer()) return absl::OkStatus();
      int64_t i;
      if (value.is_string() && absl::SimpleAtoi(value.get<std::string>(), &i)) {
        value = i;
        return absl::OkStatus();
      }
      return WithPath(path, absl::StrCat("expected an integer, got ", value.dump()));
    }
    case pb::FieldDescriptor::CPPTYPE_UINT32:
    case pb::FieldDescriptor::CPPTYPE_UINT64: {
      if (value.is_number_unsigned() || (value.is_number_integer() && value.get<int64_t>() >= 0))
        return absl::OkStatus();
      uint64_t u;
      if (value.is_string() && absl::SimpleAtoi(value.get<std::string>(), &u)) {
        value = u;
        return absl::OkStatus();
      }
      return WithPath(path, absl::StrCat("expected a non-negative integer, got ", value.dump()));
    }
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
    case pb::FieldDescriptor::CPPTYPE_FLOAT: {
      if (value.is_number()) return absl::OkStatus();
      if (value.is_string()) {
        const std::string s = value.get<std::string>();
        if (s == "NaN" || s == "Infinity" || s == "-Infinity") return absl::OkStatus();
        double d;
        if (absl::SimpleAtod(s, &d) && !s.empty() && !std::isspace(static_cast<unsigned char>(s.back()))) {
          value = d;
          return absl::OkStatus();
        }
      }
      return WithPath(path, absl::StrCat("expected a number, got ", value.dump()));
    }
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      if (value.is_string()) return absl::OkStatus();
      if (field->type() == pb::FieldDescriptor::TYPE_BYTES)
        return WithPath(path, "expected base64-encoded bytes as a string");
      if (value.is_number() || value.is_boolean()) {
        value = value.dump();  // YAML's `id: 123` or `--set` of a numeric-looking name
        return absl::OkStatus();
      }
      return WithPath(path, absl::StrCat("expected a string, got ", value.dump()));
    }
  }
  return absl::OkStatus();
}

absl::Status NormaliseField(json& value, const pb::FieldDescriptor* field, const std::string& path) {
  if (value.is_null()) return absl::OkStatus();
  if (field->is_map()) {
    if (!value.is_object()) return WithPath(path, "expected a map (an object of key: value)");
    const pb::FieldDescriptor* vf = field->message_type()->map_value();
    for (auto& [k, v] : value.items()) {
      if (auto s = NormaliseField(v, vf, path + "." + k); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  if (field->is_repeated()) {
    if (!value.is_array()) value = json::array({value});  // one value for a list of one
    for (size_t i = 0; i < value.size(); ++i) {
      if (auto s = NormaliseScalar(value[i], field, absl::StrCat(path, "[", i, "]")); !s.ok()) return s;
    }
    return absl::OkStatus();
  }
  return NormaliseScalar(value, field, path);
}

// "2027-03-31" → Date, "2027Q1" → Quarter / Period, "2027" → Period (a whole year).
std::optional<json> Shorthand(const pb::Descriptor* type, const std::string& s) {
  static const std::regex kDate("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
  static const std::regex kQuarter("(\\d{4})\\s*-?\\s*[Qq]([0-4])");
  static const std::regex kYear("(\\d{4})");
  std::smatch m;
  const std::string& name = type->full_name();
  if (name == "pmo.common.v1.Date" && std::regex_match(s, m, kDate))
    return json{{"year", std::stoi(m[1])}, {"month", std::stoi(m[2])}, {"day", std::stoi(m[3])}};
  if ((name == "pmo.common.v1.Quarter" || name == "pmo.okr.v1.Period") && std::regex_match(s, m, kQuarter))
    return json{{"year", std::stoi(m[1])}, {"quarter", std::stoi(m[2])}};
  if (name == "pmo.okr.v1.Period" && std::regex_match(s, m, kYear)) return json{{"year", std::stoi(m[1])}, {"quarter", 0}};
  return std::nullopt;
}

std::string ShorthandHint(const pb::Descriptor* type) {
  const std::string& name = type->full_name();
  if (name == "pmo.common.v1.Date") return " (or \"yyyy-mm-dd\")";
  if (name == "pmo.common.v1.Quarter") return " (or \"2027Q1\")";
  if (name == "pmo.okr.v1.Period") return " (or \"2027Q1\", \"2027\")";
  return "";
}

// --set paths: "a.b[2].c".
struct Segment {
  std::string name;
  std::optional<size_t> index;
};

absl::StatusOr<std::vector<Segment>> ParsePath(const std::string& path) {
  static const std::regex kSegment("([^\\[\\]]+)(\\[(\\d+)\\])?");
  std::vector<Segment> out;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    std::string p(part);
    std::smatch m;
    if (!std::regex_match(p, m, kSegment)) return Usage(absl::StrCat("bad field path \"", path, "\" at \"", p, "\""));
    Segment s{m[1], std::nullopt};
    if (m[3].matched) {
      size_t index = 0;
      if (!absl::SimpleAtoi(m[3].str(), &index) || index > 100000)
        return Usage(absl::StrCat("bad field path \"", path, "\": index ", m[3].str(), " is out of range"));
      s.index = index;
    }
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<json> TypedValue(const pb::FieldDescriptor* field, const std::string& value, bool whole_list,
                                const std::string& path) {
  bool json_shaped = !value.empty() && (value.front() == '{' || value.front() == '[');
  if ((field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE || whole_list) && json_shaped) {
    json parsed = json::parse(value, nullptr, false);
    if (parsed.is_discarded()) return Usage(absl::StrCat(path, ": not valid JSON: ", value));
    return parsed;
  }
  return json(value);  // typed by Normalise
}

}  // namespace

absl::StatusOr<nlohmann::json> ParseDocument(const std::string& text, const std::string& name) {
  size_t first = text.find_first_not_of(" \t\r\n");
  bool looks_json = first != std::string::npos && (text[first] == '{' || text[first] == '[');
  std::string json_error;
  if (looks_json || absl::EndsWith(name, ".json")) {
    try {
      return json::parse(text);
    } catch (const json::parse_error& e) {
      json_error = e.what();
      if (absl::EndsWith(name, ".json")) return Usage(absl::StrCat(name, ": not valid JSON: ", json_error));
    }
  }
  try {
    YAML::Node node = YAML::Load(text);
    if (!node.IsMap()) return Usage(absl::StrCat(name, ": expected a JSON or YAML object at the top"));
    return YamlToJson(node);
  } catch (const YAML::Exception& e) {
    if (!json_error.empty()) return Usage(absl::StrCat(name, ": not valid JSON: ", json_error));
    return Usage(absl::StrCat(name, ": not valid YAML: ", e.what()));
  }
}

absl::StatusOr<nlohmann::json> ReadDocument(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Usage(absl::StrCat(path, ": cannot read the file (", std::strerror(errno), ")"));
  std::stringstream buf;
  buf << in.rdbuf();
  return ParseDocument(buf.str(), path);
}

absl::StatusOr<std::string> ResolveEnum(const pb::EnumDescriptor* type, const std::string& text) {
  if (const auto* v = type->FindValueByName(text)) return v->name();
  std::string upper = absl::AsciiStrToUpper(text);
  std::replace(upper.begin(), upper.end(), '-', '_');
  std::replace(upper.begin(), upper.end(), ' ', '_');
  const std::string prefix = EnumPrefix(type);
  if (const auto* v = type->FindValueByName(upper)) return v->name();
  if (const auto* v = type->FindValueByName(prefix + upper)) return v->name();
  int number;
  if (absl::SimpleAtoi(text, &number)) {
    if (const auto* v = type->FindValueByNumber(number)) return v->name();
  }
  std::vector<std::string> names;
  for (int i = 0; i < type->value_count(); ++i) {
    const std::string& n = type->value(i)->name();
    if (absl::EndsWith(n, "_UNSPECIFIED")) continue;
    names.push_back(n.substr(prefix.size()));
  }
  return Usage(absl::StrCat("unknown value \"", text, "\" of ", type->full_name(), " (one of ",
                            absl::StrJoin(names, ", "), ")"));
}

const pb::FieldDescriptor* FieldAt(const pb::Descriptor* type, const std::string& path) {
  const pb::FieldDescriptor* f = nullptr;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (f) {
      if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE || f->is_map()) return nullptr;
      type = f->message_type();
    }
    f = FindField(type, std::string(part));
    if (!f) return nullptr;
  }
  return f;
}

absl::Status Normalise(nlohmann::json& value, const pb::Descriptor* type, const std::string& path) {
  if (value.is_null() || IsWellKnown(type)) return absl::OkStatus();
  if (value.is_string()) {
    if (auto expanded = Shorthand(type, value.get<std::string>())) {
      value = std::move(*expanded);
      return absl::OkStatus();
    }
  }
  if (!value.is_object())
    return WithPath(path, absl::StrCat("expected an object (", type->full_name(), ")", ShorthandHint(type), ", got ",
                                       value.dump()));
  json out = json::object();
  for (auto& [key, v] : value.items()) {
    const pb::FieldDescriptor* field = FindField(type, key);
    if (!field) return UnknownField(type, path, key);
    if (out.contains(field->name()))
      return WithPath(Join(path, field->name()), "given twice (as " + field->name() + " and " + field->json_name() + ")");
    json item = std::move(v);
    if (auto s = NormaliseField(item, field, Join(path, field->name())); !s.ok()) return s;
    out[field->name()] = std::move(item);
  }
  value = std::move(out);
  return absl::OkStatus();
}

absl::Status SetField(nlohmann::json& root, const pb::Descriptor* type, const std::string& path,
                      const std::string& value) {
  auto segments = ParsePath(path);
  if (!segments.ok()) return segments.status();
  json* cur = &root;
  const pb::Descriptor* d = type;
  std::string walked;
  for (size_t i = 0; i < segments->size(); ++i) {
    const Segment& seg = (*segments)[i];
    const bool last = i + 1 == segments->size();
    if (cur->is_null()) *cur = json::object();
    if (!cur->is_object()) return WithPath(walked, "is not a message; it has no field " + seg.name);
    const pb::FieldDescriptor* f = FindField(d, seg.name);
    if (!f) return UnknownField(d, walked, seg.name);
    const std::string here = Join(walked, f->name());
    json& slot = (*cur)[f->name()];
    if (f->is_map()) {
      if (seg.index) return WithPath(here, "is a map: use " + here + ".KEY=VALUE");
      if (last) {
        auto v = TypedValue(f, value, true, here);
        if (!v.ok()) return v.status();
        slot = std::move(*v);
        return absl::OkStatus();
      }
      const std::string& key = (*segments)[++i].name;
      const pb::FieldDescriptor* vf = f->message_type()->map_value();
      if (slot.is_null()) slot = json::object();
      json& entry = slot[key];
      if (i + 1 == segments->size()) {
        auto v = TypedValue(vf, value, false, here + "." + key);
        if (!v.ok()) return v.status();
        entry = std::move(*v);
        return absl::OkStatus();
      }
      if (vf->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE)
        return WithPath(here + "." + key, "is a " + std::string(vf->type_name()) + ", not a message");
      cur = &entry;
      d = vf->message_type();
      walked = here + "." + key;
      continue;
    }
    if (f->is_repeated()) {
      if (slot.is_null()) slot = json::array();
      if (!slot.is_array()) slot = json::array({slot});
      if (!seg.index) {
        if (!last)
          return WithPath(here, "is a list: name an element, e.g. " + here + "[0]." + (*segments)[i + 1].name);
        auto v = TypedValue(f, value, true, here);
        if (!v.ok()) return v.status();
        if (v->is_array()) slot = std::move(*v);
        else slot.push_back(std::move(*v));
        return absl::OkStatus();
      }
      size_t idx = *seg.index;
      if (idx > slot.size())
        return WithPath(here, absl::StrCat("has ", slot.size(), " elements; the next one is [", slot.size(), "]"));
      if (idx == slot.size()) slot.push_back(nullptr);
      json& elem = slot[idx];
      const std::string at = absl::StrCat(here, "[", idx, "]");
      if (last) {
        auto v = TypedValue(f, value, false, at);
        if (!v.ok()) return v.status();
        elem = std::move(*v);
        return absl::OkStatus();
      }
      if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE)
        return WithPath(at, "is a " + std::string(f->type_name()) + ", not a message");
      cur = &elem;
      d = f->message_type();
      walked = at;
      continue;
    }
    if (seg.index) return WithPath(here, "is not a list");
    if (last) {
      auto v = TypedValue(f, value, false, here);
      if (!v.ok()) return v.status();
      slot = std::move(*v);
      return absl::OkStatus();
    }
    if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE)
      return WithPath(here, "is a " + std::string(f->type_name()) + ", not a message");
    cur = &slot;
    d = f->message_type();
    walked = here;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<pb::Message>> BuildRequest(const pb::Descriptor* type, const RequestInput& input) {
  json root = json::object();
  if (!input.file.empty()) {
    auto doc = ReadDocument(input.file);
    if (!doc.ok()) return doc.status();
    if (!input.body.empty()) {
      const pb::FieldDescriptor* body = type->FindFieldByName(input.body);
      bool whole = doc->is_object() && body && (doc->contains(body->name()) || doc->contains(body->json_name()));
      if (!whole) *doc = json{{input.body, std::move(*doc)}};
    }
    if (auto s = Normalise(*doc, type); !s.ok()) return Usage(absl::StrCat(input.file, ": ", s.message()));
    root = std::move(*doc);
  }
  for (const auto& [path, value] : input.fields) {
    if (auto s = SetField(root, type, path, value); !s.ok()) return s;
  }
  for (const std::string& set : input.sets) {
    auto eq = set.find('=');
    if (eq == std::string::npos || eq == 0)
      return Usage(absl::StrCat("--set ", set, ": expected field.path=value"));
    if (auto s = SetField(root, type, set.substr(0, eq), set.substr(eq + 1)); !s.ok())
      return Usage(absl::StrCat("--set ", set, ": ", s.message()));
  }
  if (auto s = Normalise(root, type); !s.ok()) return s;
  std::unique_ptr<pb::Message> msg(pb::MessageFactory::generated_factory()->GetPrototype(type)->New());
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = pb::util::JsonStringToMessage(root.dump(), msg.get(), options);
  if (!parsed.ok()) return Usage(absl::StrCat("request ", type->full_name(), ": ", parsed.message().as_string()));
  return msg;
}

}  // namespace pmo::ctl
