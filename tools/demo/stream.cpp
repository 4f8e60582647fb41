#include "stream.h"

#include <mutex>
#include <thread>

#include "absl/strings/str_cat.h"
#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"

namespace pmo::demo {

absl::StatusOr<StreamResult> Stream(const Plan& plan, const StreamOptions& options) {
  if (options.brokers.empty()) return absl::InvalidArgumentError("no Kafka brokers given (PMO_KAFKA_BROKERS)");
  if (!(options.ticks_per_second > 0)) return absl::InvalidArgumentError("the rate must be positive");
  // Declared before the producer: its delivery callbacks write them, and may still run
  // while the producer is destroyed.
  std::atomic<int64_t> failed{0};
  std::string first_error;
  std::mutex error_mu;
  ProducerOptions po;
  po.brokers = options.brokers;
  po.client_id = "pmo-demo";
  auto producer = Producer::Create(po);
  if (!producer.ok()) return producer.status();

  StreamResult result;
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / options.ticks_per_second));
  auto next = start;
  auto last_report = start;
  for (int64_t tick = 0;; ++tick) {
    if (options.stop && options.stop->load()) break;
    if (options.duration.count() > 0 && Clock::now() - start >= options.duration) break;
    for (auto& r : StreamTick(plan, tick, options.run_id)) {
      auto env = MakeEnvelope(*r.payload, {.source = "pmo-demo", .subject = r.key, .portfolio_id = plan.portfolio_id,
                                           .correlation_id = options.run_id, .causation_id = {}});
      Headers headers = CloudEventHeaders(env);
      std::string value;
      if (r.as_json) {
        for (auto& [name, v] : headers)
          if (name == "content-type") v = std::string(kContentTypeJson);
        value = ToJson(env);
        ++result.json_records;
      } else {
        value = env.SerializeAsString();
      }
      auto s = (*producer)->Produce(r.topic, r.key, value, headers,
                                    [&](const absl::Status& st, int32_t, int64_t) {
                                      if (st.ok()) return;
                                      if (failed.fetch_add(1) == 0) {
                                        std::lock_guard lock(error_mu);
                                        first_error = std::string(st.message());
                                      }
                                    });
      if (!s.ok()) return s;
      ++result.records;
    }
    result.ticks = tick + 1;
    if (Clock::now() - last_report >= std::chrono::seconds(10)) {
      last_report = Clock::now();
      options.log(absl::StrCat("streamed ", result.records, " records (", result.json_records, " as JSON)"));
    }
    // A steady rate: sleep to the next tick's slot, waking early on stop.
    next += period;
    while (Clock::now() < next) {
      if (options.stop && options.stop->load()) break;
      std::this_thread::sleep_for(std::min<Clock::duration>(next - Clock::now(), std::chrono::milliseconds(50)));
    }
  }
  if (auto s = (*producer)->Flush(10000); !s.ok()) return s;
  if (failed.load() > 0) {
    std::lock_guard lock(error_mu);
    return absl::UnavailableError(absl::StrCat(failed.load(), " records were not delivered: ", first_error));
  }
  return result;
}

}  // namespace pmo::demo
