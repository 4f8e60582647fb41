// Error conventions shared by every layer: domain code returns absl::Status /
// absl::StatusOr, and bad input carries one FieldViolation per problem found.
// This header depends on abseil only, so pure domain libraries can use it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace pmo {

// One problem with one input field, in google.rpc.BadRequest terms: `field` is a
// path such as "business_case.benefits[2].target", `description` says what is wrong.
struct FieldViolation {
  std::string field;
  std::string description;
  bool operator==(const FieldViolation&) const = default;
};

// Collects every violation found while validating an input, so a caller sees all of
// them at once instead of fixing one per round trip.
class Violations {
 public:
  void Add(std::string field, std::string description) {
    list_.push_back({std::move(field), std::move(description)});
  }
  bool empty() const { return list_.empty(); }
  size_t size() const { return list_.size(); }
  const std::vector<FieldViolation>& list() const { return list_; }
  // OK when nothing was added; INVALID_ARGUMENT carrying every violation otherwise.
  absl::Status ToStatus(std::string_view summary = "invalid request") const;

 private:
  std::vector<FieldViolation> list_;
};

// Builds INVALID_ARGUMENT with the violations attached as a payload (see
// ViolationsOf). The message also lists them, so plain-text clients see every one.
absl::Status InvalidArgument(std::string_view summary, const std::vector<FieldViolation>& violations);

// The violations attached to a status by InvalidArgument (empty if none).
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);

// One unmet precondition, in google.rpc.PreconditionFailure terms: `type` is a
// machine-readable reason ("GATE_MEASURABLE_KEY_RESULT"), `subject` what it is about.
struct PreconditionViolation {
  std::string type;
  std::string subject;
  std::string description;
  bool operator==(const PreconditionViolation&) const = default;
};

// FAILED_PRECONDITION listing every unmet condition in the message and as a
// google.rpc.PreconditionFailure payload.
absl::Status FailedPrecondition(std::string_view summary, const std::vector<PreconditionViolation>& violations);
std::vector<PreconditionViolation> PreconditionViolationsOf(const absl::Status& status);

inline constexpr char kPreconditionPayloadUrl[] = "type.googleapis.com/google.rpc.PreconditionFailure";

// Payload type URL under which violations travel on an absl::Status; the gRPC edge
// turns it into a google.rpc.BadRequest detail.
inline constexpr char kViolationsPayloadUrl[] = "type.googleapis.com/google.rpc.BadRequest";

// Debian's abseil has its own string_view type; this bridges from the standard one.
inline absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace pmo
