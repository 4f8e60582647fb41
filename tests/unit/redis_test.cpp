// Tests of common/src/redis.cpp that need no server: parsing and refusing Redis URLs,
// reading stored integers and protobufs (the pool itself is covered by the integration
// tests against a real redis-server).
#include <cstdint>
#include <limits>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pmo/common/redis.h"
#include "pmo/common/v1/types.pb.h"
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

TEST(StoredInt, ReadsIntegersAndCallsAnythingElseDataLoss) {
  EXPECT_EQ(StoredInt("0").value(), 0);
  EXPECT_EQ(StoredInt("42").value(), 42);
  EXPECT_EQ(StoredInt("-7").value(), -7);
  EXPECT_EQ(StoredInt("9223372036854775807").value(), std::numeric_limits<int64_t>::max());
  EXPECT_THAT(StoredInt("4x"), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("'4x' is not an integer")));
  EXPECT_THAT(StoredInt(""), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("not an integer")));
  EXPECT_THAT(StoredInt("9223372036854775808"), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("not an integer")));
  // The message quotes at most 40 characters of what Redis held.
  const auto long_garbage = StoredInt(std::string(100, 'z'));
  EXPECT_THAT(long_garbage, StatusIs(absl::StatusCode::kDataLoss, HasSubstr("'" + std::string(40, 'z') + "'")));
}

TEST(ParseStored, DecodesOrNamesWhatDidNot) {
  common::v1::Quarter q;
  q.set_year(2027);
  q.set_quarter(3);
  auto back = ParseStored<common::v1::Quarter>(q.SerializeAsString(), "quarter");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->quarter(), 3);
  EXPECT_THAT(ParseStored<common::v1::Quarter>("\xff\xff\xff", "initiative in-1"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("stored initiative in-1 does not decode")));
}

}  // namespace
}  // namespace pmo
