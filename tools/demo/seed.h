// Seeds a demo plan into a running suite through the five services' public gRPC APIs,
// in the order a real PMO would work: strategy first, then the model, the intake, the
// gates, delivery data, scenarios and finally the evidence review. Where a step needs
// another service to have consumed an event first (a value gate needs okr's links and
// benefits' register), it retries until that service has caught up or the deadline
// passes — and then says which step and why.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "demo_data.h"

namespace pmo::demo {

struct Endpoints {
  std::string intake = "127.0.0.1:7101";
  std::string scoring = "127.0.0.1:7102";
  std::string okr = "127.0.0.1:7103";
  std::string benefits = "127.0.0.1:7104";
  std::string reporting = "127.0.0.1:7105";
};

struct SeedOptions {
  Endpoints endpoints;
  // The bound on each wait for another service to catch up (and on the health wait).
  std::chrono::seconds catch_up_timeout{90};
  std::function<void(const std::string&)> log = [](const std::string&) {};
};

// What the seed made, for the summary it prints and the tests.
struct SeedResult {
  bool already_seeded = false;
  int initiatives = 0;
  std::string review_id;
  std::vector<std::string> scenario_ids;
};

absl::StatusOr<SeedResult> Seed(const Plan& plan, const SeedOptions& options);

// Whether a refusal means "another service has not consumed the event yet": a retryable
// code (UNAVAILABLE, ABORTED), or a refused gate whose every unmet condition is a read
// model catching up (the GATE_*_NOT_CAUGHT_UP types of its google.rpc.PreconditionFailure).
// A gate refused for any real reason is final.
bool IsCatchingUp(const absl::Status& status);

}  // namespace pmo::demo
