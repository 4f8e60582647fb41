#include "events.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include <google/protobuf/descriptor.h>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pmo/events/v1/envelope.pb.h"
#include "render.h"
#include "rpc.h"

namespace pmo::ctl {

std::vector<std::string> DefaultTopics() {
  return {"pmo.intake.events.v1", "pmo.scoring.events.v1", "pmo.okr.events.v1", "pmo.benefits.events.v1",
          "pmo.reporting.events.v1"};
}

namespace {

bool TypeMatches(const std::string& type, const std::string& wanted) {
  if (wanted.empty() || type == wanted) return true;
  auto dot = type.rfind('.');
  return dot != std::string::npos && type.compare(dot + 1, std::string::npos, wanted) == 0;
}

std::string Header(const Record& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

std::string JsonString(const nlohmann::json& j, const char* a, const char* b = nullptr) {
  if (j.contains(a) && j[a].is_string()) return j[a].get<std::string>();
  if (b && j.contains(b) && j[b].is_string()) return j[b].get<std::string>();
  return "";
}

}  // namespace

std::optional<std::string> FormatRecord(const Record& record, const TailOptions& options, std::string* warning) {
  const std::string where = absl::StrCat(record.topic, "/", record.partition, "@", record.offset);
  if (absl::StartsWith(Header(record, "content-type"), "application/json")) {
    nlohmann::json j = nlohmann::json::parse(record.value, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      *warning = where + ": content-type application/json but the value is not a JSON object";
      return std::nullopt;
    }
    if (!TypeMatches(JsonString(j, "type"), options.type)) return std::nullopt;
    if (!options.subject.empty() && JsonString(j, "subject") != options.subject) return std::nullopt;
    if (!options.portfolio.empty() && JsonString(j, "portfolioId", "portfolio_id") != options.portfolio)
      return std::nullopt;
    // As it is, but on one line so every record stays one line.
    return record.value.find('\n') == std::string::npos ? record.value : j.dump();
  }
  pmo::events::v1::Envelope envelope;
  if (!envelope.ParseFromString(record.value)) {
    *warning = absl::StrCat(where, ": not a pmo.events.v1.Envelope (", record.value.size(), " bytes)");
    // On the dead-letter topic that is the usual case: say why it was dead-lettered.
    if (std::string reason = Header(record, "pmo_dlq_reason"); !reason.empty())
      absl::StrAppend(warning, "; dead-lettered from ", Header(record, "pmo_dlq_source_topic"), ": ", reason);
    return std::nullopt;
  }
  if (!TypeMatches(envelope.type(), options.type)) return std::nullopt;
  if (!options.subject.empty() && envelope.subject() != options.subject) return std::nullopt;
  if (!options.portfolio.empty() && envelope.portfolio_id() != options.portfolio) return std::nullopt;
  LinkGeneratedProtos();
  const std::string& url = envelope.payload().type_url();
  const std::string payload_type = url.substr(url.rfind('/') + 1);
  if (!envelope.has_payload() ||
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(payload_type)) {
    if (auto line = ToJson(envelope, false); line.ok()) return *line;
  }
  // A payload type this build does not know (a newer event): the rest as JSON, the
  // payload as its type URL and base64 bytes.
  pmo::events::v1::Envelope rest = envelope;
  rest.clear_payload();
  auto line = ToJson(rest, false);
  if (!line.ok()) {
    *warning = where + ": " + std::string(line.status().message());
    return std::nullopt;
  }
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(*line);
  j["payload"] = {{"@type", envelope.payload().type_url()}, {"value", absl::Base64Escape(envelope.payload().value())}};
  return j.dump();
}

namespace {

struct Kafka {
  rd_kafka_t* rk = nullptr;
  ~Kafka() {
    if (rk) {
      rd_kafka_consumer_close(rk);
      rd_kafka_destroy(rk);
    }
  }
};

// librdkafka logs every failed connection attempt; what matters reaches the user as the
// error Tail returns (or a warning from the poll loop), so only critical logs are shown.
void LogCritical(const rd_kafka_t*, int level, const char* facility, const char* message) {
  if (level <= 2) std::fprintf(stderr, "kafka: %s: %s\n", facility, message);
}

std::string RandomSuffix() {
  std::random_device rd;
  return absl::StrCat(absl::Hex(rd()), absl::Hex(rd()));
}

}  // namespace

absl::Status Tail(const TailOptions& options, std::ostream& out, std::ostream& err, const std::atomic<bool>& stop) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const bool bounded = options.timeout.count() > 0;
  const auto deadline = start + options.timeout;
  auto remaining_ms = [&]() -> int {
    if (!bounded) return 10000;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::max<int64_t>(0, left));
  };

  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // No consumer group is joined (partitions are assigned) and nothing is committed; the
  // group id is required by librdkafka and random so it never meets a real group.
  const std::pair<const char*, std::string> settings[] = {
      {"bootstrap.servers", options.brokers},
      {"group.id", "pmoctl-tail-" + RandomSuffix()},
      {"client.id", "pmoctl"},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"fetch.wait.max.ms", "10"},
  };
  for (const auto& [k, v] : settings) {
    if (rd_kafka_conf_set(conf, k, v.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InvalidArgumentError(absl::StrCat("Kafka setting ", k, "=", v, ": ", errstr));
    }
  }
  rd_kafka_conf_set_log_cb(conf, LogCritical);
  Kafka kafka;
  kafka.rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
  if (!kafka.rk) return absl::InternalError(absl::StrCat("creating the Kafka consumer: ", errstr));

  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(8);
  for (const std::string& topic : options.topics) {
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(kafka.rk, topic.c_str(), nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_resp_err_t e = rd_kafka_metadata(kafka.rk, 0, rkt, &md, std::clamp(remaining_ms(), 1, 10000));
    rd_kafka_topic_destroy(rkt);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_topic_partition_list_destroy(assignment);
      return absl::UnavailableError(
          absl::StrCat("cannot reach Kafka at ", options.brokers, ": ", rd_kafka_err2str(e)));
    }
    int partitions = 0;
    rd_kafka_resp_err_t topic_err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (md->topic_cnt == 1) {
      partitions = md->topics[0].partition_cnt;
      topic_err = md->topics[0].err;
    }
    rd_kafka_metadata_destroy(md);
    if (topic_err != RD_KAFKA_RESP_ERR_NO_ERROR || partitions == 0) {
      rd_kafka_topic_partition_list_destroy(assignment);
      return absl::NotFoundError(absl::StrCat("topic ", topic, " at ", options.brokers, ": ",
                                              topic_err ? rd_kafka_err2str(topic_err) : "no partitions"));
    }
    for (int p = 0; p < partitions; ++p)
      rd_kafka_topic_partition_list_add(assignment, topic.c_str(), p)->offset =
          options.from_beginning ? RD_KAFKA_OFFSET_BEGINNING : RD_KAFKA_OFFSET_END;
  }
  rd_kafka_resp_err_t assigned = rd_kafka_assign(kafka.rk, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);
  if (assigned != RD_KAFKA_RESP_ERR_NO_ERROR)
    return absl::InternalError(absl::StrCat("assigning partitions: ", rd_kafka_err2str(assigned)));

  int64_t printed = 0;
  std::string last_error;
  while (!stop.load() && (!options.max || printed < *options.max)) {
    int wait = std::min(remaining_ms(), 100);
    if (bounded && wait <= 0) break;
    rd_kafka_message_t* m = rd_kafka_consumer_poll(kafka.rk, wait);
    if (!m) continue;
    if (m->err) {
      if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        std::string e = rd_kafka_message_errstr(m);
        if (e != last_error) err << "warning: " << e << "\n";
        last_error = e;
      }
      rd_kafka_message_destroy(m);
      continue;
    }
    Record record = ToKafkaMessage(m);
    rd_kafka_message_destroy(m);
    std::string warning;
    if (auto line = FormatRecord(record, options, &warning)) {
      out << *line << "\n" << std::flush;
      ++printed;
    } else if (!warning.empty()) {
      err << "warning: " << warning << "\n";
    }
  }
  if (options.max && printed < *options.max && !stop.load())
    return absl::DeadlineExceededError(absl::StrCat(printed, " of ", *options.max, " records within ",
                                                    options.timeout.count(), " ms"));
  return absl::OkStatus();
}

}  // namespace pmo::ctl
