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
#include "pmo/common/envelope.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/reporting.grpc.pb.h"
#include "pmo/scoring/v1/events.pb.h"
#include "support.h"

namespace pmo::reporting {
namespace {

using namespace std::chrono_literals;
using pmo::testing::WaitFor;
namespace fs = std::filesystem;
namespace iv1 = ::pmo::intake::v1;
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
    ProducerOptions options;
    options.brokers = broker_->bootstrap();
    options.client_id = "e2e";
    options.linger_ms = 1;
    options.message_timeout_ms = 30000;
    auto producer = Producer::Create(options);
    ASSERT_TRUE(producer.ok()) << producer.status();
    producer_ = std::move(*producer);
  }

  void Publish(std::string_view topic, const google::protobuf::Message& payload, const std::string& subject,
               int64_t version = 1) {
    EventMeta meta;
    meta.source = "e2e";
    meta.subject = subject;
    meta.portfolio_id = kPortfolio;
    meta.aggregate_version = version;
    auto env = MakeEnvelope(payload, meta);
    PMO_ASSERT_OK(producer_->ProduceSync(topic, subject, env.SerializeAsString(), CloudEventHeaders(env)));
  }

  // A portfolio with two ACTIVE initiatives, each aligned to a measurable key result
  // with a check-in, scored and ranked.
  void PublishPortfolio() {
    iv1::PortfolioChanged pc;
    auto* p = pc.mutable_portfolio();
    p->set_id(kPortfolio);
    p->set_name("Customer experience");
    p->set_currency("EUR");
    p->set_wip_limit(5);
    p->set_version(1);
    auto* b = p->add_budget_per_quarter();
    b->mutable_quarter()->set_year(2027);
    b->mutable_quarter()->set_quarter(1);
    b->mutable_amount()->set_currency("EUR");
    b->mutable_amount()->set_minor_units(1'000'000'00);
    Publish(topics::kIntakeEvents, pc, kPortfolio);
    for (const char* id : {"good", "bad"}) {
      iv1::InitiativeStageChanged sc;
      auto* in = sc.mutable_initiative();
      in->set_id(id);
      in->set_portfolio_id(kPortfolio);
      in->set_title(std::string(id) == "good" ? "Self-service returns" : "Loyalty app relaunch");
      in->set_stage(iv1::STAGE_ACTIVE);
      in->set_version(4);
      in->mutable_business_case()->mutable_financial()->mutable_total_cost()->set_minor_units(200'000'00);
      auto* pr = in->mutable_latest_progress();
      pr->mutable_as_of()->set_year(2027);
      pr->mutable_as_of()->set_month(2);
      pr->mutable_as_of()->set_day(1);
      pr->set_percent_complete(40);
      pr->mutable_actual_spend_to_date()->set_minor_units(80'000'00);
      pr->mutable_forecast_at_completion()->set_minor_units(205'000'00);
      pr->set_delivery_confidence(0.8);
      sc.set_from(iv1::STAGE_APPROVED);
      sc.set_to(iv1::STAGE_ACTIVE);
      Publish(topics::kIntakeEvents, sc, id, 4);

      okr::v1::AlignmentChanged a;
      a.set_initiative_id(id);
      a.set_portfolio_id(kPortfolio);
      a.set_version(1);
      auto* l = a.add_links();
      l->set_key_result_id(std::string("kr-") + id);
      l->set_objective_id("obj-1");
      l->set_contribution(0.5);
      l->set_measurable(true);
      Publish(topics::kOkrEvents, a, id);

      okr::v1::KeyResultChanged kr;
      kr.set_key_result_id(std::string("kr-") + id);
      kr.set_objective_id("obj-1");
      kr.set_portfolio_id(kPortfolio);
      kr.set_measurable(true);
      kr.set_metric(std::string(id) == "good" ? "returns handled online" : "monthly app users");
      kr.set_unit("share");
      kr.set_baseline(0);
      kr.set_target(1);
      kr.set_direction("increase");
      kr.set_version(1);
      kr.set_created(true);
      Publish(topics::kOkrEvents, kr, kr.key_result_id());
      okr::v1::KeyResultCheckedIn ci;
      ci.set_key_result_id(kr.key_result_id());
      ci.set_objective_id("obj-1");
      ci.set_portfolio_id(kPortfolio);
      ci.set_value(std::string(id) == "good" ? 0.6 : 0.25);
      ci.set_confidence(0.7);
      ci.set_as_of("2027-02-01");
      ci.set_source_id("check-in-1");
      ci.set_became_latest(true);
      ci.set_key_result_progress(ci.value());
      ci.set_key_result_confidence(0.7);
      ci.set_version(2);
      Publish(topics::kOkrEvents, ci, kr.key_result_id(), 2);
    }
    scoring::v1::InitiativeScored good, bad;
    good.mutable_score()->set_initiative_id("good");
    good.mutable_score()->set_portfolio_id(kPortfolio);
    good.mutable_score()->set_score(80);
    good.mutable_score()->set_rank(1);
    bad.mutable_score()->set_initiative_id("bad");
    bad.mutable_score()->set_portfolio_id(kPortfolio);
    bad.mutable_score()->set_score(60);
    bad.mutable_score()->set_rank(2);
    Publish(topics::kScoringEvents, good, "good");
    Publish(topics::kScoringEvents, bad, "bad");
  }

  // A benefit measured three times (baseline 10, target 20) with the realised `share`
  // and the forecast value at the target date.
  void PublishBenefit(const std::string& initiative, double share, double forecast,
                      benefits::v1::BenefitStatus status, int64_t version) {
    benefits::v1::BenefitMeasured m;
    auto* b = m.mutable_benefit();
    b->set_benefit_id("ben-" + initiative);
    b->set_initiative_id(initiative);
    b->set_portfolio_id(kPortfolio);
    b->set_metric("orders per day");
    b->set_unit("orders");
    b->set_baseline(10);
    b->set_target(20);
    b->set_version(version);
    b->set_status(status);
    auto* r = b->mutable_realisation();
    r->set_measurement_count(3);
    r->set_share(share);
    r->mutable_latest()->set_value(10 + 10 * share);
    r->mutable_latest()->mutable_as_of()->set_year(2027);
    r->mutable_latest()->mutable_as_of()->set_month(2);
    r->mutable_latest()->mutable_as_of()->set_day(static_cast<int>(version));
    r->mutable_forecast()->set_points(3);
    r->mutable_forecast()->set_value(forecast);
    Publish(topics::kBenefitsEvents, m, b->benefit_id(), version);
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
  std::unique_ptr<Producer> producer_;
};

TEST_F(DashboardE2e, TheBrowserRecordsADecisionAndShowsANewMeasurementWithoutReloading) {
  const std::string missing = MissingPrerequisites();
  ASSERT_TRUE(missing.empty()) << "the end-to-end browser test cannot run:\n" << missing;
  ASSERT_NO_FATAL_FAILURE(StartServices());

  PublishPortfolio();
  PublishBenefit("good", 0.5, 21, benefits::v1::BENEFIT_STATUS_ON_TRACK, 3);
  PublishBenefit("bad", 0.3, 11, benefits::v1::BENEFIT_STATUS_OFF_TRACK, 3);
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
  PublishBenefit("bad", 0.65, 17, benefits::v1::BENEFIT_STATUS_AT_RISK, 4);

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
