// The whole suite as a newcomer meets it: `./pmo up` (redis-server, pmo-devbroker, the
// five services, Prometheus), the demo seeded through the public APIs, 30 s of data
// streamed into the ingest topics, and then what every kind of user sees — pmoctl, kcat,
// the HTTP API, the dashboard in headless chromium and Prometheus — until `./pmo down`
// leaves no process behind.
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using pmo::testing::WaitFor;
using namespace std::chrono_literals;

constexpr int kOffset = 1000;  // ports beside a developer's own ./pmo demo
constexpr char kPortfolio[] = "demo";

std::string Quote(const std::string& s) { return "'" + s + "'"; }
pmo::testing::CommandResult Sh(const std::string& command) { return pmo::testing::Run(command); }

// A protobuf JSON field by its proto name, in either JSON spelling.
const json* Field(const json& j, const std::string& snake) {
  if (!j.is_object()) return nullptr;
  if (auto it = j.find(snake); it != j.end()) return &*it;
  std::string camel;
  bool up = false;
  for (char c : snake) {
    if (c == '_') {
      up = true;
      continue;
    }
    camel.push_back(up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    up = false;
  }
  if (auto it = j.find(camel); it != j.end()) return &*it;
  return nullptr;
}
std::string Str(const json& j, const std::string& name) {
  const json* f = Field(j, name);
  return f && f->is_string() ? f->get<std::string>() : "";
}
double Num(const json& j, const std::string& name) {
  const json* f = Field(j, name);
  if (!f) return 0;
  if (f->is_number()) return f->get<double>();
  if (f->is_string()) return std::stod(f->get<std::string>());  // int64 as a JSON string
  return 0;
}
const json& Arr(const json& j, const std::string& name) {
  static const json empty = json::array();
  const json* f = Field(j, name);
  return f && f->is_array() ? *f : empty;
}

class DemoE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string missing;
    if (!fs::exists(PMO_E2E_WEB_DIR "/index.html")) missing += "the dashboard page is not built (./pmo build)\n";
    if (std::string(PMO_NODE_BIN).empty()) missing += "node was not found (./pmo setup)\n";
    if (!fs::exists(fs::path(PMO_E2E_DIR) / "node_modules" / "playwright-core"))
      missing += "playwright-core is not installed in tests/e2e (./pmo setup)\n";
    ASSERT_TRUE(missing.empty()) << missing;
    run_root_ = tmp_.path() / "run";
    env_ = "PMO_RUN_DIR=" + Quote(run_root_.string()) + " PMO_BUILD_DIR=" + Quote(PMO_E2E_BUILD_DIR) +
           " PMO_LOCAL_PORT_OFFSET=" + std::to_string(kOffset) + " ";
  }

  void TearDown() override {
    if (up_) Sh(env_ + PMO_SOURCE_DIR "/pmo down");
  }

  // A shell command with this run's addresses (the env file ./pmo up wrote).
  pmo::testing::CommandResult InRun(const std::string& command) {
    return Sh(". " + Quote((run_ / "env").string()) + " && " + command + " 2>&1");
  }
  json CtlJson(const std::string& args) {
    auto r = InRun(std::string(PMO_PMOCTL_BIN) + " " + args + " -o json");
    EXPECT_EQ(r.exit_code, 0) << "pmoctl " << args << ":\n" << r.output;
    try {
      return json::parse(r.output);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "pmoctl " << args << " printed no JSON (" << e.what() << "):\n" << r.output;
      return json::object();
    }
  }
  std::string HttpGet(const std::string& path) {
    return Sh("curl -sf http://127.0.0.1:" + std::to_string(8080 + kOffset) + path).output;
  }

  pmo::testing::TempDir tmp_;
  fs::path run_root_, run_;
  std::string env_;
  bool up_ = false;
};

TEST_F(DemoE2E, UpSeedStreamThenEveryClientSeesTheStrategicPmoAtWork) {
  // ---- ./pmo up -----------------------------------------------------------------------
  auto up = Sh(env_ + PMO_SOURCE_DIR "/pmo up -d --no-build 2>&1");
  up_ = true;
  ASSERT_EQ(up.exit_code, 0) << up.output;
  run_ = fs::canonical(run_root_ / "current");
  ASSERT_TRUE(fs::exists(run_ / "env")) << up.output;
  std::string brokers;
  {
    std::ifstream in(run_ / "bootstrap");
    std::getline(in, brokers);
  }
  ASSERT_FALSE(brokers.empty());

  // ---- seed through the public APIs --------------------------------------------------------
  auto seed = InRun(std::string(PMO_DEMO_BIN) + " --portfolio " + kPortfolio + " seed");
  ASSERT_EQ(seed.exit_code, 0) << seed.output;
  ASSERT_THAT(seed.output, ::testing::HasSubstr("40 initiatives"));
  const json dashboard_before = json::parse(HttpGet(std::string("/api/v1/portfolios/") + kPortfolio + "/dashboard"));

  // The eroding benefits the review has to decide on, as the benefits service reports them.
  json benefits = CtlJson(std::string("benefits list --portfolio ") + kPortfolio + " --set page.page_size=200");
  std::set<std::string> at_risk_initiatives;
  for (const auto& b : Arr(benefits, "benefits"))
    if (Str(b, "status") == "BENEFIT_STATUS_AT_RISK") at_risk_initiatives.insert(Str(b, "initiative_id"));
  ASSERT_FALSE(at_risk_initiatives.empty()) << "no benefit went AT_RISK:\n" << benefits.dump(1);

  json reviews = CtlJson(std::string("reviews list --portfolio ") + kPortfolio);
  json review;
  for (const auto& r : Arr(reviews, "reviews"))
    if (Str(r, "state") == "REVIEW_STATE_OPEN") review = r;
  ASSERT_FALSE(review.is_null()) << "no open review:\n" << reviews.dump(1);
  std::string eroding;  // an AT_RISK initiative the review recommends to pivot or stop
  for (const auto& item : Arr(review, "items")) {
    const std::string rec = Str(item, "recommendation");
    if (at_risk_initiatives.contains(Str(item, "initiative_id")) &&
        (rec == "RECOMMENDATION_PIVOT" || rec == "RECOMMENDATION_STOP"))
      eroding = Str(item, "initiative_id");
  }
  ASSERT_FALSE(eroding.empty()) << "the review recommends neither PIVOT nor STOP for an AT_RISK benefit:\n"
                                << review.dump(1);

  // ---- 30 s of streaming, with the dashboard open in a browser ------------------------------
  pmo::testing::Process stream({.argv = {"/bin/sh", "-c",
                                         ". " + Quote((run_ / "env").string()) + " && exec " + PMO_DEMO_BIN +
                                             " --portfolio demo stream --rate 2 --duration 30"},
                                .env = {},
                                .log = tmp_.path() / "stream.log",
                                .stdin_pipe = false});
  const std::string url = "http://127.0.0.1:" + std::to_string(8080 + kOffset) + "/?portfolio=" + kPortfolio;
  const fs::path screenshot = fs::path(PMO_E2E_ARTIFACT_DIR) / "demo.png";
  auto browser = Sh(std::string(PMO_NODE_BIN) + " " + PMO_E2E_DIR "/demo.mjs " + Quote(url) + " " +
                     Quote(screenshot.string()) + " " + eroding + " 30 2>&1");
  EXPECT_EQ(browser.exit_code, 0) << browser.output;
  EXPECT_THAT(browser.output, ::testing::HasSubstr("PASS"));
  auto stream_exit = stream.WaitExit(60s);
  ASSERT_TRUE(stream_exit.has_value()) << "the stream did not end after its 30 s";
  EXPECT_EQ(*stream_exit, 0) << stream.Log();
  EXPECT_THAT(stream.Log(), ::testing::HasSubstr("as JSON"));

  // kcat, an independent client, sees both encodings on the ingest topics.
  auto ingest = Sh(std::string(PMO_KCAT_BIN) + " -C -b " + brokers +
                    " -t pmo.ingest.progress.v1 -e -q -f '%h\\n' 2>&1");
  EXPECT_EQ(ingest.exit_code, 0) << ingest.output;
  EXPECT_THAT(ingest.output, ::testing::HasSubstr("content-type=application/json"));
  EXPECT_THAT(ingest.output, ::testing::HasSubstr("content-type=application/protobuf"));

  // The streamed progress moved the dashboard (HTTP API): some initiative is further along.
  EXPECT_TRUE(WaitFor(
      [&] {
        json now = json::parse(HttpGet(std::string("/api/v1/portfolios/") + kPortfolio + "/dashboard"), nullptr, false);
        if (now.is_discarded()) return false;
        std::map<std::string, double> before;
        for (const auto& r : Arr(dashboard_before, "rows")) before[Str(r, "initiative_id")] = Num(r, "percent_complete");
        for (const auto& r : Arr(now, "rows"))
          if (Num(r, "percent_complete") > before[Str(r, "initiative_id")]) return true;
        return false;
      },
      20s))
      << "no initiative's progress moved on the dashboard";

  // ---- the ranking and the scenarios ---------------------------------------------------------
  json ranking = CtlJson(std::string("ranking --portfolio ") + kPortfolio + " --set page.page_size=200");
  std::set<std::string> ranked;
  for (const auto& e : Arr(ranking, "entries")) ranked.insert(Str(e, "initiative_id"));
  EXPECT_GE(ranked.size(), 30u) << ranking.dump(1);
  EXPECT_TRUE(ranked.contains(eroding));

  json scenarios = CtlJson(std::string("scenarios list --portfolio ") + kPortfolio);
  bool optimal_beats_greedy = false;
  for (const auto& s : Arr(scenarios, "scenarios")) {
    const json* opt = Field(s, "optimal");
    const json* greedy = Field(s, "greedy");
    if (Str(s, "status") == "SCENARIO_STATUS_OPTIMAL" && opt && greedy &&
        Num(*opt, "objective_value") > Num(*greedy, "objective_value") && Num(s, "gain_over_greedy") > 0)
      optimal_beats_greedy = true;
  }
  EXPECT_TRUE(optimal_beats_greedy) << "no scenario is OPTIMAL and better than greedy:\n" << scenarios.dump(1);

  // ---- a STOP decision: intake moves the initiative, scoring drops it from the ranking -------
  auto decide = InRun(std::string(PMO_PMOCTL_BIN) + " decisions record --review " + Str(review, "id") +
                      " --initiative " + eroding +
                      " --decision STOP --rationale 'benefit eroding and no recovery plan' --by 'e2e test'");
  ASSERT_EQ(decide.exit_code, 0) << decide.output;
  EXPECT_TRUE(WaitFor(
      [&] {
        auto r = InRun(std::string(PMO_PMOCTL_BIN) + " initiatives get " + eroding + " -o json");
        json j = json::parse(r.output, nullptr, false);
        return !j.is_discarded() && Str(j, "stage") == "STAGE_STOPPED";
      },
      30s))
      << eroding << " did not reach STOPPED in intake";
  EXPECT_TRUE(WaitFor(
      [&] {
        auto r = InRun(std::string(PMO_PMOCTL_BIN) + " ranking --portfolio " + kPortfolio +
                       " --set page.page_size=200 -o json");
        json j = json::parse(r.output, nullptr, false);
        if (j.is_discarded() || Arr(j, "entries").empty()) return false;
        for (const auto& e : Arr(j, "entries"))
          if (Str(e, "initiative_id") == eroding) return false;
        return true;
      },
      30s))
      << eroding << " is still ranked after STOP";
  auto decisions = Sh(std::string(PMO_KCAT_BIN) + " -C -b " + brokers +
                       " -t pmo.reporting.events.v1 -e -q -f '%k %h\\n' 2>&1");
  EXPECT_THAT(decisions.output, ::testing::HasSubstr("ce_type=pmo.reporting.v1.DecisionRecorded"));
  EXPECT_THAT(decisions.output, ::testing::HasSubstr(eroding + " "));

  // ---- Prometheus scrapes every service -------------------------------------------------------
  const std::string prom = "http://127.0.0.1:" + std::to_string(9090 + kOffset);
  std::string last_up;
  EXPECT_TRUE(WaitFor(
      [&] {
        last_up = Sh("curl -sf '" + prom + "/api/v1/query?query=up'").output;
        json j = json::parse(last_up, nullptr, false);
        if (j.is_discarded()) return false;
        std::set<std::string> serving;
        for (const auto& r : j["data"]["result"])
          if (r["value"][1] == "1") serving.insert(r["metric"].value("service", ""));
        return serving == std::set<std::string>{"pmo-intake", "pmo-scoring", "pmo-okr", "pmo-benefits",
                                                "pmo-reporting"};
      },
      30s))
      << "Prometheus does not show every service up:\n" << last_up;
  auto rules = Sh("curl -sf '" + prom + "/api/v1/rules'");
  EXPECT_THAT(rules.output, ::testing::HasSubstr("PmoServiceDown"));

  // ---- ./pmo down leaves nothing behind ------------------------------------------------------
  std::vector<pid_t> pids;
  {
    std::ifstream in(run_ / "pids");
    std::string name;
    pid_t pid;
    while (in >> name >> pid) pids.push_back(pid);
  }
  ASSERT_GE(pids.size(), 8u);  // redis, devbroker, five services, prometheus
  auto down = Sh(env_ + PMO_SOURCE_DIR "/pmo down 2>&1");
  up_ = false;
  EXPECT_EQ(down.exit_code, 0) << down.output;
  for (pid_t pid : pids) EXPECT_NE(kill(pid, 0), 0) << "process " << pid << " is still running after ./pmo down";
  auto leftovers = Sh("pgrep -af " + Quote(run_.string()) + " | grep -v pgrep");
  EXPECT_EQ(leftovers.output, "") << "processes of the run are left:\n" << leftovers.output;
  EXPECT_TRUE(fs::exists(run_ / "intake.log")) << "logs must stay in the run folder";
}

}  // namespace
