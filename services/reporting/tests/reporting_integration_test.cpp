// pmo-reporting as a process against a real redis-server and pmo-devbroker. The test
// publishes the other services' events the way their relays do; they show up in the
// dashboard (gRPC and HTTP) and on the server-sent event stream; an evidence review of
// an initiative whose benefit forecast collapsed recommends STOP and says why; the
// recorded decision is published (checked with kcat); a second instance on an empty
// Redis replays the topics from the beginning into the same dashboard.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <google/protobuf/util/message_differencer.h>
#include <httplib.h>

#include <atomic>
#include <thread>

#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/reporting/v1/events.pb.h"
#include "pmo/reporting/v1/reporting.grpc.pb.h"
#include "pmo/scoring/v1/events.pb.h"
#include "support.h"
#include "services/reporting/tests/seed.h"

namespace pmo::reporting {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using pmo::testing::WaitFor;
namespace iv1 = ::pmo::intake::v1;
constexpr char kPortfolio[] = "pf-r";

class ReportingIntegration : public ::testing::Test {
 protected:
  ReportingIntegration()
      : broker_(1, 3),
        http_port_(pmo::testing::FreePort()),
        svc_(PMO_REPORTING_BIN, redis_.url(), broker_.bootstrap(), {{"PMO_HTTP_PORT", std::to_string(http_port_)}},
             logs_.path() / "reporting.log") {
    stub_ = v1::ReportingService::NewStub(grpc::CreateChannel(svc_.target(), grpc::InsecureChannelCredentials()));
    seed_ = std::make_unique<testing::Seed>(broker_.bootstrap(), kPortfolio);
  }

  std::optional<v1::Dashboard> Dashboard(v1::ReportingService::Stub& stub) {
    grpc::ClientContext ctx;
    v1::GetDashboardRequest req;
    req.set_portfolio_id(kPortfolio);
    v1::Dashboard out;
    if (!stub.GetDashboard(&ctx, req, &out).ok()) return std::nullopt;
    return out;
  }

  const v1::DashboardRow* Row(const v1::Dashboard& d, const std::string& id) {
    for (const auto& r : d.rows())
      if (r.initiative_id() == id) return &r;
    return nullptr;
  }

  pmo::testing::TempDir logs_;
  pmo::testing::RedisServer redis_;
  pmo::testing::DevBroker broker_;
  int http_port_;
  pmo::testing::ServiceProcess svc_;
  std::unique_ptr<v1::ReportingService::Stub> stub_;
  std::unique_ptr<testing::Seed> seed_;
};

TEST_F(ReportingIntegration, EventsReachTheDashboardTheStreamAndAReviewThatStopsACollapsedBenefit) {
  seed_->PortfolioWithTwoActiveInitiatives();
  ASSERT_TRUE(WaitFor(
      [&] {
        auto d = Dashboard(*stub_);
        return d && d->rows_size() == 2 && d->rows(0).initiative_id() == "good" && d->rows(1).rank() == 2 &&
               d->rows(1).key_results_size() == 1 && d->rows(1).stage() == "ACTIVE";
      },
      30s))
      << svc_.process().Log();

  // The stream: open it, then publish a measurement; the change arrives without polling.
  std::atomic<bool> got_change{false};
  std::string received;
  std::mutex received_mu;
  std::thread reader([&] {
    httplib::Client cli("127.0.0.1", http_port_);
    cli.set_read_timeout(30, 0);
    cli.Get(std::string("/api/v1/portfolios/") + kPortfolio + "/stream", [&](const char* data, size_t len) {
      std::lock_guard lock(received_mu);
      received.append(data, len);
      if (received.find("\"initiativeId\":\"bad\"") != std::string::npos &&
          received.find("BenefitMeasured") != std::string::npos) {
        got_change = true;
        return false;
      }
      return true;
    });
  });
  ASSERT_TRUE(WaitFor(
      [&] {
        std::lock_guard lock(received_mu);
        return received.find(": connected") != std::string::npos;
      },
      10s));
  seed_->BenefitMeasured("good", 0.5, 21, benefits::v1::BENEFIT_STATUS_ON_TRACK, 3);
  seed_->BenefitMeasured("bad", 0.3, 11, benefits::v1::BENEFIT_STATUS_OFF_TRACK, 3);
  EXPECT_TRUE(WaitFor([&] { return got_change.load(); }, 30s)) << received;
  reader.join();

  ASSERT_TRUE(WaitFor(
      [&] {
        auto d = Dashboard(*stub_);
        auto* bad = d ? Row(*d, "bad") : nullptr;
        return bad && bad->benefit_status() == "OFF_TRACK";
      },
      30s));
  auto dashboard = *Dashboard(*stub_);
  const auto* bad = Row(dashboard, "bad");
  EXPECT_NEAR(bad->benefits(0).forecast_share(), 0.1, 1e-9);
  EXPECT_DOUBLE_EQ(bad->budget(), 200'000);
  EXPECT_EQ(dashboard.totals().benefits_at_risk(), 1);
  EXPECT_EQ(dashboard.totals().active(), 2);

  // The same dashboard over HTTP (protobuf's JSON mapping) and as CSV.
  httplib::Client cli("127.0.0.1", http_port_);
  auto json = cli.Get(std::string("/api/v1/portfolios/") + kPortfolio + "/dashboard");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 200);
  EXPECT_THAT(json->body, HasSubstr("\"benefitStatus\":\"OFF_TRACK\""));
  auto csv = cli.Get(std::string("/api/v1/portfolios/") + kPortfolio + "/dashboard.csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 3);
  EXPECT_THAT(csv->body, HasSubstr("2,bad,Loyalty app relaunch,ACTIVE,60,"));
  auto missing = cli.Get("/api/v1/portfolios/nowhere/dashboard");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  // A body past the limit is refused as too large, and the answer states the limit.
  auto oversized = cli.Post(std::string("/api/v1/portfolios/") + kPortfolio + "/reviews",
                            std::string(2 << 20, ' '), "application/json");
  ASSERT_TRUE(oversized);
  EXPECT_EQ(oversized->status, 413);
  EXPECT_THAT(oversized->body, HasSubstr("at most 1048576 bytes"));

  // The review recommends STOP for the collapsed forecast and says why; CONTINUE for the other.
  v1::Review review;
  {
    grpc::ClientContext ctx;
    v1::OpenReviewRequest req;
    req.set_portfolio_id(kPortfolio);
    req.set_quarter("2027Q1");
    ASSERT_TRUE(stub_->OpenReview(&ctx, req, &review).ok());
  }
  ASSERT_EQ(review.items_size(), 2);
  for (const auto& item : review.items()) {
    if (item.initiative_id() == "bad") {
      EXPECT_EQ(item.recommendation(), v1::RECOMMENDATION_STOP);
      ASSERT_GT(item.reasons_size(), 0);
      EXPECT_EQ(item.reasons(0).rule(), "benefit-forecast");
      EXPECT_THAT(item.reasons(0).detail(), HasSubstr("reaches 10% of the planned improvement"));
      EXPECT_EQ(item.evidence().benefit_status(), "OFF_TRACK");
    } else {
      EXPECT_EQ(item.recommendation(), v1::RECOMMENDATION_CONTINUE) << item.DebugString();
    }
  }
  {
    grpc::ClientContext ctx;
    v1::OpenReviewRequest req;
    req.set_portfolio_id(kPortfolio);
    req.set_quarter("2027Q1");
    v1::Review again;
    EXPECT_EQ(stub_->OpenReview(&ctx, req, &again).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  }

  // Bad input lists everything that is wrong.
  {
    grpc::ClientContext ctx;
    v1::RecordDecisionRequest req;
    v1::Review out;
    auto s = stub_->RecordDecision(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    for (const char* field : {"review_id", "initiative_id", "decision", "rationale", "decided_by"})
      EXPECT_THAT(s.error_message(), HasSubstr(field));
  }
  // Recording STOP publishes DecisionRecorded, keyed by the initiative.
  {
    grpc::ClientContext ctx;
    v1::RecordDecisionRequest req;
    req.set_review_id(review.id());
    req.set_initiative_id("bad");
    req.set_decision(v1::DECISION_STOP);
    req.set_rationale("forecast realises a tenth of the planned improvement");
    req.set_decided_by("portfolio board");
    v1::Review out;
    ASSERT_TRUE(stub_->RecordDecision(&ctx, req, &out).ok());
  }
  std::string kcat;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto r = pmo::testing::Run("kcat -C -b " + broker_.bootstrap() + " -t " +
                                   std::string(topics::kReportingEvents) + " -o beginning -e -q -f '%k %h\\n'");
        kcat = r.output;
        return kcat.find("pmo.reporting.v1.DecisionRecorded") != std::string::npos;
      },
      30s))
      << kcat;
  // The record key is the initiative.
  EXPECT_THAT(kcat, ::testing::ContainsRegex("(^|\n)bad [^\n]*pmo.reporting.v1.DecisionRecorded"));
  // Consumed back: the row shows the decision, and the KPI counts it as evidence-based.
  ASSERT_TRUE(WaitFor(
      [&] {
        auto d = Dashboard(*stub_);
        auto* row = d ? Row(*d, "bad") : nullptr;
        return row && row->last_decision() == v1::DECISION_STOP;
      },
      30s));
  {
    grpc::ClientContext ctx;
    v1::GetKpisRequest req;
    req.set_portfolio_id(kPortfolio);
    v1::GetKpisResponse kpis;
    ASSERT_TRUE(stub_->GetKpis(&ctx, req, &kpis).ok());
    bool found = false;
    for (const auto& k : kpis.kpis())
      if (k.key() == "evidence_based_decisions") {
        found = true;
        EXPECT_DOUBLE_EQ(k.value(), 1);
      }
    EXPECT_TRUE(found);
  }
  // Closing with an undecided initiative is refused and names it.
  {
    grpc::ClientContext ctx;
    v1::CloseReviewRequest req;
    req.set_review_id(review.id());
    v1::Review out;
    auto s = stub_->CloseReview(&ctx, req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(s.error_message(), HasSubstr("good"));
  }

  // Replay: a second instance over an empty Redis database, in a new consumer group,
  // rebuilds the same dashboard from the topics alone.
  pmo::testing::ServiceProcess replay(PMO_REPORTING_BIN, redis_.url(1), broker_.bootstrap(),
                                      {{"PMO_HTTP_PORT", "0"}, {"PMO_CONSUMER_GROUP", "reporting-replay"}},
                                      logs_.path() / "replay.log");
  auto replay_stub =
      v1::ReportingService::NewStub(grpc::CreateChannel(replay.target(), grpc::InsecureChannelCredentials()));
  auto live = *Dashboard(*stub_);
  live.clear_as_of();
  std::string last;
  EXPECT_TRUE(WaitFor(
      [&] {
        auto d = Dashboard(*replay_stub);
        if (!d) return false;
        d->clear_as_of();
        last = d->DebugString();
        return google::protobuf::util::MessageDifferencer::Equals(*d, live);
      },
      60s))
      << "live:\n"
      << live.DebugString() << "\nreplayed:\n"
      << last;
}

}  // namespace
}  // namespace pmo::reporting
