// Who caused a change: carried from a gRPC call or a consumed event into the events the
// change publishes (correlation id end to end, causation id the call or event itself).
#pragma once

#include <string>

namespace pmo {

struct CallContext {
  std::string correlation_id;
  std::string causation_id;  // the event or request that caused it
};

}  // namespace pmo
