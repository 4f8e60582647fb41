// `pmoctl events tail`: reads the event topics with a group-less librdkafka consumer
// (partitions assigned directly, nothing committed) and prints each record's envelope
// as one JSON object per line.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "pmo/common/kafka.h"

namespace pmo::ctl {

struct TailOptions {
  std::string brokers = {};
  std::vector<std::string> topics = {};
  // Filters; empty: any. `type` matches the envelope's type or its last segment
  // ("InitiativeSubmitted" for "pmo.intake.v1.InitiativeSubmitted").
  std::string type = {};
  std::string subject = {};
  std::string portfolio = {};
  bool from_beginning = false;
  std::optional<int64_t> max = {};                // stop after this many printed records
  std::chrono::milliseconds timeout{0};      // 0: until interrupted
};

// The five services' event topics: the default of --topic.
std::vector<std::string> DefaultTopics();

// A consumed record, as the suite's Kafka layer hands it over.
using Record = KafkaMessage;

// The line `events tail` prints for `record`, or nothing when a filter leaves it out
// (or it cannot be decoded, then `warning` says why). A protobuf envelope is rendered
// through the JSON mapping with its payload resolved; a record whose content-type is
// application/json is printed as it is (on one line).
std::optional<std::string> FormatRecord(const Record& record, const TailOptions& options, std::string* warning);

// Runs until `max` records were printed, `timeout` passed or `stop` is set. OK then,
// except DEADLINE_EXCEEDED when `max` was given and not reached; UNAVAILABLE when
// Kafka cannot be reached; NOT_FOUND for a topic that does not exist.
absl::Status Tail(const TailOptions& options, std::ostream& out, std::ostream& err, const std::atomic<bool>& stop);

}  // namespace pmo::ctl
