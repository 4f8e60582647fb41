// Tests of common/src/redis.cpp that need no server: parsing and refusing Redis URLs
// (the pool itself is covered by the integration tests against a real redis-server).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pmo/common/redis.h"
#include "support.h"

namespace pmo {
namespace {

using ::testing::HasSubstr;
using pmo::testing::StatusIs;

TEST(RedisUrl, ParsesAndRefuses) {
  auto ep = ParseRedisUrl("redis://:s3cret@cache.local:6380/3");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->host, "cache.local");
  EXPECT_EQ(ep->port, 6380);
  EXPECT_EQ(ep->db, 3);
  EXPECT_EQ(ep->password, "s3cret");
  ep = ParseRedisUrl("redis://localhost");
  ASSERT_TRUE(ep.ok());
  EXPECT_EQ(ep->port, 6379);
  EXPECT_EQ(ep->db, 0);
  EXPECT_THAT(ParseRedisUrl("tcp://x:1"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("redis://")));
  EXPECT_THAT(ParseRedisUrl("redis://x:99999"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("port")));
  EXPECT_THAT(ParseRedisUrl("redis://x:1/abc"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("database")));
}

}  // namespace
}  // namespace pmo
