// Kafka over librdkafka: an idempotent producer (acks=all, enable.idempotence=true,
// delivery reports served by its own poll thread) and a consumer-group consumer that
// stores an offset only after its handler succeeded, retries a failing record a bounded
// number of times, then dead-letters it with the reason in a header and moves on.
#pragma once

#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pmo/common/worker.h"

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_message_s rd_kafka_message_t;

namespace pmo {

class Metrics;

namespace topics {
inline constexpr std::string_view kIntakeEvents = "pmo.intake.events.v1";
inline constexpr std::string_view kScoringEvents = "pmo.scoring.events.v1";
inline constexpr std::string_view kOkrEvents = "pmo.okr.events.v1";
inline constexpr std::string_view kBenefitsEvents = "pmo.benefits.events.v1";
inline constexpr std::string_view kReportingEvents = "pmo.reporting.events.v1";
inline constexpr std::string_view kIngestProgress = "pmo.ingest.progress.v1";
inline constexpr std::string_view kIngestKrCheckins = "pmo.ingest.kr-checkins.v1";
inline constexpr std::string_view kIngestBenefitMeasurements = "pmo.ingest.benefit-measurements.v1";
inline constexpr std::string_view kDeadLetter = "pmo.deadletter.v1";
// Every topic of DESIGN §4, for the devbroker and deployment scripts.
inline constexpr std::string_view kAll[] = {kIntakeEvents,    kScoringEvents,    kOkrEvents,
                                            kBenefitsEvents,  kReportingEvents,  kIngestProgress,
                                            kIngestKrCheckins, kIngestBenefitMeasurements, kDeadLetter};
}  // namespace topics

// Dead-letter headers: why and where from.
namespace dlq_headers {
inline constexpr std::string_view kReason = "pmo_dlq_reason";
inline constexpr std::string_view kSourceTopic = "pmo_dlq_source_topic";
inline constexpr std::string_view kSourcePartition = "pmo_dlq_source_partition";
inline constexpr std::string_view kSourceOffset = "pmo_dlq_source_offset";
inline constexpr std::string_view kConsumerGroup = "pmo_dlq_consumer_group";
inline constexpr std::string_view kAttempts = "pmo_dlq_attempts";
}  // namespace dlq_headers

using Headers = std::vector<std::pair<std::string, std::string>>;

struct KafkaMessage {
  std::string topic = {};
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key = {};
  std::string value = {};
  Headers headers = {};
  int64_t timestamp_ms = 0;  // record timestamp (the event's occurrence time for our events)
  std::optional<std::string> Header(std::string_view name) const;
};

// A consumed librdkafka message as a KafkaMessage: topic, partition, offset, key, value,
// timestamp and headers copied out, so the message can be destroyed at once.
KafkaMessage ToKafkaMessage(const rd_kafka_message_t* message);

struct ProducerOptions {
  std::string brokers;
  std::string client_id = "pmo";
  int linger_ms = 1;                 // tools and tests: leave at once; services use PMO_KAFKA_LINGER_MS (5)
  int message_timeout_ms = 300000;   // a delivery that fails is retried from the outbox
  std::map<std::string, std::string> extra;  // any other librdkafka property
  Metrics* metrics = nullptr;
};

class Producer {
 public:
  // Called once per message on the producer's poll thread: OK with partition and
  // offset once Kafka acknowledged it (acks=all), or the delivery error.
  using DeliveryCallback = std::function<void(const absl::Status&, int32_t partition, int64_t offset)>;

  static absl::StatusOr<std::unique_ptr<Producer>> Create(const ProducerOptions& options);
  ~Producer();

  // Enqueues a record. Waits (serving delivery reports) while the local queue is full,
  // up to `enqueue_timeout_ms`; then answers UNAVAILABLE. `timestamp_ms` 0 = now.
  absl::Status Produce(std::string_view topic, std::string_view key, std::string_view value, const Headers& headers,
                       DeliveryCallback on_delivery, int64_t timestamp_ms = 0, int enqueue_timeout_ms = 5000);

  // Produces and waits for the acknowledgement.
  absl::Status ProduceSync(std::string_view topic, std::string_view key, std::string_view value,
                           const Headers& headers, int timeout_ms = 10000);

  // Waits until every enqueued record is delivered or failed; UNAVAILABLE if some remain.
  absl::Status Flush(int timeout_ms);

  // A metadata round trip to any broker: is the cluster reachable? FAILED_PRECONDITION
  // once the producer hit a fatal (idempotence) error.
  absl::Status CheckReachable(int timeout_ms);

  int OutQueueLength() const;
  rd_kafka_t* handle() { return rk_; }

 private:
  Producer() = default;
  rd_kafka_t* rk_ = nullptr;
  Metrics* metrics_ = nullptr;
  std::atomic<bool> stop_{false};
  std::atomic<bool> fatal_{false};
  std::thread poller_;
};

struct ConsumerOptions {
  std::string brokers;
  std::string group_id;
  std::vector<std::string> topics;
  std::string client_id = "pmo";
  // Attempts for a record whose handler answers a permanent error, before dead-lettering.
  int max_attempts = 3;
  int retry_backoff_ms = 20;
  // A handler answering UNAVAILABLE (Redis down, say) is retried until it succeeds or
  // the consumer stops: the environment failing is not the record's fault.
  int max_transient_backoff_ms = 2000;
  int fetch_wait_max_ms = 10;  // librdkafka's 500 ms default adds up to half a second a hop
  std::string auto_offset_reset = "earliest";
  std::string dead_letter_topic = std::string(topics::kDeadLetter);
  std::map<std::string, std::string> extra;
  Metrics* metrics = nullptr;
};

class Consumer final : public Worker {
 public:
  using Handler = std::function<absl::Status(const KafkaMessage&)>;

  // `dead_letters` publishes dead letters; it must outlive the consumer.
  static absl::StatusOr<std::unique_ptr<Consumer>> Create(const ConsumerOptions& options, Handler handler,
                                                          Producer* dead_letters);
  ~Consumer() override;

  std::string name() const override { return "consumer:" + options_.group_id; }
  void Start() override;
  // Leaves the loop after the record in hand, commits stored offsets, leaves the group.
  void Stop(std::chrono::milliseconds budget) override;

  // Records handled (any outcome) since start; for tests and benchmarks.
  int64_t handled() const { return handled_.load(); }
  // True once the group assigned this consumer its partitions.
  bool assigned() const { return assigned_.load(); }

 private:
  Consumer(ConsumerOptions options, Handler handler, Producer* dead_letters)
      : options_(std::move(options)), handler_(std::move(handler)), dead_letters_(dead_letters) {}
  void Loop();
  void HandleRecord(const KafkaMessage& msg);
  bool DeadLetter(const KafkaMessage& msg, const absl::Status& reason, int attempts);
  void ObserveLagAndAge(const KafkaMessage& msg);

  ConsumerOptions options_;
  Handler handler_;
  Producer* dead_letters_;
  rd_kafka_t* rk_ = nullptr;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> handled_{0};
  std::atomic<bool> assigned_{false};
  std::thread thread_;
  std::future<void> done_;
  bool abandoned_ = false;
  friend void ConsumerRebalance(rd_kafka_t*, int, void*, void*);
};

}  // namespace pmo
