#include "pmo/common/kafka.h"

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <future>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "pmo/base/errors.h"
#include "pmo/common/log.h"
#include "pmo/common/metrics.h"

namespace pmo {
namespace {

using Clock = std::chrono::steady_clock;

absl::StatusOr<rd_kafka_conf_t*> BuildConf(const std::map<std::string, std::string>& props) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  for (const auto& [k, v] : props) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InvalidArgumentError(absl::StrCat("kafka config ", k, "=", v, ": ", err));
    }
  }
  return conf;
}

void LogCallback(const rd_kafka_t*, int level, const char* fac, const char* buf) {
  log::Fields f = {{"facility", fac}, {"component", "librdkafka"}};
  if (level <= 3) log::Error(buf, f);
  else if (level <= 5) log::Warn(buf, f);
  else log::Debug(buf, f);
}

void ErrorCallback(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  // Transport errors while a broker is down are expected and retried by librdkafka;
  // a fatal error (idempotence broken) is not: the producer is unusable, health goes
  // NOT_SERVING and the orchestrator restarts the process.
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char buf[512];
    rd_kafka_fatal_error(rk, buf, sizeof buf);
    log::Error("kafka fatal error", {{"reason", buf}});
    if (opaque) static_cast<std::atomic<bool>*>(opaque)->store(true);
    return;
  }
  log::Warn("kafka error", {{"code", rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err))}, {"reason", reason}});
}

struct DeliveryContext {
  Producer::DeliveryCallback cb;
  std::string topic;
  Metrics* metrics;
};

void DeliveryReport(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  std::unique_ptr<DeliveryContext> ctx(static_cast<DeliveryContext*>(m->_private));
  if (!ctx) return;
  absl::Status status;
  if (m->err) {
    status = absl::UnavailableError(absl::StrCat("kafka delivery to ", ctx->topic, " failed: ", rd_kafka_err2str(m->err)));
    if (ctx->metrics) ctx->metrics->publish_errors.Add({{"topic", ctx->topic}}).Increment();
  } else if (ctx->metrics) {
    ctx->metrics->events_published.Add({{"topic", ctx->topic}}).Increment();
  }
  if (ctx->cb) ctx->cb(status, m->partition, m->offset);
}

}  // namespace

std::optional<std::string> KafkaMessage::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return std::nullopt;
}

KafkaMessage ToKafkaMessage(const rd_kafka_message_t* m) {
  KafkaMessage msg;
  msg.topic = rd_kafka_topic_name(m->rkt);
  msg.partition = m->partition;
  msg.offset = m->offset;
  if (m->key) msg.key.assign(static_cast<const char*>(m->key), m->key_len);
  if (m->payload) msg.value.assign(static_cast<const char*>(m->payload), m->len);
  rd_kafka_timestamp_type_t tstype;
  msg.timestamp_ms = rd_kafka_message_timestamp(m, &tstype);
  rd_kafka_headers_t* hdrs = nullptr;
  if (rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR && hdrs) {
    const char* name;
    const void* val;
    size_t size;
    for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i)
      msg.headers.emplace_back(name, val ? std::string(static_cast<const char*>(val), size) : std::string());
  }
  return msg;
}

// ---- producer ----------------------------------------------------------------

absl::StatusOr<std::unique_ptr<Producer>> Producer::Create(const ProducerOptions& options) {
  std::map<std::string, std::string> props = {
      {"bootstrap.servers", options.brokers},
      {"client.id", options.client_id},
      {"enable.idempotence", "true"},  // off by default in librdkafka 2.0
      {"acks", "all"},
      {"linger.ms", std::to_string(options.linger_ms)},
      {"message.timeout.ms", std::to_string(options.message_timeout_ms)},
      {"socket.keepalive.enable", "true"},
      {"reconnect.backoff.max.ms", "1000"},
  };
  for (const auto& [k, v] : options.extra) props[k] = v;
  auto conf = BuildConf(props);
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_dr_msg_cb(*conf, DeliveryReport);
  rd_kafka_conf_set_log_cb(*conf, LogCallback);
  rd_kafka_conf_set_error_cb(*conf, ErrorCallback);
  char err[512];
  std::unique_ptr<Producer> p(new Producer());
  p->metrics_ = options.metrics;
  rd_kafka_conf_set_opaque(*conf, &p->fatal_);
  p->rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, *conf, err, sizeof err);
  if (!p->rk_) {
    rd_kafka_conf_destroy(*conf);
    return absl::InvalidArgumentError(absl::StrCat("cannot create kafka producer: ", err));
  }
  // Delivery reports are served here, so callers never have to remember to poll.
  p->poller_ = std::thread([raw = p.get()] {
    while (!raw->stop_.load()) rd_kafka_poll(raw->rk_, 50);
  });
  return p;
}

Producer::~Producer() {
  if (!rk_) return;
  stop_ = true;
  if (poller_.joinable()) poller_.join();
  // Whatever is still queued fails now so its callback runs and nothing leaks; the
  // outbox keeps those events and a later relay publishes them.
  rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_poll(rk_, 0);
  rd_kafka_flush(rk_, 100);
  rd_kafka_destroy(rk_);
}

absl::Status Producer::Produce(std::string_view topic, std::string_view key, std::string_view value,
                               const Headers& headers, DeliveryCallback on_delivery, int64_t timestamp_ms,
                               int enqueue_timeout_ms) {
  std::string topic_name(topic);
  auto deadline = Clock::now() + std::chrono::milliseconds(enqueue_timeout_ms);
  for (;;) {
    rd_kafka_headers_t* hdrs = rd_kafka_headers_new(headers.size());
    for (const auto& [k, v] : headers) rd_kafka_header_add(hdrs, k.data(), static_cast<ssize_t>(k.size()), v.data(), static_cast<ssize_t>(v.size()));
    auto* ctx = new DeliveryContext{on_delivery, topic_name, metrics_};
    rd_kafka_resp_err_t err = rd_kafka_producev(
        rk_, RD_KAFKA_V_TOPIC(topic_name.c_str()), RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_TIMESTAMP(timestamp_ms), RD_KAFKA_V_OPAQUE(ctx), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return absl::OkStatus();
    delete ctx;
    rd_kafka_headers_destroy(hdrs);  // ownership passes only on success
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
      return absl::UnavailableError(absl::StrCat("kafka produce to ", topic_name, ": ", rd_kafka_err2str(err)));
    if (Clock::now() >= deadline)
      return absl::UnavailableError(absl::StrCat("kafka producer queue full for ", enqueue_timeout_ms, " ms"));
    rd_kafka_poll(rk_, 10);  // serve delivery reports to make room
  }
}

absl::Status Producer::ProduceSync(std::string_view topic, std::string_view key, std::string_view value,
                                   const Headers& headers, int timeout_ms) {
  auto done = std::make_shared<std::promise<absl::Status>>();
  auto fut = done->get_future();
  auto s = Produce(topic, key, value, headers, [done](const absl::Status& st, int32_t, int64_t) { done->set_value(st); },
                   0, timeout_ms);
  if (!s.ok()) return s;
  if (fut.wait_for(std::chrono::milliseconds(timeout_ms)) != std::future_status::ready)
    return absl::DeadlineExceededError(absl::StrCat("no acknowledgement from kafka within ", timeout_ms, " ms"));
  return fut.get();
}

absl::Status Producer::Flush(int timeout_ms) {
  rd_kafka_resp_err_t err = rd_kafka_flush(rk_, timeout_ms);
  int left = rd_kafka_outq_len(rk_);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR || left > 0)
    return absl::UnavailableError(absl::StrCat(left, " kafka records still unacknowledged after ", timeout_ms, " ms"));
  return absl::OkStatus();
}

absl::Status Producer::CheckReachable(int timeout_ms) {
  if (fatal_.load()) return absl::FailedPreconditionError("kafka producer hit a fatal error; restart required");
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk_, 0, nullptr, &md, timeout_ms);
  if (md) rd_kafka_metadata_destroy(md);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    return absl::UnavailableError(absl::StrCat("kafka unreachable: ", rd_kafka_err2str(err)));
  return absl::OkStatus();
}

int Producer::OutQueueLength() const { return rd_kafka_outq_len(rk_); }

// ---- consumer ----------------------------------------------------------------

void ConsumerRebalance(rd_kafka_t* rk, int err_int, void* partitions_v, void* opaque) {
  auto err = static_cast<rd_kafka_resp_err_t>(err_int);
  auto* partitions = static_cast<rd_kafka_topic_partition_list_t*>(partitions_v);
  auto* self = static_cast<Consumer*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    rd_kafka_assign(rk, partitions);
    self->assigned_ = true;
    log::Info("partitions assigned", {{"group", self->options_.group_id}, {"count", partitions->cnt}});
  } else {
    // Commit what was handled before giving the partitions to another member.
    rd_kafka_commit(rk, nullptr, 0);
    rd_kafka_assign(rk, nullptr);
    self->assigned_ = false;
  }
}

namespace {
void RebalanceTrampoline(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts, void* opaque) {
  ConsumerRebalance(rk, err, parts, opaque);
}

// Retried until they clear: the environment (UNAVAILABLE, DEADLINE_EXCEEDED) or a
// concurrent writer (ABORTED: retry at a higher level) is not the record's fault.
bool IsTransient(const absl::Status& s) {
  return s.code() == absl::StatusCode::kUnavailable || s.code() == absl::StatusCode::kDeadlineExceeded ||
         s.code() == absl::StatusCode::kAborted;
}
}  // namespace

absl::StatusOr<std::unique_ptr<Consumer>> Consumer::Create(const ConsumerOptions& options, Handler handler,
                                                           Producer* dead_letters) {
  if (options.group_id.empty()) return absl::InvalidArgumentError("consumer group id is empty");
  if (options.topics.empty()) return absl::InvalidArgumentError("consumer has no topics");
  if (options.max_attempts < 1) return absl::InvalidArgumentError("max_attempts must be at least 1");
  std::map<std::string, std::string> props = {
      {"bootstrap.servers", options.brokers},
      {"group.id", options.group_id},
      {"client.id", options.client_id},
      // Offsets are stored by us after the handler succeeded; librdkafka commits the
      // stored ones in the background and we commit once more on shutdown.
      {"enable.auto.commit", "true"},
      {"enable.auto.offset.store", "false"},
      {"auto.commit.interval.ms", "500"},
      {"auto.offset.reset", options.auto_offset_reset},
      {"fetch.wait.max.ms", std::to_string(options.fetch_wait_max_ms)},
      {"fetch.error.backoff.ms", "50"},
      {"session.timeout.ms", "6000"},
      {"heartbeat.interval.ms", "500"},
      {"reconnect.backoff.max.ms", "1000"},
      {"topic.metadata.refresh.interval.ms", "5000"},
  };
  for (const auto& [k, v] : options.extra) props[k] = v;
  auto conf = BuildConf(props);
  if (!conf.ok()) return conf.status();
  std::unique_ptr<Consumer> c(new Consumer(options, std::move(handler), dead_letters));
  rd_kafka_conf_set_opaque(*conf, c.get());
  rd_kafka_conf_set_rebalance_cb(*conf, RebalanceTrampoline);
  rd_kafka_conf_set_log_cb(*conf, LogCallback);
  rd_kafka_conf_set_error_cb(*conf, ErrorCallback);
  char err[512];
  c->rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, *conf, err, sizeof err);
  if (!c->rk_) {
    rd_kafka_conf_destroy(*conf);
    return absl::InvalidArgumentError(absl::StrCat("cannot create kafka consumer: ", err));
  }
  rd_kafka_poll_set_consumer(c->rk_);
  rd_kafka_topic_partition_list_t* subs = rd_kafka_topic_partition_list_new(static_cast<int>(options.topics.size()));
  for (const auto& t : options.topics) rd_kafka_topic_partition_list_add(subs, t.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_resp_err_t serr = rd_kafka_subscribe(c->rk_, subs);
  rd_kafka_topic_partition_list_destroy(subs);
  if (serr) return absl::InvalidArgumentError(absl::StrCat("kafka subscribe: ", rd_kafka_err2str(serr)));
  return c;
}

Consumer::~Consumer() {
  Stop(std::chrono::milliseconds(5000));
  if (rk_ && !abandoned_) rd_kafka_destroy(rk_);
}

void Consumer::Start() {
  if (thread_.joinable()) return;
  auto done = std::make_shared<std::promise<void>>();
  done_ = done->get_future();
  thread_ = std::thread([this, done] {
    Loop();
    done->set_value();
  });
}

void Consumer::Stop(std::chrono::milliseconds budget) {
  stop_ = true;
  if (!thread_.joinable()) return;
  if (done_.valid() && done_.wait_for(budget) != std::future_status::ready) {
    // Committing or leaving the group is stuck on an unreachable broker. The process
    // is ending: uncommitted offsets are consumed again after restart (handlers are
    // idempotent), so it goes on without waiting.
    log::Warn("consumer did not stop within its budget; leaving it", {{"group", options_.group_id}});
    thread_.detach();
    abandoned_ = true;
    return;
  }
  thread_.join();
}

void Consumer::Loop() {
  while (!stop_.load()) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, 100);
    if (!m) continue;
    if (m->err) {
      if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
        log::Warn("kafka consume error", {{"group", options_.group_id}, {"reason", rd_kafka_message_errstr(m)}});
      rd_kafka_message_destroy(m);
      continue;
    }
    KafkaMessage msg = ToKafkaMessage(m);
    rd_kafka_message_destroy(m);
    HandleRecord(msg);
  }
  // Commit what was handled and leave the group so partitions move on at once.
  rd_kafka_resp_err_t err = rd_kafka_commit(rk_, nullptr, 0);
  if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
    log::Warn("final offset commit failed", {{"group", options_.group_id}, {"reason", rd_kafka_err2str(err)}});
  rd_kafka_consumer_close(rk_);
}

void Consumer::HandleRecord(const KafkaMessage& msg) {
  ObserveLagAndAge(msg);
  int attempts = 0;
  int transient_backoff = options_.retry_backoff_ms;
  auto sleep_unless_stopped = [&](int ms) {
    auto until = Clock::now() + std::chrono::milliseconds(ms);
    while (!stop_.load() && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 20)));
  };
  for (;;) {
    if (stop_.load()) return;  // not stored: the record is handled again after restart
    absl::Status s;
    try {
      s = handler_(msg);
    } catch (const std::exception& e) {
      s = absl::InternalError(absl::StrCat("handler threw: ", e.what()));
    }
    if (s.ok()) {
      if (options_.metrics) options_.metrics->events_consumed.Add({{"topic", msg.topic}, {"result", "applied"}}).Increment();
      break;
    }
    if (IsTransient(s)) {
      log::Warn("handler unavailable, retrying", {{"topic", msg.topic}, {"offset", msg.offset}, {"reason", s.ToString()}});
      if (options_.metrics) options_.metrics->events_consumed.Add({{"topic", msg.topic}, {"result", "retried"}}).Increment();
      sleep_unless_stopped(transient_backoff);
      transient_backoff = std::min(transient_backoff * 2, options_.max_transient_backoff_ms);
      continue;
    }
    ++attempts;
    if (attempts >= options_.max_attempts) {
      if (!DeadLetter(msg, s, attempts)) return;  // stopped before the dead letter was accepted
      break;
    }
    if (options_.metrics) options_.metrics->events_consumed.Add({{"topic", msg.topic}, {"result", "retried"}}).Increment();
    sleep_unless_stopped(options_.retry_backoff_ms * attempts);
  }
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, msg.topic.c_str(), msg.partition)->offset = msg.offset + 1;
  rd_kafka_offsets_store(rk_, list);
  rd_kafka_topic_partition_list_destroy(list);
  ++handled_;
}

bool Consumer::DeadLetter(const KafkaMessage& msg, const absl::Status& reason, int attempts) {
  Headers headers = msg.headers;
  // The code and the message (which lists every field violation), without the binary
  // status payloads ToString() would append.
  headers.emplace_back(dlq_headers::kReason,
                       absl::StrCat(absl::StatusCodeToString(reason.code()), ": ", reason.message()));
  headers.emplace_back(dlq_headers::kSourceTopic, msg.topic);
  headers.emplace_back(dlq_headers::kSourcePartition, std::to_string(msg.partition));
  headers.emplace_back(dlq_headers::kSourceOffset, std::to_string(msg.offset));
  headers.emplace_back(dlq_headers::kConsumerGroup, options_.group_id);
  headers.emplace_back(dlq_headers::kAttempts, std::to_string(attempts));
  int backoff = options_.retry_backoff_ms;
  // The offset moves past the record only once the dead letter is safely in Kafka.
  while (!stop_.load()) {
    absl::Status s = dead_letters_ ? dead_letters_->ProduceSync(options_.dead_letter_topic, msg.key, msg.value, headers,
                                                                2000)
                                   : absl::FailedPreconditionError("no dead-letter producer configured");
    if (s.ok()) {
      log::Warn("record dead-lettered", {{"topic", msg.topic}, {"partition", msg.partition}, {"offset", msg.offset},
                                         {"reason", reason.ToString()}, {"attempts", attempts}});
      if (options_.metrics) {
        options_.metrics->events_dead_lettered.Add({{"topic", msg.topic}}).Increment();
        options_.metrics->events_consumed.Add({{"topic", msg.topic}, {"result", "dead_lettered"}}).Increment();
      }
      return true;
    }
    log::Error("dead-letter publish failed, retrying", {{"topic", msg.topic}, {"reason", s.ToString()}});
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff));
    backoff = std::min(backoff * 2, options_.max_transient_backoff_ms);
  }
  return false;
}

void Consumer::ObserveLagAndAge(const KafkaMessage& msg) {
  if (!options_.metrics) return;
  int64_t lo = 0, hi = 0;
  if (rd_kafka_get_watermark_offsets(rk_, msg.topic.c_str(), msg.partition, &lo, &hi) == RD_KAFKA_RESP_ERR_NO_ERROR &&
      hi >= 0)
    options_.metrics->consumer_lag.Add({{"topic", msg.topic}, {"partition", std::to_string(msg.partition)}})
        .Set(static_cast<double>(std::max<int64_t>(0, hi - msg.offset - 1)));
  if (msg.timestamp_ms > 0) {
    double age = (absl::ToUnixMillis(absl::Now()) - msg.timestamp_ms) / 1000.0;
    options_.metrics->event_age_seconds.Add({{"topic", msg.topic}}, Metrics::LatencyBuckets()).Observe(std::max(0.0, age));
  }
}

}  // namespace pmo
