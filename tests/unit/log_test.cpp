// Tests of common/src/log.cpp: one JSON object per line, escaped message, the thread's
// correlation id and the caller's fields.
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "pmo/common/log.h"

namespace pmo {
namespace {

TEST(Log, LinesAreJsonWithEscapedMessageAndFields) {
  std::string line = log::FormatLine("2027-01-01T00:00:00.000Z", "info", "pmo-intake", "quote \" and\nnewline",
                                     {{"topic", "t"}, {"count", 3}}, "corr-1");
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["msg"], "quote \" and\nnewline");
  EXPECT_EQ(j["service"], "pmo-intake");
  EXPECT_EQ(j["correlation_id"], "corr-1");
  EXPECT_EQ(j["count"], 3);
}

TEST(Log, WriteEmitsOneJsonObjectPerLine) {
  log::Init("pmo-logtest", "info");
  ::testing::internal::CaptureStderr();
  log::SetThreadCorrelationId("abc");
  log::Info("relay started", {{"stream", "pmo:x:outbox"}});
  spdlog::default_logger_raw()->info("plain text with \"quotes\"");
  log::Debug("not shown at info");
  log::SetThreadCorrelationId("");
  spdlog::default_logger_raw()->flush();
  std::string out = ::testing::internal::GetCapturedStderr();
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);) lines.push_back(nlohmann::json::parse(l));
  ASSERT_EQ(lines.size(), 2u) << out;
  EXPECT_EQ(lines[0]["msg"], "relay started");
  EXPECT_EQ(lines[0]["stream"], "pmo:x:outbox");
  EXPECT_EQ(lines[0]["correlation_id"], "abc");
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_EQ(lines[0]["service"], "pmo-logtest");
  EXPECT_EQ(lines[1]["msg"], "plain text with \"quotes\"");
}

TEST(Log, CorrelationIdIsPerThread) {
  log::SetThreadCorrelationId("main-thread");
  std::string seen_elsewhere = "unset";
  std::thread([&] { seen_elsewhere = log::ThreadCorrelationId(); }).join();
  EXPECT_EQ(seen_elsewhere, "");
  EXPECT_EQ(log::ThreadCorrelationId(), "main-thread");
  log::SetThreadCorrelationId("");
  EXPECT_EQ(log::ThreadCorrelationId(), "");
}

}  // namespace
}  // namespace pmo
