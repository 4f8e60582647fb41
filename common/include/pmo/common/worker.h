// A background activity a service host starts after its gRPC server and stops, within
// a time budget, during graceful shutdown: consumers, the outbox relay, projections.
#pragma once

#include <chrono>
#include <string>

namespace pmo {

class Worker {
 public:
  virtual ~Worker() = default;
  virtual std::string name() const = 0;
  virtual void Start() = 0;
  virtual void Stop(std::chrono::milliseconds budget) = 0;
};

}  // namespace pmo
