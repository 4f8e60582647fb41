// Tests of common/src/config.cpp: defaults that work locally, environment then flags,
// and every invalid setting listed at once.
#include <cstdlib>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pmo/base/errors.h"
#include "pmo/common/config.h"
#include "support.h"

namespace pmo {
namespace {

using ::testing::HasSubstr;
using pmo::testing::StatusIs;

class ConfigTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (auto* n : {"PMO_GRPC_PORT", "PMO_REDIS_URL", "PMO_LOG_LEVEL", "PMO_KAFKA_BROKERS", "PMO_KAFKA_LINGER_MS"})
      unsetenv(n);
  }
  static absl::StatusOr<ServiceConfig> Load(std::vector<const char*> args) {
    args.insert(args.begin(), "svc");
    ServiceConfig d;
    d.service_name = "pmo-test";
    return LoadConfig(static_cast<int>(args.size()), args.data(), d);
  }
};

TEST_F(ConfigTest, DefaultsWorkLocally) {
  auto c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->redis_url, "redis://127.0.0.1:6379/0");
  EXPECT_EQ(c->consumer_group, "pmo-test");
  EXPECT_EQ(c->kafka_linger_ms, 5);
}

TEST_F(ConfigTest, EnvironmentThenFlagsWin) {
  setenv("PMO_GRPC_PORT", "7001", 1);
  setenv("PMO_REDIS_URL", "redis://10.0.0.1:6380/2", 1);
  auto c = Load({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->grpc_port, 7001);
  EXPECT_EQ(c->redis_url, "redis://10.0.0.1:6380/2");
  c = Load({"--grpc-port", "7002", "--kafka-linger-ms", "0"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->grpc_port, 7002);
  EXPECT_EQ(c->kafka_linger_ms, 0);
}

TEST_F(ConfigTest, InvalidValuesAreAllListed) {
  setenv("PMO_REDIS_URL", "http://x", 1);
  setenv("PMO_LOG_LEVEL", "loud", 1);
  setenv("PMO_KAFKA_LINGER_MS", "5000", 1);
  auto c = Load({"--grpc-port", "70000", "--shutdown-timeout-ms", "0"});
  ASSERT_THAT(c, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("grpc_port")));
  std::vector<std::string> fields;
  for (auto& v : ViolationsOf(c.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("grpc_port", "redis_url", "log_level", "shutdown_timeout_ms",
                                                      "kafka_linger_ms"));
}

TEST_F(ConfigTest, UnknownFlagIsRefused) {
  EXPECT_THAT(Load({"--no-such-flag"}), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no-such-flag")));
}

}  // namespace
}  // namespace pmo
