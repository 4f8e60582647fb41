// Tests of common/src/atomic_write.cpp that need no server: how a guarded atomic write
// reaches the Redis script (KEYS and ARGV in order, each event with its CloudEvents
// headers and timestamp). Committing against a real redis-server, the header encoding's
// round trip and malformed input are covered by tests/integration/redis_outbox_test.cpp.
#include "pmo/common/atomic_write.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pmo/common/clock.h"
#include "pmo/common/envelope.h"
#include "pmo/common/v1/types.pb.h"

namespace pmo {
namespace {

using ::testing::ElementsAre;

TEST(AtomicWrite, EncodesGuardsCommandsAndEventsInOrder) {
  AtomicWrite w;
  w.ExpectField("k1", "version", "3").Command({"HSET", "k1", "version", "4"}).Publish({"topic", "key", "value"});
  std::vector<std::string> keys, args;
  w.Encode("stream", keys, args);
  EXPECT_THAT(keys, ElementsAre("k1", "k1", "stream"));
  // Per event: topic, key, value, encoded headers ("" = none), timestamp (0 = now).
  EXPECT_THAT(args, ElementsAre("1", "eq", "k1", "version", "3", "ABORTED", "", "1", "4", "HSET", "k1", "version", "4",
                                "stream", "1", "topic", "key", "value", "", "0"));
}

// The suite's events carry no ready headers: the relay derives them from the envelope.
TEST(AtomicWrite, AnEventIsItsEnvelopeUnderItsSubject) {
  FakeClock clock(absl::FromUnixMillis(1'900'000'000'250));
  common::v1::Quarter q;
  q.set_year(2027);
  q.set_quarter(1);
  const auto envelope = MakeEnvelope(q, {.source = "pmo-test", .subject = "agg-1", .portfolio_id = "p-1",
                                         .aggregate_version = 2, .correlation_id = "c", .causation_id = ""},
                                     clock);
  const OutboxEvent event = ToOutboxEvent("pmo.test.v1", envelope);
  EXPECT_EQ(event.topic, "pmo.test.v1");
  EXPECT_EQ(event.key, "agg-1");
  EXPECT_EQ(event.value, envelope.SerializeAsString());
  EXPECT_EQ(event.headers, "");
  EXPECT_EQ(event.timestamp_ms, 0);

  AtomicWrite w;
  w.Publish(event);
  std::vector<std::string> keys, args;
  w.Encode("stream", keys, args);
  EXPECT_THAT(keys, ElementsAre("stream"));
  EXPECT_THAT(args, ElementsAre("0", "0", "stream", "1", "pmo.test.v1", "agg-1", event.value, "", "0"));
}

}  // namespace
}  // namespace pmo
