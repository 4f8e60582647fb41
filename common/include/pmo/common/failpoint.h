// Failpoints let a test stop a process at an exact step (for example between Kafka's
// acknowledgement and the removal of the outbox entry) instead of killing it at a guessed moment.
// Armed by PMO_FAILPOINTS="name[,name...]"; inert and cheap when unset.
#pragma once

#include <string_view>

namespace pmo {

// Exit code of a process stopped by a failpoint.
inline constexpr int kFailpointExitCode = 86;

bool FailpointArmed(std::string_view name);

// Ends the process immediately (no destructors, no flushing) when `name` is armed.
void CrashAtFailpoint(std::string_view name);

}  // namespace pmo
