// The one place where absl::Status becomes grpc::Status and back. Rich details
// (google.rpc.BadRequest, PreconditionFailure) travel as a serialized google.rpc.Status
// in the standard grpc-status-details-bin trailer, so any gRPC client can decode them.
#pragma once

#include <grpcpp/support/status.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace pmo {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// A status code's canonical name ("INVALID_ARGUMENT"); "CODE_<n>" for a code outside
// the standard ones. Used for metric labels and error output alike.
std::string CodeName(grpc::StatusCode code);

// A handler's answer: the value into `out`, or the error mapped to gRPC.
template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* out) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *out = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace pmo
