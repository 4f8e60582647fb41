// Structured logging: one JSON object per line on stderr with time, level, service,
// message, the current correlation id and any key/value fields the caller adds.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace pmo::log {

// Installs the JSON formatter on the default logger. Safe to call more than once.
void Init(std::string_view service, std::string_view level);

// The correlation id logged with every line written by this thread (empty: none).
void SetThreadCorrelationId(std::string id);
const std::string& ThreadCorrelationId();

using Fields = nlohmann::json;  // an object: {{"topic", t}, {"count", n}}

// Writes `msg` with `fields` as one JSON line.
void Write(spdlog::level::level_enum level, std::string_view msg, const Fields& fields = Fields::object());

inline void Debug(std::string_view m, const Fields& f = Fields::object()) { Write(spdlog::level::debug, m, f); }
inline void Info(std::string_view m, const Fields& f = Fields::object()) { Write(spdlog::level::info, m, f); }
inline void Warn(std::string_view m, const Fields& f = Fields::object()) { Write(spdlog::level::warn, m, f); }
inline void Error(std::string_view m, const Fields& f = Fields::object()) { Write(spdlog::level::err, m, f); }

// Formats one log line (exposed for tests).
std::string FormatLine(std::string_view ts, std::string_view level, std::string_view service,
                       std::string_view msg, const Fields& fields, std::string_view correlation_id);

}  // namespace pmo::log
