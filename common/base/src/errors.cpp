#include "pmo/base/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace pmo {
namespace {
// The payload is a google.rpc.BadRequest encoded by hand (field 1: repeated
// FieldViolation{1: field, 2: description}) so this library needs no protobuf; the
// gRPC edge passes the bytes through unchanged and any client decodes them.
void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}
void PutBytes(std::string& out, int field, std::string_view bytes) {
  PutVarint(out, (static_cast<uint64_t>(field) << 3) | 2);
  PutVarint(out, bytes.size());
  out.append(bytes);
}
bool GetVarint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    auto b = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}
// Reads length-delimited fields only; anything else ends decoding (it is our own format).
bool NextBytes(std::string_view& in, int& field, std::string_view& bytes) {
  uint64_t tag, len;
  if (!GetVarint(in, tag) || (tag & 7) != 2 || !GetVarint(in, len) || len > in.size()) return false;
  field = static_cast<int>(tag >> 3);
  bytes = in.substr(0, len);
  in.remove_prefix(len);
  return true;
}
}  // namespace

absl::Status Violations::ToStatus(std::string_view summary) const {
  if (list_.empty()) return absl::OkStatus();
  return InvalidArgument(summary, list_);
}

absl::Status InvalidArgument(std::string_view summary, const std::vector<FieldViolation>& violations) {
  std::string message(summary);
  std::string payload;
  for (size_t i = 0; i < violations.size(); ++i) {
    const auto& v = violations[i];
    absl::StrAppend(&message, i == 0 ? ": " : "; ", v.field, ": ", v.description);
    std::string fv;
    PutBytes(fv, 1, v.field);
    PutBytes(fv, 2, v.description);
    PutBytes(payload, 1, fv);
  }
  absl::Status status(absl::StatusCode::kInvalidArgument, message);
  if (!violations.empty()) status.SetPayload(kViolationsPayloadUrl, absl::Cord(payload));
  return status;
}

std::vector<FieldViolation> ViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kViolationsPayloadUrl);
  if (!payload) return out;
  std::string flat(*payload);
  std::string_view in(flat);
  int field;
  std::string_view bytes;
  while (NextBytes(in, field, bytes)) {
    if (field != 1) continue;
    FieldViolation v;
    std::string_view inner = bytes;
    int f;
    std::string_view b;
    while (NextBytes(inner, f, b)) {
      if (f == 1) v.field = std::string(b);
      if (f == 2) v.description = std::string(b);
    }
    out.push_back(std::move(v));
  }
  return out;
}

absl::Status FailedPrecondition(std::string_view summary, const std::vector<PreconditionViolation>& violations) {
  std::string message(summary);
  std::string payload;
  for (size_t i = 0; i < violations.size(); ++i) {
    const auto& v = violations[i];
    absl::StrAppend(&message, i == 0 ? ": " : "; ", v.description);
    std::string pv;
    PutBytes(pv, 1, v.type);
    PutBytes(pv, 2, v.subject);
    PutBytes(pv, 3, v.description);
    PutBytes(payload, 1, pv);
  }
  absl::Status status(absl::StatusCode::kFailedPrecondition, message);
  if (!violations.empty()) status.SetPayload(kPreconditionPayloadUrl, absl::Cord(payload));
  return status;
}

std::vector<PreconditionViolation> PreconditionViolationsOf(const absl::Status& status) {
  std::vector<PreconditionViolation> out;
  auto payload = status.GetPayload(kPreconditionPayloadUrl);
  if (!payload) return out;
  std::string flat(*payload);
  std::string_view in(flat);
  int field;
  std::string_view bytes;
  while (NextBytes(in, field, bytes)) {
    if (field != 1) continue;
    PreconditionViolation v;
    std::string_view inner = bytes;
    int f;
    std::string_view b;
    while (NextBytes(inner, f, b)) {
      if (f == 1) v.type = std::string(b);
      if (f == 2) v.subject = std::string(b);
      if (f == 3) v.description = std::string(b);
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace pmo
