// The live dashboard end to end, in a real browser: pmo-reporting (serving the built
// page) over a private redis-server and pmo-devbroker; the test publishes the other
// services' events and opens an evidence review; dashboard.mjs drives Debian's chromium
// through playwright-core: it records a decision with the page's buttons, and once it
// prints READY the test publishes a new benefit measurement, which the page must show
// without a reload. The screenshot is kept under <build>/test-artifacts/.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "pmo/benefits/v1/events.pb.h"
#include "pmo/reporting/v1/reporting.grpc.pb.h"
#include "support.h"
#include "services/reporting/tests/seed.h"

namespace pmo::reporting {
namespace {

using namespace std::chrono_literals;
using pmo::testing::WaitFor;
namespace fs = std::filesystem;
constexpr char kPortfolio[] = "pf-e2e";

// Everything the browser side needs, or why it is missing (the test fails, never skips:
// ./pmo setup installs chromium and the npm packages, ./pmo build builds the page).
std::string MissingPrerequisites() {
  std::string missing;
  if (!fs::exists(fs::path(PMO_E2E_WEB_DIR) / "index.html"))
    missing += "the dashboard page is not built in " PMO_E2E_WEB_DIR " (./pmo build runs the Vite build; needs node)\n";
  const char* chromium = std::getenv("PMO_CHROMIUM");
  std::string browser = chromium && *chromium ? chromium : "/usr/bin/chromium";
  if (!fs::exists(browser)) missing += "no chromium at " + browser + " (./pmo setup installs Debian's chromium)\n";
  if (std::string(PMO_NODE_BIN).empty() || !fs::exists(PMO_NODE_BIN))
    missing += "node was not found when the build was configured (./pmo setup installs nodejs)\n";
  if (!fs::exists(fs::path(PMO_E2E_DIR) / "node_modules" / "playwright-core"))
    missing += "playwright-core is not installed in " PMO_E2E_DIR " (./pmo setup runs npm ci there)\n";
  return missing;
}

class DashboardE2e : public ::testing::Test {
 protected:
  void StartServices() {
    broker_ = std::make_unique<pmo::testing::DevBroker>(1, 3);
    http_port_ = pmo::testing::FreePort();
    svc_ = std::make_unique<pmo::testing::ServiceProcess>(
        PMO_REPORTING_BIN, redis_.url(), broker_->bootstrap(),
        std::map<std::string, std::string>{{"PMO_HTTP_PORT", std::to_string(http_port_)},
                                           {"PMO_WEB_DIR", PMO_E2E_WEB_DIR}},
        logs_.path() / "reporting.log");
    stub_ = v1::ReportingService::NewStub(grpc::CreateChannel(svc_->target(), grpc::InsecureChannelCredentials()));
    seed_ = std::make_unique<testing::Seed>(broker_->bootstrap(), kPortfolio);
  }

  std::optional<double> Realisation(const std::string& initiative) {
    grpc::ClientContext ctx;
    v1::GetDashboardRequest req;
    req.set_portfolio_id(kPortfolio);
    v1::Dashboard d;
    if (!stub_->GetDashboard(&ctx, req, &d).ok()) return std::nullopt;
    for (const auto& r : d.rows())
      if (r.initiative_id() == initiative && r.has_benefit_realisation()) return r.benefit_realisation();
    return std::nullopt;
  }

  pmo::testing::TempDir logs_;
  pmo::testing::RedisServer redis_;
  std::unique_ptr<pmo::testing::DevBroker> broker_;
  int http_port_ = 0;
  std::unique_ptr<pmo::testing::ServiceProcess> svc_;
  std::unique_ptr<v1::ReportingService::Stub> stub_;
  std::unique_ptr<testing::Seed> seed_;
};

TEST_F(DashboardE2e, TheBrowserRecordsADecisionAndShowsANewMeasurementWithoutReloading) {
  const std::string missing = MissingPrerequisites();
  ASSERT_TRUE(missing.empty()) << "the end-to-end browser test cannot run:\n" << missing;
  ASSERT_NO_FATAL_FAILURE(StartServices());

  seed_->PortfolioWithTwoActiveInitiatives();
  seed_->BenefitMeasured("good", 0.5, 21, benefits::v1::BENEFIT_STATUS_ON_TRACK, 3);
  seed_->BenefitMeasured("bad", 0.3, 11, benefits::v1::BENEFIT_STATUS_OFF_TRACK, 3);
  ASSERT_TRUE(WaitFor(
      [&] {
        auto good = Realisation("good");
        auto bad = Realisation("bad");
        return good && bad && *bad == 0.3;
      },
      30s))
      << svc_->process().Log();

  // The open review the browser decides on.
  v1::Review review;
  {
    grpc::ClientContext ctx;
    v1::OpenReviewRequest req;
    req.set_portfolio_id(kPortfolio);
    req.set_quarter("2027Q1");
    auto s = stub_->OpenReview(&ctx, req, &review);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_EQ(review.items_size(), 2);

  const fs::path artifacts = PMO_E2E_ARTIFACT_DIR;
  const fs::path screenshot = artifacts / "dashboard.png";
  fs::create_directories(artifacts);
  fs::remove(screenshot);
  const std::string url =
      "http://127.0.0.1:" + std::to_string(http_port_) + "/?portfolio=" + std::string(kPortfolio);
  pmo::testing::Process browser({.argv = {PMO_NODE_BIN, PMO_E2E_DIR "/dashboard.mjs", url, screenshot.string(),
                                          "--initiative", "bad", "--before", "30%", "--after", "65%", "--decide",
                                          "STOP"},
                                 .env = {},
                                 .log = logs_.path() / "browser.log",
                                 .stdin_pipe = false});

  // The page is live, the decision is recorded: now the new measurement.
  ASSERT_TRUE(WaitFor(
      [&] {
        auto log = browser.Log();
        return log.find("READY") != std::string::npos || !browser.running();
      },
      120s, 50ms))
      << browser.Log();
  ASSERT_NE(browser.Log().find("READY"), std::string::npos)
      << "the browser script ended before READY:\n"
      << browser.Log() << "\nreporting log:\n"
      << svc_->process().Log();
  seed_->BenefitMeasured("bad", 0.65, 17, benefits::v1::BENEFIT_STATUS_AT_RISK, 4);

  auto exit_code = browser.WaitExit(90s);
  ASSERT_TRUE(exit_code.has_value()) << "the browser script did not finish:\n" << browser.Log();
  EXPECT_EQ(*exit_code, 0) << browser.Log() << "\nreporting log:\n" << svc_->process().Log();
  EXPECT_NE(browser.Log().find("PASS"), std::string::npos) << browser.Log();
  ASSERT_TRUE(fs::exists(screenshot)) << "no screenshot at " << screenshot;
  EXPECT_GT(fs::file_size(screenshot), 10'000u);
  std::cout << "dashboard screenshot: " << screenshot.string() << std::endl;

  // The decision the page's button posted is the review's, as recorded.
  {
    grpc::ClientContext ctx;
    v1::GetReviewRequest req;
    req.set_review_id(review.id());
    v1::Review now;
    ASSERT_TRUE(stub_->GetReview(&ctx, req, &now).ok());
    bool found = false;
    for (const auto& item : now.items()) {
      if (item.initiative_id() != "bad") continue;
      found = true;
      EXPECT_EQ(item.decision(), v1::DECISION_STOP);
      EXPECT_EQ(item.decided_by(), "portfolio board");
      EXPECT_FALSE(item.rationale().empty());
    }
    EXPECT_TRUE(found);
  }
  EXPECT_EQ(Realisation("bad"), 0.65);
}

}  // namespace
}  // namespace pmo::reporting
