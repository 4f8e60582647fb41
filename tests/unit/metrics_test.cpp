// Tests of common/src/metrics.cpp: the families every service exposes, labelled with
// the service name, as Prometheus text.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pmo/common/metrics.h"

namespace pmo {
namespace {

using ::testing::HasSubstr;

TEST(Metrics, ExposesTheCommonFamilies) {
  Metrics m("pmo-test");
  m.events_published.Add({{"topic", "t"}}).Increment();
  m.grpc_handled.Add({{"grpc_service", "s"}, {"grpc_method", "m"}, {"grpc_code", "OK"}}).Increment();
  std::string text = m.Scrape();
  EXPECT_THAT(text, HasSubstr("pmo_events_published_total{service=\"pmo-test\",topic=\"t\"} 1"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{"));
  EXPECT_THAT(text, HasSubstr("grpc_code=\"OK\""));
}

}  // namespace
}  // namespace pmo
