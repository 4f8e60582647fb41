// A worker that runs one task now and then every `interval` until stopped: gauge
// refreshes, pending re-scores and similar housekeeping a service host runs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "pmo/common/worker.h"

namespace pmo {

class PeriodicWorker final : public Worker {
 public:
  // A failed run is logged at `warn` and retried at the next interval.
  PeriodicWorker(std::string name, std::chrono::milliseconds interval, std::function<absl::Status()> task);
  ~PeriodicWorker() override;

  std::string name() const override { return name_; }
  void Start() override;
  void Stop(std::chrono::milliseconds budget) override;

 private:
  std::string name_;
  std::chrono::milliseconds interval_;
  std::function<absl::Status()> task_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace pmo
