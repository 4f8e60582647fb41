// Tests of common/src/clock.cpp and its header: the fake clock tests pin time with, and
// the UUID v4 generator behind event and correlation ids.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "pmo/common/clock.h"

namespace pmo {
namespace {

TEST(Uuid, IsVersion4) {
  std::string id = NewUuid();
  ASSERT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '4');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
}

TEST(Uuid, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(NewUuid());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(FakeClock, MovesOnlyWhenTold) {
  FakeClock clock(absl::FromUnixSeconds(1'900'000'000));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(1'900'000'000));
  clock.Advance(absl::Milliseconds(1500));
  EXPECT_EQ(clock.Now(), absl::FromUnixMillis(1'900'000'001'500));
  clock.Set(absl::FromUnixSeconds(42));
  EXPECT_EQ(clock.Now(), absl::FromUnixSeconds(42));
}

}  // namespace
}  // namespace pmo
