#include "pmo/common/atomic_write.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "pmo/base/errors.h"
#include "pmo/common/envelope.h"
#include "pmo/common/proto_convert.h"

namespace pmo {
namespace {

// A guard's status code travels through the script by its canonical name ("ABORTED"),
// abseil's own spelling, and comes back the same way.
std::string GuardCodeName(absl::StatusCode code) { return absl::StatusCodeToString(code); }

absl::StatusCode GuardCodeFromName(std::string_view name) {
  for (int c = 0; c <= static_cast<int>(absl::StatusCode::kUnauthenticated); ++c) {
    const auto code = static_cast<absl::StatusCode>(c);
    if (absl::StatusCodeToString(code) == name) return code;
  }
  return absl::StatusCode::kInternal;
}

}  // namespace

// ARGV: n_guards, (kind key field value code message)*, n_commands, (argc args...)*,
// stream, n_events, (topic key value headers timestamp)*. Guards run before any write, so a refused
// write changes nothing. Returns {code, message, current}; code "OK" or "SKIP" or a
// status code name. It runs on every write: ARGV is read in place (no closure, no
// table per command), which takes about a quarter off its cost in Redis.
const LuaScript& AtomicWriteScript() {
  static const LuaScript script(R"lua(
local a = ARGV
local i = 2
local markers
for g = 1, tonumber(a[1]) do
  local kind, key, field, val = a[i], a[i + 1], a[i + 2], a[i + 3]
  if kind == 'eq' then
    local cur = redis.call('HGET', key, field)
    if cur == false then cur = '' end
    if cur ~= val then return {a[i + 4], a[i + 5], cur} end
  elseif kind == 'exists' then
    if redis.call('EXISTS', key) == 0 then return {a[i + 4], a[i + 5], ''} end
  elseif kind == 'absent' then
    if redis.call('EXISTS', key) == 1 then return {a[i + 4], a[i + 5], ''} end
  elseif kind == 'newer' then
    local cur = tonumber(redis.call('HGET', key, field) or '0') or 0
    if cur >= tonumber(val) then return {'SKIP', a[i + 5], tostring(cur)} end
  elseif kind == 'once' then
    if redis.call('EXISTS', key) == 1 then return {'SKIP', a[i + 5], ''} end
    markers = markers or {}
    markers[#markers + 1] = {key, val}
  end
  i = i + 6
end
-- Markers are set only once every guard has passed, so a refused write leaves none.
if markers then
  for _, m in ipairs(markers) do redis.call('SET', m[1], '1', 'EX', m[2]) end
end
local nc = tonumber(a[i])
i = i + 1
for c = 1, nc do
  local argc = tonumber(a[i])
  redis.call(unpack(a, i + 1, i + argc))
  i = i + 1 + argc
end
local stream = a[i]
local ne = tonumber(a[i + 1])
i = i + 2
for e = 1, ne do
  if a[i + 3] == '' then
    redis.call('XADD', stream, '*', 't', a[i], 'k', a[i + 1], 'v', a[i + 2])
  else
    redis.call('XADD', stream, '*', 't', a[i], 'k', a[i + 1], 'v', a[i + 2], 'h', a[i + 3], 'ms', a[i + 4])
  end
  i = i + 5
end
return {'OK', '', ''}
)lua");
  return script;
}

OutboxEvent ToOutboxEvent(std::string_view topic, const events::v1::Envelope& envelope) {
  // No ready headers: the relay works them out from the envelope, off the write path (see
  // OutboxEvent::headers for what writing them here cost).
  return OutboxEvent{std::string(topic), envelope.subject(), envelope.SerializeAsString()};
}

std::string EncodeHeaders(const Headers& headers) {
  std::string out;
  for (const auto& [name, value] : headers)
    absl::StrAppend(&out, name.size(), ":", name, value.size(), ":", value);
  return out;
}

absl::StatusOr<Headers> DecodeHeaders(std::string_view encoded) {
  Headers out;
  auto next = [&](std::string& into) -> bool {
    const size_t colon = encoded.find(':');
    size_t length = 0;
    if (colon == std::string_view::npos || colon == 0 || colon > 9 ||
        !absl::SimpleAtoi(AbslView(encoded.substr(0, colon)), &length) || encoded.size() - colon - 1 < length)
      return false;
    into.assign(encoded.substr(colon + 1, length));
    encoded.remove_prefix(colon + 1 + length);
    return true;
  };
  while (!encoded.empty()) {
    std::string name, value;
    if (!next(name) || !next(value)) return absl::InvalidArgumentError("malformed encoded headers");
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

absl::StatusOr<WriteResult> InterpretWriteReply(const absl::StatusOr<RedisReply>& reply) {
  if (!reply.ok()) {
    // A connection failure is retryable; a script error means nothing was written
    // only if it came from a guard, so report it as internal.
    return reply.status();
  }
  if (!reply->is_array() || reply->size() < 3) return absl::InternalError("unexpected outbox script reply");
  std::string_view code = reply->at(0).str();
  if (code == "OK") return WriteResult::kApplied;
  if (code == "SKIP") return WriteResult::kSkipped;
  std::string message(reply->at(1).str());
  std::string_view current = reply->at(2).str();
  if (message.empty()) message = absl::StrCat("write refused (", AbslView(code), ")");
  if (code == "ABORTED" && !current.empty()) absl::StrAppend(&message, " (current version ", AbslView(current), ")");
  return absl::Status(GuardCodeFromName(code), message);
}


// ---- AtomicWrite ---------------------------------------------------------------

AtomicWrite& AtomicWrite::ExpectField(std::string key, std::string field, std::string value, absl::StatusCode code,
                                      std::string message) {
  keys_.push_back(key);
  guards_.push_back({"eq", std::move(key), std::move(field), std::move(value), GuardCodeName(code), std::move(message)});
  return *this;
}
AtomicWrite& AtomicWrite::ExpectExists(std::string key, std::string message, absl::StatusCode code) {
  keys_.push_back(key);
  guards_.push_back({"exists", std::move(key), "", "", GuardCodeName(code), std::move(message)});
  return *this;
}
AtomicWrite& AtomicWrite::ExpectAbsent(std::string key, std::string message, absl::StatusCode code) {
  keys_.push_back(key);
  guards_.push_back({"absent", std::move(key), "", "", GuardCodeName(code), std::move(message)});
  return *this;
}
AtomicWrite& AtomicWrite::SkipUnlessNewer(std::string key, std::string field, int64_t version) {
  keys_.push_back(key);
  guards_.push_back({"newer", std::move(key), std::move(field), std::to_string(version), "SKIP", "not newer"});
  return *this;
}
AtomicWrite& AtomicWrite::OncePerMarker(std::string marker_key, int ttl_seconds) {
  keys_.push_back(marker_key);
  guards_.push_back({"once", std::move(marker_key), "", std::to_string(ttl_seconds), "SKIP", "already processed"});
  return *this;
}
AtomicWrite& AtomicWrite::Command(std::vector<std::string> args) {
  if (args.size() >= 2) keys_.push_back(args[1]);  // our commands name their key first
  command_args_.push_back(std::to_string(args.size()));
  for (auto& a : args) command_args_.push_back(std::move(a));
  ++commands_;
  return *this;
}
AtomicWrite& AtomicWrite::Publish(OutboxEvent event) {
  events_.push_back(std::move(event));
  return *this;
}

void AtomicWrite::Encode(const std::string& stream, std::vector<std::string>& keys,
                         std::vector<std::string>& args) const {
  keys = keys_;
  keys.push_back(stream);
  args.clear();
  args.reserve(3 + guards_.size() * 6 + command_args_.size() + events_.size() * 5);
  args.push_back(std::to_string(guards_.size()));
  for (const auto& g : guards_) {
    args.push_back(g.kind);
    args.push_back(g.key);
    args.push_back(g.field);
    args.push_back(g.value);
    args.push_back(g.code);
    args.push_back(g.message);
  }
  args.push_back(std::to_string(commands_));
  args.insert(args.end(), command_args_.begin(), command_args_.end());
  args.push_back(stream);
  args.push_back(std::to_string(events_.size()));
  for (const auto& e : events_) {
    args.push_back(e.topic);
    args.push_back(e.key);
    args.push_back(e.value);
    args.push_back(e.headers);
    args.push_back(std::to_string(e.timestamp_ms));
  }
}

absl::Status CheckEventSizes(const AtomicWrite& write) {
  for (const auto& e : write.events())
    if (e.value.size() > kMaxEventBytes)
      return absl::InvalidArgumentError(absl::StrCat("event for ", e.key, " is ", e.value.size(),
                                                     " bytes; the most Kafka takes is ", kMaxEventBytes));
  return absl::OkStatus();
}

}  // namespace pmo
