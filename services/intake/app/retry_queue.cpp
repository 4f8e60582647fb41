#include "services/intake/app/retry_queue.h"

namespace pmo::intake::app {

RetryQueue::RetryQueue()
    : thread_([this] {
        std::unique_lock lock(mu_);
        for (;;) {
          cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
          if (tasks_.empty()) return;  // stopping, and nothing left to run
          auto task = std::move(tasks_.front());
          tasks_.pop_front();
          lock.unlock();
          task();
          lock.lock();
        }
      }) {}

RetryQueue::~RetryQueue() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void RetryQueue::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

}  // namespace pmo::intake::app
