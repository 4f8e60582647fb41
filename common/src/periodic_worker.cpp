#include "pmo/common/periodic_worker.h"

#include "pmo/common/log.h"

namespace pmo {

PeriodicWorker::PeriodicWorker(std::string name, std::chrono::milliseconds interval, std::function<absl::Status()> task)
    : name_(std::move(name)), interval_(interval), task_(std::move(task)) {}

PeriodicWorker::~PeriodicWorker() { Stop(std::chrono::milliseconds(0)); }

void PeriodicWorker::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      if (auto s = task_(); !s.ok()) log::Warn("periodic task failed; retrying", {{"worker", name_}, {"reason", s.ToString()}});
      lock.lock();
      cv_.wait_for(lock, interval_, [&] { return stop_; });
    }
  });
}

void PeriodicWorker::Stop(std::chrono::milliseconds) {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace pmo
