// The other services' events as the reporting tests publish them, the way those
// services' relays do: a portfolio with two ACTIVE initiatives, "good" and "bad", each
// with a business case, a progress report, a measurable key result with a check-in, a
// score and a rank; and benefit measurements (baseline 10, target 20). Shared by the
// reporting integration test and the dashboard's browser test.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/scoring/v1/events.pb.h"
#include "pmo/testing/status_matchers.h"

namespace pmo::reporting::testing {

class Seed {
 public:
  Seed(const std::string& brokers, std::string portfolio) : portfolio_(std::move(portfolio)) {
    ProducerOptions options;
    options.brokers = brokers;
    options.client_id = "seed";
    options.linger_ms = 1;
    options.message_timeout_ms = 30000;
    auto producer = Producer::Create(options);
    EXPECT_TRUE(producer.ok()) << producer.status();
    if (producer.ok()) producer_ = std::move(*producer);
  }

  const std::string& portfolio() const { return portfolio_; }

  void Publish(std::string_view topic, const google::protobuf::Message& payload, const std::string& subject,
               int64_t version = 1) {
    EventMeta meta;
    meta.source = "seed";
    meta.subject = subject;
    meta.portfolio_id = portfolio_;
    meta.aggregate_version = version;
    auto env = MakeEnvelope(payload, meta);
    PMO_ASSERT_OK(producer_->ProduceSync(topic, subject, env.SerializeAsString(), CloudEventHeaders(env)));
  }

  // A portfolio with two ACTIVE initiatives, each aligned to a measurable key result
  // with a check-in, scored and ranked.
  void PortfolioWithTwoActiveInitiatives() {
    intake::v1::PortfolioChanged pc;
    auto* p = pc.mutable_portfolio();
    p->set_id(portfolio_);
    p->set_name("Customer experience");
    p->set_currency("EUR");
    p->set_wip_limit(5);
    p->set_version(1);
    auto* b = p->add_budget_per_quarter();
    b->mutable_quarter()->set_year(2027);
    b->mutable_quarter()->set_quarter(1);
    b->mutable_amount()->set_currency("EUR");
    b->mutable_amount()->set_minor_units(1'000'000'00);
    Publish(topics::kIntakeEvents, pc, portfolio_);
    for (const char* id : {"good", "bad"}) {
      intake::v1::InitiativeStageChanged sc;
      auto* in = sc.mutable_initiative();
      in->set_id(id);
      in->set_portfolio_id(portfolio_);
      in->set_title(std::string(id) == "good" ? "Self-service returns" : "Loyalty app relaunch");
      in->set_stage(intake::v1::STAGE_ACTIVE);
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
      sc.set_from(intake::v1::STAGE_APPROVED);
      sc.set_to(intake::v1::STAGE_ACTIVE);
      Publish(topics::kIntakeEvents, sc, id, 4);

      okr::v1::AlignmentChanged a;
      a.set_initiative_id(id);
      a.set_portfolio_id(portfolio_);
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
      kr.set_portfolio_id(portfolio_);
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
      ci.set_portfolio_id(portfolio_);
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
    good.mutable_score()->set_portfolio_id(portfolio_);
    good.mutable_score()->set_score(80);
    good.mutable_score()->set_rank(1);
    bad.mutable_score()->set_initiative_id("bad");
    bad.mutable_score()->set_portfolio_id(portfolio_);
    bad.mutable_score()->set_score(60);
    bad.mutable_score()->set_rank(2);
    Publish(topics::kScoringEvents, good, "good");
    Publish(topics::kScoringEvents, bad, "bad");
  }

  // A benefit measured three times (baseline 10, target 20) with the realised `share`
  // and the forecast value at the target date.
  void BenefitMeasured(const std::string& initiative, double share, double forecast,
                      benefits::v1::BenefitStatus status, int64_t version) {
    benefits::v1::BenefitMeasured m;
    auto* b = m.mutable_benefit();
    b->set_benefit_id("ben-" + initiative);
    b->set_initiative_id(initiative);
    b->set_portfolio_id(portfolio_);
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

 private:
  std::string portfolio_;
  std::unique_ptr<Producer> producer_;
};

}  // namespace pmo::reporting::testing
