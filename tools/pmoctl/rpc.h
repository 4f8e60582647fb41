// Calling the services: any unary method found in the generated descriptor pool,
// through grpc::GenericStub (one code path for every command), and the standard health
// check.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include "absl/status/statusor.h"

namespace pmo::ctl {

// References one message of every generated file pmoctl uses, so the linker keeps
// their objects (from static libraries) and the generated pool knows them: the method
// lookup below, and the JSON mapping of an event's Any payload, depend on it.
void LinkGeneratedProtos();

// "pmo.intake.v1.IntakeService.SubmitInitiative" → its descriptor.
absl::StatusOr<const google::protobuf::MethodDescriptor*> FindMethod(const std::string& full_name);

struct CallResult {
  grpc::Status status;
  std::unique_ptr<google::protobuf::Message> response;  // set when status is OK
};

// One unary call on a plaintext channel to `address`, with a deadline `timeout` away.
CallResult CallUnary(const std::string& address, const google::protobuf::MethodDescriptor* method,
                     const google::protobuf::Message& request, std::chrono::milliseconds timeout);

struct Health {
  bool reachable = false;  // the call itself succeeded
  std::string status;      // SERVING, NOT_SERVING, ... or the call's error
};
// grpc.health.v1.Health/Check for the server as a whole ("").
Health CheckHealth(const std::string& address, std::chrono::milliseconds timeout);

}  // namespace pmo::ctl
