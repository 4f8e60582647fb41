// The projection's pure parts: which events become writes (routed the way the consumer
// routes them, against a store fake), and how a portfolio's read model (hash contents as
// the writes leave them) assembles into dashboard rows.
#include "services/reporting/app/projection.h"

#include "services/reporting/app/change_feed.h"
#include "services/reporting/app/dashboard.h"
#include "services/reporting/app/quarter_freezer.h"
#include "services/reporting/app/reporting_metrics.h"
#include "services/reporting/consumers/event_handlers.h"
#include "services/reporting/store/keys.h"
#include "services/reporting/store/read_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/common/event_router.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"

namespace pmo::reporting::app {
namespace {

namespace keys = store::keys;
using store::Fields;
using store::PortfolioReadModel;
using store::AssembleDashboard;
using store::AssembleRow;

events::v1::Envelope Wrap(const google::protobuf::Message& payload, const std::string& portfolio = "p1") {
  return MakeEnvelope(payload, {.source = "test", .subject = "x", .portfolio_id = portfolio, .aggregate_version = 1,
                                .correlation_id = "", .causation_id = ""});
}

KafkaMessage Record(const events::v1::Envelope& envelope) {
  KafkaMessage m;
  m.topic = std::string(topics::kOkrEvents);
  m.value = envelope.SerializeAsString();
  return m;
}

// Remembers each committed batch's size; an empty read model otherwise.
class FakeStore final : public store::ReadModelStore {
 public:
  absl::StatusOr<PortfolioReadModel> Load(const std::string& p) override {
    PortfolioReadModel m;
    m.portfolio_id = p;
    return m;
  }
  absl::StatusOr<store::KpiHistory> LoadKpiHistory(const std::string&) override { return store::KpiHistory{}; }
  absl::StatusOr<std::vector<std::optional<int64_t>>> FirstAdjustmentsAfter(
      const std::string&, const std::vector<store::AdjustmentQuery>& q) override {
    return std::vector<std::optional<int64_t>>(q.size());
  }
  absl::StatusOr<std::string> EventQuarter(const std::string&) override { return std::string(); }
  absl::Status SetEventQuarter(const std::string&, const std::string&) override { return absl::OkStatus(); }
  absl::Status FreezeQuarter(const std::string&, const std::string&, const std::map<std::string, double>&) override {
    return absl::OkStatus();
  }
  absl::StatusOr<bool> Commit(const store::ProjectionBatch& batch) override {
    commits.push_back(batch.size());
    return true;
  }
  std::vector<size_t> commits;
};

class RoutedProjection : public ::testing::Test {
 protected:
  RoutedProjection() { consumers::RegisterProjection(router_, projection_); }
  FakeStore store_;
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  DashboardQueries dashboards_{store_, clock_};
  QuarterFreezer quarters_{store_, dashboards_};
  ChangeFeed feed_;
  ReportingMetrics metrics_{nullptr};
  Projection projection_{store_, quarters_, feed_, metrics_, clock_};
  EventRouter router_;
};

TEST_F(RoutedProjection, EventsReportingDoesNotUseProduceNoWrites) {
  EXPECT_TRUE(router_.Route(Record(Wrap(okr::v1::InitiativeLink()))).ok());
  EXPECT_TRUE(store_.commits.empty());
}

TEST_F(RoutedProjection, APayloadThatDoesNotDecodeIsInvalid) {
  events::v1::Envelope env = Wrap(intake::v1::InitiativeSubmitted());
  env.mutable_payload()->set_value("\xff\xff\xff");
  EXPECT_EQ(router_.Route(Record(env)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(store_.commits.empty());
}

benefits::v1::BenefitMeasured Measured() {
  benefits::v1::BenefitMeasured m;
  auto* b = m.mutable_benefit();
  b->set_benefit_id("b1");
  b->set_initiative_id("i1");
  b->set_portfolio_id("p1");
  b->set_version(3);
  b->set_status(benefits::v1::BENEFIT_STATUS_REALISED);
  return m;
}

TEST(ProjectTest, ABenefitMeasurementWritesItsSectionAndNamesTheInitiative) {
  EventFacts facts{"e1", std::string(benefits::v1::BenefitMeasured::descriptor()->full_name()), 1, 3};
  auto p = ProjectBenefit(Measured().benefit(), facts);
  EXPECT_EQ(p.writes.size(), 2u);  // the section and the sticky "realised" mark
  ASSERT_EQ(p.changes.size(), 1u);
  EXPECT_EQ(p.changes[0].initiative_id, "i1");
  EXPECT_EQ(p.changes[0].event_type, "BenefitMeasured");
}

TEST_F(RoutedProjection, AnAppliedEventReachesTheStoreAndTheChangeFeed) {
  std::vector<Change> seen;
  feed_.Subscribe([&](const Change& c) { seen.push_back(c); });
  auto env = Wrap(Measured());
  ASSERT_TRUE(router_.Route(Record(env)).ok());
  EXPECT_THAT(store_.commits, ::testing::ElementsAre(2u));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].portfolio_id, "p1");
  EXPECT_EQ(seen[0].initiative_id, "i1");
  EXPECT_EQ(seen[0].event_type, "BenefitMeasured");
  EXPECT_EQ(seen[0].event_id, env.event_id());
  EXPECT_EQ(seen[0].applied_at_ms, 1'800'000'000'000);
}

PortfolioReadModel Model() {
  PortfolioReadModel m;
  m.portfolio_id = "p1";
  intake::v1::Portfolio portfolio;
  portfolio.set_name("Digital");
  portfolio.set_currency("EUR");
  portfolio.set_wip_limit(3);
  auto* q = portfolio.add_budget_per_quarter();
  q->mutable_amount()->set_minor_units(50'000'00);
  m.portfolio = portfolio;

  v1::DashboardRow intake;
  intake.set_title("Checkout revamp");
  intake.set_stage("ACTIVE");
  intake.set_budget(10'000);
  intake.set_actual_spend(4'000);
  Fields& i1 = m.initiatives["i1"];
  i1[keys::kIntake] = intake.SerializeAsString();
  i1[keys::kScore] = "71.5";
  i1[keys::kRank] = "2";
  okr::v1::AlignmentChanged links;
  auto* l1 = links.add_links();
  l1->set_key_result_id("kr1");
  l1->set_objective_id("o1");
  l1->set_contribution(0.75);
  l1->set_measurable(true);
  auto* l2 = links.add_links();
  l2->set_key_result_id("kr2");
  l2->set_objective_id("o1");
  l2->set_contribution(0.25);
  i1[keys::kLinks] = links.SerializeAsString();
  v1::BenefitView b;
  b.set_benefit_id("b1");
  b.set_status("ON_TRACK");
  b.set_realised_share(0.4);
  b.set_planned_value(1000);
  b.set_realised_value(400);
  i1[keys::BenefitField("b1")] = b.SerializeAsString();
  b.set_benefit_id("b2");
  b.set_status("AT_RISK");
  b.set_realised_share(0.2);
  i1[keys::BenefitField("b2")] = b.SerializeAsString();
  i1[keys::RealisedField("b2")] = "1";

  okr::v1::KeyResultCheckedIn c1;
  c1.set_key_result_id("kr1");
  c1.set_key_result_progress(0.5);
  c1.set_key_result_confidence(0.6);
  c1.set_as_of("2027-02-01");
  m.key_results["ci:kr1"] = c1.SerializeAsString();
  m.key_results["v:ci:kr1"] = "4";
  okr::v1::KeyResultCheckedIn c2 = c1;
  c2.set_key_result_id("kr2");
  c2.set_key_result_progress(0.9);
  m.key_results["ci:kr2"] = c2.SerializeAsString();
  m.key_results["v:ci:kr2"] = "2";
  okr::v1::KeyResultChanged kr2;
  kr2.set_key_result_id("kr2");
  kr2.set_measurable(false);
  kr2.set_progress(0.1);  // a newer definition recomputed progress
  kr2.set_confidence(0.6);
  m.key_results["kr:kr2"] = kr2.SerializeAsString();
  m.key_results["v:kr:kr2"] = "3";
  m.confidence_history["kr1"] = {"2027-02-01|s2|0.6", "2027-01-15|s1|0.8"};

  // An initiative known only from a benefit event so far, unranked.
  v1::BenefitView lone;
  lone.set_benefit_id("b9");
  lone.set_status("OFF_TRACK");
  m.initiatives["i0"][keys::BenefitField("b9")] = lone.SerializeAsString();
  return m;
}

TEST(AssembleTest, RowCombinesEverySection) {
  auto row = AssembleRow("i1", Model());
  EXPECT_EQ(row.title(), "Checkout revamp");
  EXPECT_EQ(row.stage(), "ACTIVE");
  EXPECT_DOUBLE_EQ(row.score(), 71.5);
  EXPECT_EQ(row.rank(), 2);
  ASSERT_EQ(row.key_results_size(), 2);
  EXPECT_DOUBLE_EQ(row.key_results(0).progress(), 0.5);
  EXPECT_DOUBLE_EQ(row.key_results(0).previous_confidence(), 0.8);
  EXPECT_EQ(row.key_results(0).last_check_in(), "2027-02-01");
  EXPECT_DOUBLE_EQ(row.key_results(1).progress(), 0.1);  // the newer snapshot wins
  EXPECT_FALSE(row.key_results(1).measurable());
  // contribution-weighted: 0.75 × 0.5 + 0.25 × 0.1
  EXPECT_DOUBLE_EQ(row.key_result_progress(), 0.4);
  ASSERT_EQ(row.benefits_size(), 2);
  EXPECT_DOUBLE_EQ(row.benefit_realisation(), 0.3);
  EXPECT_EQ(row.benefit_status(), "AT_RISK");
  EXPECT_TRUE(row.benefits(1).was_realised());
  EXPECT_FALSE(row.benefits(0).was_realised());
}

TEST(AssembleTest, DashboardOrdersRankedFirstAndTotals) {
  auto d = AssembleDashboard(Model());
  ASSERT_EQ(d.rows_size(), 2);
  EXPECT_EQ(d.rows(0).initiative_id(), "i1");
  EXPECT_EQ(d.rows(1).initiative_id(), "i0");
  EXPECT_EQ(d.name(), "Digital");
  EXPECT_EQ(d.totals().currency(), "EUR");
  EXPECT_DOUBLE_EQ(d.totals().budget(), 50'000);
  EXPECT_EQ(d.totals().active(), 1);
  EXPECT_EQ(d.totals().benefits_at_risk(), 2);
  EXPECT_DOUBLE_EQ(d.totals().planned_benefit_value(), 2000);
  EXPECT_DOUBLE_EQ(d.totals().actual_spend(), 4000);
}

TEST(AssembleTest, EvidenceCarriesWhatTheRulesRead) {
  auto row = AssembleRow("i1", Model());
  auto e = EvidenceOf(row, 7);
  EXPECT_EQ(e.ranked_count, 7);
  EXPECT_EQ(*e.rank, 2);
  EXPECT_EQ(e.benefits[1].status, domain::BenefitStatus::kAtRisk);
  EXPECT_TRUE(e.benefits[1].was_realised);
  EXPECT_FALSE(domain::IsEroding(e.benefits[1]));  // AT_RISK, but benefits did not say "eroding"
  EXPECT_EQ(*e.key_results[0].last_check_in, (calendar::Date{2027, 2, 1}));
}

}  // namespace
}  // namespace pmo::reporting::app
