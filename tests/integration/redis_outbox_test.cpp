// Redis pool and outbox against a real redis-server: commands and pipelines, EVALSHA
// with NOSCRIPT fallback, reconnect with backoff after Redis restarts, and the atomic
// write's guards (stale version, missing entity, newer-only, once-only) — a refused
// write leaves no trace, neither state nor event — also when committed asynchronously;
// the relay publishes an entry with the headers written with it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "pmo/common/envelope.h"
#include "pmo/common/metrics.h"
#include "pmo/common/outbox.h"
#include "pmo/common/redis.h"
#include "pmo/common/relay.h"
#include "pmo/events/v1/envelope.pb.h"
#include "support.h"

namespace pmo {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using pmo::testing::StatusIs;

class RedisTest : public ::testing::Test {
 protected:
  RedisTest() : metrics_("pmo-test") {
    RedisPool::Options o;
    o.endpoint.port = redis_.port();
    o.pool_size = 4;
    o.connect_timeout_ms = 300;
    o.command_timeout_ms = 1000;
    o.metrics = &metrics_;
    pool_ = std::make_unique<RedisPool>(o);
  }
  pmo::testing::RedisServer redis_;
  Metrics metrics_;
  std::unique_ptr<RedisPool> pool_;
};

TEST_F(RedisTest, CommandsPipelinesAndErrorReplies) {
  PMO_ASSERT_OK(pool_->Command({"SET", "k", std::string("bin\0ary", 7)}));
  auto r = pool_->Command({"GET", "k"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->str(), std::string_view("bin\0ary", 7));
  auto replies = pool_->Pipeline({{"INCR", "n"}, {"INCR", "n"}, {"GET", "n"}});
  ASSERT_TRUE(replies.ok());
  EXPECT_EQ((*replies)[1].integer(), 2);
  EXPECT_EQ((*replies)[2].str(), "2");
  EXPECT_THAT(pool_->Command({"HSET", "k", "f"}), StatusIs(absl::StatusCode::kInternal, HasSubstr("wrong number")));
  EXPECT_THAT(metrics_.Scrape(), HasSubstr("pmo_redis_call_seconds_count{service=\"pmo-test\",command=\"GET\"}"));
}

TEST_F(RedisTest, EvalShaFallsBackToEvalAfterScriptFlush) {
  LuaScript script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  auto r = pool_->Eval(script, {"counter"}, {"5"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->integer(), 5);
  PMO_ASSERT_OK(pool_->Command({"SCRIPT", "FLUSH"}));
  r = pool_->Eval(script, {"counter"}, {"2"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->integer(), 7);
  auto exists = pool_->Command({"SCRIPT", "EXISTS", script.sha()});
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(exists->at(0).integer(), 1);  // EVAL cached it again
}

TEST_F(RedisTest, ReconnectsWithBackoffAfterRedisRestarts) {
  PMO_ASSERT_OK(pool_->Command({"SET", "durable", "yes"}));
  redis_.Stop();
  EXPECT_THAT(pool_->Command({"GET", "durable"}), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("redis")));
  // While backing off, calls fail fast instead of waiting on a dead server.
  auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(pool_->Ping(), StatusIs(absl::StatusCode::kUnavailable, ::testing::_));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);
  redis_.Start();
  ASSERT_TRUE(pmo::testing::WaitFor([&] { return pool_->Ping().ok(); }, 10s));
  auto r = pool_->Command({"GET", "durable"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->str(), "yes");  // AOF kept the acknowledged write
  EXPECT_THAT(metrics_.Scrape(), HasSubstr("pmo_redis_errors_total{service=\"pmo-test\",kind=\"connect\"}"));
}

class OutboxTest : public RedisTest {
 protected:
  Outbox outbox_{*pool_, "pmo:test:outbox"};
  int64_t Len(const std::string& key) {
    auto r = pool_->Command({"XLEN", key});
    return r.ok() ? r->integer() : -1;
  }
};

TEST_F(OutboxTest, StateAndEventAreWrittenTogether) {
  AtomicWrite w;
  w.ExpectField("e:1", "version", "").Command({"HSET", "e:1", "version", "1", "data", "v1"}).Publish({"t", "1", "ev1"});
  auto r = outbox_.Commit(w);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, WriteResult::kApplied);
  EXPECT_EQ(Len("pmo:test:outbox"), 1);
  EXPECT_EQ(pool_->Command({"HGET", "e:1", "data"})->str(), "v1");
  auto backlog = outbox_.Backlog();
  ASSERT_TRUE(backlog.ok());
  EXPECT_EQ(*backlog, 1);
}

TEST_F(OutboxTest, StaleVersionIsAbortedAndWritesNothing) {
  PMO_ASSERT_OK(pool_->Command({"HSET", "e:1", "version", "3", "data", "v3"}));
  AtomicWrite w;
  w.ExpectField("e:1", "version", "2", absl::StatusCode::kAborted, "entity e:1 changed since version 2")
      .Command({"HSET", "e:1", "version", "3", "data", "LOST"})
      .Publish({"t", "1", "ev"});
  EXPECT_THAT(outbox_.Commit(w), StatusIs(absl::StatusCode::kAborted, HasSubstr("current version 3")));
  EXPECT_EQ(pool_->Command({"HGET", "e:1", "data"})->str(), "v3");
  EXPECT_EQ(Len("pmo:test:outbox"), 0);
}

TEST_F(OutboxTest, MissingEntityIsNotFound) {
  AtomicWrite w;
  w.ExpectExists("portfolio:p9", "portfolio p9 not found").Command({"SADD", "idx", "x"}).Publish({"t", "x", "e"});
  EXPECT_THAT(outbox_.Commit(w), StatusIs(absl::StatusCode::kNotFound, HasSubstr("portfolio p9")));
  EXPECT_EQ(pool_->Command({"EXISTS", "idx"})->integer(), 0);
}

TEST_F(OutboxTest, NewerOnlyAndOnceOnlyMakeApplyIdempotent) {
  auto apply = [&](int64_t version) {
    AtomicWrite w;
    w.SkipUnlessNewer("rm:1", "version", version).Command({"HSET", "rm:1", "version", std::to_string(version)});
    return outbox_.Commit(w);
  };
  EXPECT_EQ(*apply(2), WriteResult::kApplied);
  EXPECT_EQ(*apply(1), WriteResult::kSkipped);  // older snapshot arriving late
  EXPECT_EQ(*apply(2), WriteResult::kSkipped);  // duplicate
  EXPECT_EQ(*apply(3), WriteResult::kApplied);
  EXPECT_EQ(pool_->Command({"HGET", "rm:1", "version"})->str(), "3");

  auto once = [&] {
    AtomicWrite w;
    w.OncePerMarker("processed:evt-1", 60).Command({"INCR", "counter"});
    return outbox_.Commit(w);
  };
  EXPECT_EQ(*once(), WriteResult::kApplied);
  EXPECT_EQ(*once(), WriteResult::kSkipped);
  EXPECT_EQ(pool_->Command({"GET", "counter"})->str(), "1");
  auto ttl = pool_->Command({"TTL", "processed:evt-1"});
  EXPECT_GT(ttl->integer(), 0);
  EXPECT_LE(ttl->integer(), 60);
}

TEST_F(OutboxTest, CommitManyPipelinesIndependentAtomicWrites) {
  std::vector<AtomicWrite> writes(3);
  writes[0].ExpectField("a", "version", "").Command({"HSET", "a", "version", "1"}).Publish({"t", "a", "1"});
  writes[1].ExpectField("b", "version", "7").Command({"HSET", "b", "version", "8"}).Publish({"t", "b", "2"});
  writes[2].ExpectField("c", "version", "").Command({"HSET", "c", "version", "1"}).Publish({"t", "c", "3"});
  PMO_ASSERT_OK(pool_->Command({"SCRIPT", "FLUSH"}));  // the pipeline must survive NOSCRIPT too
  auto results = outbox_.CommitMany({&writes[0], &writes[1], &writes[2]});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_THAT(results[1], StatusIs(absl::StatusCode::kAborted, ::testing::_));
  EXPECT_TRUE(results[2].ok());
  EXPECT_EQ(Len("pmo:test:outbox"), 2);
}

TEST_F(OutboxTest, CommitAsyncAnswersOnceLikeCommitAndStillAnswersAtShutdown) {
  auto grouped = std::make_unique<Outbox>(*pool_, "pmo:test:outbox", /*group_commit=*/true);
  std::atomic<int> answers{0};
  auto commit = [&](std::shared_ptr<const AtomicWrite> w) {
    auto answered = std::make_shared<std::promise<absl::StatusOr<WriteResult>>>();
    auto result = answered->get_future();
    auto calls = std::make_shared<std::atomic<int>>(0);
    grouped->CommitAsync(std::move(w), [answered, calls, &answers](absl::StatusOr<WriteResult> r) {
      // A second answer is counted (and shows in `answers`), not left to std::promise to abort on.
      ++answers;
      if (calls->fetch_add(1) == 0) answered->set_value(std::move(r));
    });
    return result;
  };
  auto fresh = std::make_shared<AtomicWrite>();
  fresh->ExpectField("e:1", "version", "").Command({"HSET", "e:1", "version", "1"}).Publish({"t", "1", "ev1"});
  auto stale = std::make_shared<AtomicWrite>();  // made on a version that is not the stored one
  stale->ExpectField("e:1", "version", "5").Command({"HSET", "e:1", "version", "6"}).Publish({"t", "1", "ev6"});
  auto applied = commit(fresh);
  EXPECT_EQ(*applied.get(), WriteResult::kApplied);
  EXPECT_THAT(commit(stale).get(), StatusIs(absl::StatusCode::kAborted, HasSubstr("current version 1")));
  EXPECT_EQ(pool_->Command({"HGET", "e:1", "version"})->str(), "1");
  EXPECT_EQ(Len("pmo:test:outbox"), 1);

  // Writes queued when the outbox goes away are still committed and answered.
  std::vector<std::future<absl::StatusOr<WriteResult>>> queued;
  for (int i = 0; i < 20; ++i) {
    auto w = std::make_shared<AtomicWrite>();
    w->Command({"INCR", "counter"}).Publish({"t", "c", std::to_string(i)});
    queued.push_back(commit(w));
  }
  grouped.reset();
  for (auto& f : queued) {
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready) << "a queued write was never answered";
    EXPECT_EQ(*f.get(), WriteResult::kApplied);
  }
  EXPECT_EQ(pool_->Command({"GET", "counter"})->str(), "20");
  EXPECT_EQ(answers.load(), 22) << "every commit is answered exactly once";
}


// Ready headers an entry was written with are the ones Kafka gets: the relay does not
// work them out again. An entry of an envelope alone (topic, key and value: the suite's
// own events) gets its CloudEvents headers from the envelope.
TEST_F(OutboxTest, RelayPublishesTheHeadersWrittenWithTheEntry) {
  pmo::testing::DevBroker broker(1, 1, {"pmo.test.relay"});
  ProducerOptions po;
  po.brokers = broker.bootstrap();
  auto producer = Producer::Create(po);
  ASSERT_TRUE(producer.ok()) << producer.status();

  OutboxEvent stored{"pmo.test.relay", "a", "not an envelope", EncodeHeaders({{"x-written", "with the entry"}}),
                     1'700'000'000'000};
  PMO_ASSERT_OK(outbox_.Commit(AtomicWrite().Publish(stored)));
  EXPECT_EQ(pool_->Command({"XRANGE", "pmo:test:outbox", "-", "+"})->at(0).at(1).size(), 10u)
      << "an entry has topic, key, value, headers and timestamp";

  events::v1::Envelope legacy_envelope;
  legacy_envelope.set_event_id("legacy-1");
  legacy_envelope.set_type("pmo.test.Legacy");
  legacy_envelope.set_subject("b");
  PMO_ASSERT_OK(pool_->Command({"XADD", "pmo:test:outbox", "*", "t", "pmo.test.relay", "k", "b", "v",
                                legacy_envelope.SerializeAsString()}));

  RelayOptions ro;
  ro.stream = "pmo:test:outbox";
  ro.consumer = "relay-test";
  OutboxRelay relay(*pool_, **producer, ro);
  relay.Start();
  auto records = pmo::testing::ReadTopic(broker.bootstrap(), "pmo.test.relay", 2, 20s);
  relay.Stop(5s);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].key, "a");
  EXPECT_EQ(records[0].Header("x-written"), "with the entry");
  EXPECT_EQ(records[0].Header("ce_id"), std::nullopt) << "headers are not worked out again";
  EXPECT_EQ(records[0].timestamp_ms, 1'700'000'000'000);
  EXPECT_EQ(records[1].key, "b");
  EXPECT_EQ(records[1].Header("ce_id"), "legacy-1");
  EXPECT_TRUE(pmo::testing::WaitFor([&] { return Len("pmo:test:outbox") == 0; }, 10s))
      << "acknowledged entries leave the stream";
}

TEST(OutboxHeaders, EncodeAndDecodeRoundTripAndMalformedIsRefused) {
  const Headers headers = {{"ce_id", "e-1"}, {"empty", ""}, {"colon:name", "a:b:c"}, {"binary", std::string("x\0y", 3)}};
  auto decoded = DecodeHeaders(EncodeHeaders(headers));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, headers);
  EXPECT_TRUE(DecodeHeaders("")->empty());
  EXPECT_THAT(DecodeHeaders("5:ce_id"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed")));
  EXPECT_THAT(DecodeHeaders("9:ce_id"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed")));
  EXPECT_THAT(DecodeHeaders("x:ab1:c"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed")));
}

}  // namespace
}  // namespace pmo
