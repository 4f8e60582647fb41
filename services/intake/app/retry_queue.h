// A single worker thread that runs posted tasks in order, for work that must not run on
// the thread that discovered it (the outbox's committer serves every writer).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace pmo::intake::app {

class RetryQueue {
 public:
  RetryQueue();
  // Runs what is still queued, then stops the thread.
  ~RetryQueue();
  RetryQueue(const RetryQueue&) = delete;
  RetryQueue& operator=(const RetryQueue&) = delete;

  void Post(std::function<void()> task);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is built
};

}  // namespace pmo::intake::app
