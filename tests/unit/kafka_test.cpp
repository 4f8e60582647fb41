// Tests of common/src/kafka.cpp that need no broker: the record's header lookup and the
// topic list (producing, consuming and dead-lettering are covered by the integration
// tests against pmo-devbroker).
#include "pmo/common/kafka.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace pmo {
namespace {

TEST(KafkaMessage, HeaderFindsTheFirstOfAName) {
  KafkaMessage record;
  record.headers = {{"ce_id", "e-1"}, {"content-type", "application/json"}, {"ce_id", "e-2"}, {"empty", ""}};
  EXPECT_EQ(record.Header("ce_id"), "e-1");
  EXPECT_EQ(record.Header("content-type"), "application/json");
  EXPECT_EQ(record.Header("empty"), "");
  EXPECT_EQ(record.Header("ce_type"), std::nullopt);
  EXPECT_EQ(record.Header("CE_ID"), std::nullopt);  // header names are compared exactly
  EXPECT_EQ(KafkaMessage{}.Header("ce_id"), std::nullopt);
}

TEST(Topics, EveryTopicOnceAndVersioned) {
  std::set<std::string_view> seen;
  for (std::string_view topic : topics::kAll) {
    EXPECT_TRUE(seen.insert(topic).second) << topic;
    EXPECT_TRUE(topic.starts_with("pmo.")) << topic;
    EXPECT_TRUE(topic.ends_with(".v1")) << topic;
  }
  EXPECT_TRUE(seen.contains(topics::kDeadLetter));
  EXPECT_TRUE(seen.contains(topics::kIngestKrCheckins));
  EXPECT_EQ(seen.size(), 9u);
}

}  // namespace
}  // namespace pmo
