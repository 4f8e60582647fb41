// Tests of common/src/periodic_worker.cpp: the task runs at once and then every interval,
// a failed run is retried at the next one, and Stop ends the thread without another run.
#include "pmo/common/periodic_worker.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "support.h"

namespace pmo {
namespace {

using namespace std::chrono_literals;

TEST(PeriodicWorker, RunsAtOnceThenEveryInterval) {
  std::atomic<int> runs{0};
  std::atomic<bool> in_task{false};
  PeriodicWorker worker("tick", 10ms, [&] {
    in_task = true;
    ++runs;
    std::this_thread::sleep_for(1ms);
    in_task = false;
    return absl::OkStatus();
  });
  EXPECT_EQ(worker.name(), "tick");
  worker.Start();
  EXPECT_TRUE(pmo::testing::WaitFor([&] { return runs >= 3; }, 5s));
  worker.Stop(100ms);
  // Stop returned: the thread is gone, not in the middle of a run.
  EXPECT_FALSE(in_task);
}

TEST(PeriodicWorker, TheFirstRunDoesNotWaitForTheInterval) {
  std::atomic<int> runs{0};
  PeriodicWorker worker("slow", std::chrono::hours(1), [&] {
    ++runs;
    return absl::OkStatus();
  });
  worker.Start();
  EXPECT_TRUE(pmo::testing::WaitFor([&] { return runs == 1; }, 5s));
  // Stop does not wait out the hour.
  const auto started = std::chrono::steady_clock::now();
  worker.Stop(100ms);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(runs, 1);
}

TEST(PeriodicWorker, AFailedRunIsRetriedAtTheNextInterval) {
  std::atomic<int> runs{0};
  PeriodicWorker worker("flaky", 10ms, [&] {
    ++runs;
    return absl::UnavailableError("redis is down");
  });
  worker.Start();
  EXPECT_TRUE(pmo::testing::WaitFor([&] { return runs >= 3; }, 5s));
}

TEST(PeriodicWorker, StartTwiceRunsOneThreadAndStopWithoutStartIsFine) {
  std::atomic<int> concurrent{0}, most{0}, runs{0};
  PeriodicWorker worker("once", 1ms, [&] {
    const int now = ++concurrent;
    most = std::max(most.load(), now);
    std::this_thread::sleep_for(1ms);
    --concurrent;
    ++runs;
    return absl::OkStatus();
  });
  worker.Start();
  worker.Start();
  EXPECT_TRUE(pmo::testing::WaitFor([&] { return runs >= 5; }, 5s));
  worker.Stop(100ms);
  EXPECT_EQ(most, 1);

  PeriodicWorker never_started("idle", 1ms, [] { return absl::OkStatus(); });
  never_started.Stop(0ms);
}

}  // namespace
}  // namespace pmo
