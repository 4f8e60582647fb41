// The live change feed behind the dashboard's Server-Sent Events: the projection
// publishes each applied event's change; every open stream receives it.
#pragma once

#include <functional>
#include <map>
#include <mutex>

#include "services/reporting/app/projection.h"

namespace pmo::reporting::app {

class ChangeFeed {
 public:
  using Listener = std::function<void(const Change&)>;
  int Subscribe(Listener listener) {
    std::lock_guard lock(mu_);
    listeners_[next_] = std::move(listener);
    return next_++;
  }
  void Unsubscribe(int id) {
    std::lock_guard lock(mu_);
    listeners_.erase(id);
  }
  void Publish(const Change& change) {
    std::lock_guard lock(mu_);
    for (auto& [id, listener] : listeners_) listener(change);
  }
  size_t subscribers() {
    std::lock_guard lock(mu_);
    return listeners_.size();
  }

 private:
  std::mutex mu_;
  int next_ = 1;
  std::map<int, Listener> listeners_;
};

}  // namespace pmo::reporting::app
