#include "pmo/common/log.h"

#include <chrono>
#include <atomic>
#include <mutex>

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace pmo::log {
namespace {

// Messages written through Write() arrive pre-encoded: a marker byte, then the JSON
// object of message + fields. Anything else (a library logging through spdlog
// directly) is treated as plain text and escaped.
constexpr char kEncodedMarker = '\x1f';

std::string& ServiceName() {
  static std::string name = "pmo";
  return name;
}

thread_local std::string tl_correlation_id;

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    auto ts = absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(msg.time), absl::UTCTimeZone());
    auto level = spdlog::level::to_string_view(msg.level);
    std::string_view payload(msg.payload.data(), msg.payload.size());
    std::string line;
    if (!payload.empty() && payload.front() == kEncodedMarker) {
      // Splice the pre-encoded object after our own leading fields.
      nlohmann::json head = {{"ts", ts}, {"level", std::string_view(level.data(), level.size())},
                             {"service", ServiceName()}};
      line = head.dump();
      line.pop_back();  // '}'
      std::string_view body = payload.substr(1);
      if (body.size() > 2) {
        line.push_back(',');
        line.append(body.substr(1));
      } else {
        line.push_back('}');
      }
    } else {
      line = FormatLine(ts, std::string_view(level.data(), level.size()), ServiceName(), payload,
                        Fields::object(), tl_correlation_id);
    }
    dest.append(line.data(), line.data() + line.size());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

}  // namespace

std::string FormatLine(std::string_view ts, std::string_view level, std::string_view service,
                       std::string_view msg, const Fields& fields, std::string_view correlation_id) {
  nlohmann::json j = {{"ts", ts}, {"level", level}, {"service", service}, {"msg", msg}};
  if (!correlation_id.empty()) j["correlation_id"] = correlation_id;
  if (fields.is_object())
    for (auto it = fields.begin(); it != fields.end(); ++it) j[it.key()] = it.value();
  // Invalid UTF-8 (binary keys, say) is replaced rather than throwing.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::atomic<bool>& Initialized();

void Init(std::string_view service, std::string_view level) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  ServiceName() = std::string(service);
  auto logger = spdlog::stderr_logger_mt("pmo-" + std::to_string(reinterpret_cast<uintptr_t>(&mu)) +
                                         std::to_string(absl::ToUnixNanos(absl::Now())));
  logger->set_formatter(std::make_unique<JsonFormatter>());
  logger->set_level(spdlog::level::from_str(std::string(level)));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  Initialized() = true;
}

void SetThreadCorrelationId(std::string id) { tl_correlation_id = std::move(id); }
const std::string& ThreadCorrelationId() { return tl_correlation_id; }

std::atomic<bool>& Initialized() {
  static std::atomic<bool> done{false};
  return done;
}

void Write(spdlog::level::level_enum level, std::string_view msg, const Fields& fields) {
  if (!Initialized().load()) Init(ServiceName(), "info");  // a library used without a host still logs JSON
  auto logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  nlohmann::json j = {{"msg", msg}};
  if (!tl_correlation_id.empty()) j["correlation_id"] = tl_correlation_id;
  if (fields.is_object())
    for (auto it = fields.begin(); it != fields.end(); ++it) j[it.key()] = it.value();
  std::string encoded(1, kEncodedMarker);
  encoded += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  logger->log(level, "{}", encoded);
}

}  // namespace pmo::log
