// Streams a demo plan's ingest data into Kafka at a steady rate, as other internal
// systems would: progress reports, key-result check-ins and benefit measurements,
// each an Envelope with CloudEvents headers, some of them as JSON.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "demo_data.h"

namespace pmo::demo {

struct StreamOptions {
  std::string brokers;
  double ticks_per_second = 2.0;           // each tick sends three records
  std::chrono::milliseconds duration{0};   // 0: until `stop`
  std::string run_id;                      // tags source ids; unique per run
  const std::atomic<bool>* stop = nullptr;
  std::function<void(const std::string&)> log = [](const std::string&) {};
};

struct StreamResult {
  int64_t ticks = 0;
  int64_t records = 0;
  int64_t json_records = 0;
};

// Returns once the duration passed or `stop` was set, after every record was
// acknowledged by Kafka; UNAVAILABLE when some were not.
absl::StatusOr<StreamResult> Stream(const Plan& plan, const StreamOptions& options);

}  // namespace pmo::demo
