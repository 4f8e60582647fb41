// `pmoctl ingest progress|check-in|measurement`: one record for an ingest topic, built
// from flags or a JSON/YAML file, produced as another system would send it (CloudEvents
// binary mode: the payload itself, JSON or protobuf, with ce_* headers).
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "commands.h"
#include "pmo/common/kafka.h"

namespace pmo::ctl {

struct IngestKind {
  std::string name;        // "check-in"
  std::string help;
  std::string topic;       // pmo.ingest.kr-checkins.v1
  std::string type;        // the payload message: pmo.okr.v1.CheckInRequest
  PositionalSpec id;       // the aggregate id, also the record key
  std::string as_of;       // the date field set to today when not given
  std::vector<FlagSpec> flags;
};

const std::vector<IngestKind>& IngestKinds();

struct IngestOptions {
  std::string id = {};               // ce_id; empty: the payload's source_id, else a new UUID
  std::string source = "pmoctl";     // ce_source
  std::string format = "json";       // json or protobuf
};

// The record for `payload` on `kind`'s topic: key, value, CloudEvents headers. Sets the
// as-of date to `now`'s day when the payload has none.
absl::StatusOr<KafkaMessage> MakeIngestRecord(const IngestKind& kind, google::protobuf::Message& payload,
                                              const IngestOptions& options, absl::Time now);

// Produces `record` with an idempotent producer and waits for Kafka's acknowledgement.
absl::Status ProduceIngestRecord(const std::string& brokers, const KafkaMessage& record, int timeout_ms);

}  // namespace pmo::ctl
