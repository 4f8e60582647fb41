#include "render.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <yaml-cpp/yaml.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace pmo::ctl {

namespace pb = google::protobuf;

absl::StatusOr<Format> ParseFormat(const std::string& name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "yaml") return Format::kYaml;
  return absl::InvalidArgumentError("-o " + name + ": expected table, json or yaml");
}

absl::StatusOr<std::string> ToJson(const pb::Message& message, bool pretty) {
  pb::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  std::string out;
  auto s = pb::util::MessageToJsonString(message, &out, options);
  if (!s.ok()) return absl::InternalError("rendering " + message.GetTypeName() + " as JSON: " + s.message().as_string());
  return out;
}

// ---- YAML -------------------------------------------------------------------------

namespace {

bool NeedsQuotes(const std::string& s) {
  static const std::regex kNumber("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|0x[0-9a-fA-F]+|0o[0-7]+");
  static const std::regex kDateLike("[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*");
  static const std::set<std::string> kWords = {"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"};
  if (kWords.count(absl::AsciiStrToLower(s))) return true;
  return std::regex_match(s, kNumber) || std::regex_match(s, kDateLike);
}

void EmitString(YAML::Emitter& e, const std::string& s) {
  if (NeedsQuotes(s)) e << YAML::DoubleQuoted << s;
  else e << s;
}

void EmitYaml(YAML::Emitter& e, const nlohmann::ordered_json& v) {
  if (v.is_object()) {
    if (v.empty()) {
      e << YAML::Flow << YAML::BeginMap << YAML::EndMap;
      return;
    }
    e << YAML::BeginMap;
    for (const auto& [k, item] : v.items()) {
      e << YAML::Key;
      EmitString(e, k);
      e << YAML::Value;
      EmitYaml(e, item);
    }
    e << YAML::EndMap;
  } else if (v.is_array()) {
    if (v.empty()) {
      e << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
      return;
    }
    e << YAML::BeginSeq;
    for (const auto& item : v) EmitYaml(e, item);
    e << YAML::EndSeq;
  } else if (v.is_string()) {
    EmitString(e, v.get<std::string>());
  } else if (v.is_null()) {
    e << YAML::Null;
  } else {
    e << v.dump();  // numbers and booleans, as plain scalars
  }
}

}  // namespace

std::string JsonToYaml(const nlohmann::ordered_json& value) {
  YAML::Emitter e;
  EmitYaml(e, value);
  std::string out = e.c_str();
  if (out.empty() || out.back() != '\n') out += '\n';
  return out;
}

// ---- tables -----------------------------------------------------------------------

namespace {

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string Truncate(std::string s, size_t max_chars = 60) {
  for (char& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  if (DisplayWidth(s) <= max_chars) return s;
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == max_chars - 1) break;
      ++chars;
    }
  }
  return s.substr(0, i) + "…";
}

std::string Number(double d, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, d);
  return buf;
}

std::string ShortEnum(const pb::EnumValueDescriptor* v) {
  const std::string& name = v->name();
  const std::string& zero = v->type()->value(0)->name();
  if (absl::EndsWith(zero, "UNSPECIFIED")) {
    std::string prefix = zero.substr(0, zero.size() - std::string("UNSPECIFIED").size());
    if (absl::StartsWith(name, prefix) && name.size() > prefix.size()) return name.substr(prefix.size());
  }
  return name;
}

int CurrencyExponent(const std::string& currency) {
  static const std::set<std::string> kZero = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                              "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"};
  static const std::set<std::string> kThree = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  if (kZero.count(currency)) return 0;
  if (kThree.count(currency)) return 3;
  return 2;
}

// Value types shown in one cell.
bool IsCompact(const pb::Descriptor* d) {
  static const std::set<std::string> kTypes = {"pmo.common.v1.Date", "pmo.common.v1.Quarter", "pmo.common.v1.Money",
                                               "pmo.okr.v1.Period", "google.protobuf.Timestamp",
                                               "google.protobuf.Duration"};
  return kTypes.count(d->full_name()) > 0;
}

int64_t IntField(const pb::Message& m, const char* name) {
  const pb::FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  if (!f) return 0;
  const pb::Reflection* r = m.GetReflection();
  return f->cpp_type() == pb::FieldDescriptor::CPPTYPE_INT64 ? r->GetInt64(m, f) : r->GetInt32(m, f);
}

std::string Compact(const pb::Message& m) {
  const std::string& type = m.GetDescriptor()->full_name();
  char buf[64];
  if (type == "pmo.common.v1.Date") {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(IntField(m, "year")),
                  static_cast<int>(IntField(m, "month")), static_cast<int>(IntField(m, "day")));
    return buf;
  }
  if (type == "pmo.common.v1.Quarter" || type == "pmo.okr.v1.Period") {
    int64_t q = IntField(m, "quarter");
    return q == 0 ? absl::StrCat(IntField(m, "year")) : absl::StrCat(IntField(m, "year"), "Q", q);
  }
  if (type == "pmo.common.v1.Money") {
    const pb::FieldDescriptor* cf = m.GetDescriptor()->FindFieldByName("currency");
    std::string currency = m.GetReflection()->GetString(m, cf);
    int64_t minor = IntField(m, "minor_units");
    int exp = CurrencyExponent(currency);
    int64_t scale = 1;
    for (int i = 0; i < exp; ++i) scale *= 10;
    std::string sign = minor < 0 ? "-" : "";
    uint64_t a = minor < 0 ? static_cast<uint64_t>(-(minor + 1)) + 1 : static_cast<uint64_t>(minor);
    std::string amount = absl::StrCat(sign, a / scale);
    if (exp > 0) {
      std::snprintf(buf, sizeof buf, ".%0*llu", exp, static_cast<unsigned long long>(a % scale));
      amount += buf;
    }
    return currency.empty() ? amount : amount + " " + currency;
  }
  if (type == "google.protobuf.Timestamp") {
    pb::Timestamp ts;
    ts.ParseFromString(m.SerializeAsString());
    return pb::util::TimeUtil::ToString(ts);
  }
  if (type == "google.protobuf.Duration") {
    pb::Duration d;
    d.ParseFromString(m.SerializeAsString());
    return pb::util::TimeUtil::ToString(d);
  }
  return m.ShortDebugString();
}

// One value of a non-message (or compact message) field; `index` < 0 for singular.
std::string Cell(const pb::Message& m, const pb::FieldDescriptor* f, int index) {
  const pb::Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32: return absl::StrCat(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_INT64: return absl::StrCat(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      return Number(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f), 15);
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      return Number(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f), 7);
    case pb::FieldDescriptor::CPPTYPE_BOOL: return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      int number = rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      const auto* v = f->enum_type()->FindValueByNumber(number);
      return v ? ShortEnum(v) : absl::StrCat(number);
    }
    case pb::FieldDescriptor::CPPTYPE_STRING: return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      return Compact(rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f));
  }
  return "";
}

bool IsCellField(const pb::FieldDescriptor* f) {
  if (f->is_map()) {
    const auto* v = f->message_type()->map_value();
    return v->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE || IsCompact(v->message_type());
  }
  return f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE || IsCompact(f->message_type());
}

// A cell-field's whole content: repeated values and map entries joined.
std::string FieldCell(const pb::Message& m, const pb::FieldDescriptor* f) {
  const pb::Reflection* r = m.GetReflection();
  if (f->is_map()) {
    std::vector<std::string> parts;
    for (int i = 0; i < r->FieldSize(m, f); ++i) {
      const pb::Message& entry = r->GetRepeatedMessage(m, f, i);
      const auto* kd = entry.GetDescriptor()->map_key();
      const auto* vd = entry.GetDescriptor()->map_value();
      parts.push_back(Cell(entry, kd, -1) + "=" + Cell(entry, vd, -1));
    }
    std::sort(parts.begin(), parts.end());
    return absl::StrJoin(parts, ", ");
  }
  if (f->is_repeated()) {
    std::vector<std::string> parts;
    for (int i = 0; i < r->FieldSize(m, f); ++i) parts.push_back(Cell(m, f, i));
    return absl::StrJoin(parts, ", ");
  }
  return Cell(m, f, -1);
}

struct Section {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

void Flatten(const pb::Message& m, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& kv,
             std::vector<Section>& sections);

void AddRows(const pb::Message& m, const pb::FieldDescriptor* f, const std::string& name,
             std::vector<std::pair<std::string, std::string>>& kv, std::vector<Section>& sections) {
  const pb::Reflection* r = m.GetReflection();
  const int n = r->FieldSize(m, f);
  const pb::Descriptor* d = f->message_type();
  // Columns: the element's cell fields that at least one element sets, in field order.
  std::vector<const pb::FieldDescriptor*> columns;
  for (int c = 0; c < d->field_count(); ++c) {
    const pb::FieldDescriptor* cf = d->field(c);
    if (!IsCellField(cf)) continue;
    for (int i = 0; i < n; ++i) {
      const pb::Message& e = r->GetRepeatedMessage(m, f, i);
      bool set = cf->is_repeated() ? e.GetReflection()->FieldSize(e, cf) > 0 : e.GetReflection()->HasField(e, cf);
      if (set) {
        columns.push_back(cf);
        break;
      }
    }
  }
  if (columns.empty()) {  // nothing to tabulate: each element as its own key/value block
    for (int i = 0; i < n; ++i) Flatten(r->GetRepeatedMessage(m, f, i), absl::StrCat(name, "[", i, "]"), kv, sections);
    return;
  }
  Section s;
  s.title = name;
  for (const auto* cf : columns) s.header.push_back(absl::AsciiStrToUpper(cf->name()));
  for (int i = 0; i < n; ++i) {
    const pb::Message& e = r->GetRepeatedMessage(m, f, i);
    std::vector<std::string> row;
    for (const auto* cf : columns) {
      bool set = cf->is_repeated() ? e.GetReflection()->FieldSize(e, cf) > 0 : e.GetReflection()->HasField(e, cf);
      // A number or flag without presence is 0 / false when unset: show that, not a gap.
      bool zero_value = !cf->is_repeated() && !cf->has_presence() &&
                        cf->cpp_type() != pb::FieldDescriptor::CPPTYPE_STRING &&
                        cf->cpp_type() != pb::FieldDescriptor::CPPTYPE_ENUM;
      row.push_back(set || zero_value ? Truncate(FieldCell(e, cf)) : "");
    }
    s.rows.push_back(std::move(row));
  }
  sections.push_back(std::move(s));
}

void Flatten(const pb::Message& m, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& kv,
             std::vector<Section>& sections) {
  std::vector<const pb::FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const auto* f : fields) {
    const std::string name = prefix.empty() ? f->name() : prefix + "." + f->name();
    if (IsCellField(f)) {
      kv.emplace_back(name, Truncate(FieldCell(m, f), 100));
    } else if (f->is_map()) {  // map of messages
      const pb::Reflection* r = m.GetReflection();
      for (int i = 0; i < r->FieldSize(m, f); ++i) {
        const pb::Message& entry = r->GetRepeatedMessage(m, f, i);
        const auto* vd = entry.GetDescriptor()->map_value();
        Flatten(entry.GetReflection()->GetMessage(entry, vd),
                name + "." + Cell(entry, entry.GetDescriptor()->map_key(), -1), kv, sections);
      }
    } else if (f->is_repeated()) {
      AddRows(m, f, name, kv, sections);
    } else {
      Flatten(m.GetReflection()->GetMessage(m, f), name, kv, sections);
    }
  }
}

}  // namespace

std::string FormatRows(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  size_t columns = header.size();
  for (const auto& row : rows) columns = std::max(columns, row.size());
  std::vector<size_t> width(columns, 0);
  for (size_t c = 0; c < header.size(); ++c) width[c] = DisplayWidth(header[c]);
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], DisplayWidth(row[c]));
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    std::string l;
    for (size_t c = 0; c < cells.size(); ++c) {
      l += cells[c];
      if (c + 1 < cells.size()) l += std::string(width[c] - DisplayWidth(cells[c]) + 2, ' ');
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  if (!header.empty()) line(header);
  for (const auto& row : rows) line(row);
  return out;
}

std::string RenderTable(const pb::Message& message) {
  std::vector<std::pair<std::string, std::string>> kv;
  std::vector<Section> sections;
  Flatten(message, "", kv, sections);
  if (kv.empty() && sections.empty()) return "(empty " + message.GetDescriptor()->name() + ")\n";
  std::vector<std::vector<std::string>> kv_rows;
  for (auto& [k, v] : kv) kv_rows.push_back({k, v});
  // A list response (ListPortfoliosResponse, GetRankingResponse, ...): its rows first,
  // the paging fields after them.
  const bool list_first = sections.size() == 1 && absl::EndsWith(message.GetDescriptor()->name(), "Response") &&
                          sections[0].title.find_first_of(".[") == std::string::npos;
  if (list_first) {
    std::string out = FormatRows(sections[0].header, sections[0].rows);
    if (!kv_rows.empty()) out += "\n" + FormatRows({}, kv_rows);
    return out;
  }
  std::string out = kv_rows.empty() ? "" : FormatRows({}, kv_rows);
  const bool titled = !kv.empty() || sections.size() > 1;
  for (const auto& s : sections) {
    if (!out.empty()) out += "\n";
    if (titled) out += s.title + ":\n";
    out += FormatRows(s.header, s.rows);
  }
  return out;
}

absl::StatusOr<std::string> Render(const pb::Message& message, Format format) {
  switch (format) {
    case Format::kTable: return RenderTable(message);
    case Format::kJson: {
      auto j = ToJson(message, true);
      if (!j.ok()) return j.status();
      if (j->empty() || j->back() != '\n') *j += "\n";
      return j;
    }
    case Format::kYaml: {
      auto j = ToJson(message, false);
      if (!j.ok()) return j.status();
      return JsonToYaml(nlohmann::ordered_json::parse(*j));
    }
  }
  return absl::InternalError("unknown format");
}

// ---- errors -----------------------------------------------------------------------

std::string RenderError(const grpc::Status& status, const std::string& context) {
  std::vector<std::string> lines;
  std::vector<std::string> listed;  // how the services' messages list the same violations
  google::rpc::Status rich;
  if (!status.error_details().empty() && rich.ParseFromString(status.error_details())) {
    for (const auto& detail : rich.details()) {
      google::rpc::BadRequest bad;
      google::rpc::PreconditionFailure pre;
      if (detail.Is<google::rpc::BadRequest>() && detail.UnpackTo(&bad)) {
        for (const auto& v : bad.field_violations()) {
          lines.push_back(absl::StrCat("  ", v.field(), ": ", v.description()));
          listed.push_back(absl::StrCat(v.field(), ": ", v.description()));
        }
      } else if (detail.Is<google::rpc::PreconditionFailure>() && detail.UnpackTo(&pre)) {
        for (const auto& v : pre.violations()) {
          lines.push_back(absl::StrCat("  ", v.type(), v.subject().empty() ? "" : " (" + v.subject() + ")", ": ",
                                       v.description()));
          listed.push_back(v.description());
        }
      }
    }
  }
  std::string message = status.error_message();
  if (!listed.empty()) {
    const std::string suffix = ": " + absl::StrJoin(listed, "; ");
    if (message.size() > suffix.size() && absl::EndsWith(message, suffix))
      message.resize(message.size() - suffix.size());
  }
  if (!context.empty() && (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                           status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED))
    message = context + ": " + message;
  std::string out = absl::StrCat("error: ", CodeName(status.error_code()), ": ", message, "\n");
  for (const auto& l : lines) out += l + "\n";
  return out;
}

}  // namespace pmo::ctl
