// The demo tells the story it promises: every stage of the lifecycle, data intake
// accepts, approvals that pass the value gate and the capacity check in the order the
// seed makes them, benefits that erode, and a stream that keeps moving.
#include "demo_data.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "services/intake/app/convert.h"
#include "services/intake/domain/gates.h"
#include "services/intake/domain/lifecycle.h"
#include "services/intake/domain/updates.h"
#include "pmo/base/errors.h"
#include "pmo/common/kafka.h"

namespace pmo::demo {
namespace {

namespace iv1 = intake::v1;
using intake::app::FromProto;
using ::testing::Contains;

const calendar::Date kToday{2026, 12, 1};

Plan TestPlan() { return MakePlan("demo", kToday); }

bool MeetsTarget(double value, double baseline, double target) {
  return target >= baseline ? value >= target : value <= target;
}

TEST(DemoPlan, FortyInitiativesCoverEveryStage) {
  Plan plan = TestPlan();
  EXPECT_EQ(plan.initiatives.size(), 40u);
  std::set<int> stages;
  std::set<std::string> ids;
  for (const auto& ip : plan.initiatives) {
    stages.insert(ip.target);
    EXPECT_TRUE(ids.insert(ip.id()).second) << "duplicate id " << ip.id();
  }
  for (int s = iv1::STAGE_DRAFT; s <= iv1::STAGE_STOPPED; ++s)
    EXPECT_TRUE(stages.contains(s)) << "no initiative ends in " << iv1::Stage_Name(static_cast<iv1::Stage>(s));
  EXPECT_EQ(plan.objectives.size(), 9u);
  EXPECT_EQ(plan.key_results.size(), 12u);
  EXPECT_EQ(plan.scenarios.size(), 2u);
}

TEST(DemoPlan, ObjectivesCascadeParentsFirstAndKeyResultsHangOffThem) {
  Plan plan = TestPlan();
  std::set<std::string> seen;
  std::map<std::string, int> levels;
  for (const auto& o : plan.objectives) {
    const auto& parent = o.objective().parent_id();
    if (!parent.empty()) {
      ASSERT_TRUE(seen.contains(parent)) << o.objective_id() << " comes before its parent " << parent;
      EXPECT_GT(o.objective().level(), levels[parent]) << o.objective_id() << " must sit below its parent";
    }
    seen.insert(o.objective_id());
    levels[o.objective_id()] = o.objective().level();
  }
  std::set<int> all_levels;
  for (const auto& [id, level] : levels) all_levels.insert(level);
  EXPECT_THAT(all_levels, Contains(okr::v1::LEVEL_COMPANY));
  EXPECT_THAT(all_levels, Contains(okr::v1::LEVEL_PORTFOLIO));
  EXPECT_THAT(all_levels, Contains(okr::v1::LEVEL_PROGRAM));
  for (const auto& k : plan.key_results) {
    EXPECT_TRUE(seen.contains(k.key_result().objective_id())) << k.key_result_id();
    EXPECT_NE(k.key_result().baseline(), k.key_result().target()) << k.key_result_id();
  }
}

TEST(DemoPlan, IntakeAcceptsThePortfolioAndEverySubmission) {
  Plan plan = TestPlan();
  Violations pv;
  auto portfolio = intake::domain::CreatePortfolio(FromProto(plan.portfolio.portfolio(), pv), "demo");
  ASSERT_TRUE(pv.empty());
  ASSERT_TRUE(portfolio.ok()) << portfolio.status();
  std::map<std::string, std::vector<std::string>> deps;
  for (const auto& ip : plan.initiatives) {
    Violations v;
    auto submission = FromProto(ip.submit.initiative(), v);
    intake::app::DefaultCurrency(submission, portfolio->currency);
    auto created = intake::domain::CreateInitiative(
        std::move(submission), ip.id(), ip.submit.submit_as_draft(), *portfolio,
        [&](std::string_view) -> std::optional<std::vector<std::string>> { return std::nullopt; });
    EXPECT_TRUE(v.empty()) << ip.id();
    EXPECT_TRUE(created.ok()) << ip.id() << ": " << created.status();
  }
}

TEST(DemoPlan, EveryPathIsAllowedByTheLifecycle) {
  Plan plan = TestPlan();
  for (const auto& ip : plan.initiatives) {
    iv1::Stage at = ip.submit.submit_as_draft() ? iv1::STAGE_DRAFT : iv1::STAGE_SUBMITTED;
    for (iv1::Stage to : ip.path) {
      EXPECT_TRUE(intake::domain::IsTransitionAllowed(FromProto(at), FromProto(to)))
          << ip.id() << ": " << iv1::Stage_Name(at) << " -> " << iv1::Stage_Name(to);
      at = to;
    }
    EXPECT_EQ(at, ip.target) << ip.id();
  }
}

TEST(DemoPlan, ApprovalsPassTheValueGateEvidenceAndTheCapacityCheckInSeedOrder) {
  Plan plan = TestPlan();
  std::set<std::string> key_results;
  for (const auto& k : plan.key_results) key_results.insert(k.key_result_id());
  Violations ignored;
  intake::domain::Portfolio portfolio = FromProto(plan.portfolio.portfolio(), ignored);
  portfolio.id = plan.portfolio_id;
  std::vector<intake::domain::Initiative> committed;  // APPROVED or ACTIVE so far
  for (const auto& ip : plan.initiatives) {
    intake::domain::Initiative in = FromProto(ip.submit.initiative(), ignored);
    intake::app::DefaultCurrency(in, portfolio.currency);
    in.id = ip.id();
    in.portfolio_id = plan.portfolio_id;
    for (iv1::Stage to : ip.path) {
      in.stage = FromProto(to);
      if (to == iv1::STAGE_APPROVED) {
        // What the value gate will ask okr and benefits for.
        bool linked = false;
        for (const auto& c : ip.submit.initiative().business_case().strategic().key_results())
          linked |= key_results.contains(c.key_result_id());
        EXPECT_TRUE(linked) << ip.id() << " proposes no existing key result";
        const auto& b = ip.submit.initiative().benefits(0);
        EXPECT_TRUE(b.has_baseline() && b.has_target() && !b.unit().empty() && b.target_date().year() > 0) << ip.id();
        auto check = intake::domain::CheckCapacity(portfolio, in, committed);
        EXPECT_TRUE(check.ok()) << ip.id() << " would not fit the portfolio's budget or capacity";
        committed.push_back(in);
      }
      const bool still_committed = to == iv1::STAGE_APPROVED || to == iv1::STAGE_ACTIVE;
      if (!still_committed)
        std::erase_if(committed, [&](const intake::domain::Initiative& o) { return o.id == in.id; });
    }
  }
  EXPECT_EQ(committed.size(), 19u);  // 14 ACTIVE + 5 APPROVED
}

TEST(DemoPlan, ErodingBenefitsMetTheirTargetTwiceThenSlipped) {
  Plan plan = TestPlan();
  int eroding = 0;
  for (const auto& ip : plan.initiatives) {
    if (ip.story != BenefitStory::kEroding) continue;
    ++eroding;
    const auto& promised = ip.submit.initiative().benefits(0);
    const benefits::v1::RecordMeasurementsRequest* history = nullptr;
    for (const auto& m : plan.measurements)
      if (m.benefit_id() == ip.benefit_ids.front()) history = &m;
    ASSERT_NE(history, nullptr) << ip.id();
    const int n = history->measurements_size();
    ASSERT_GE(n, 4);
    auto meets = [&](int i) { return MeetsTarget(history->measurements(i).value(), promised.baseline(), promised.target()); };
    EXPECT_TRUE(meets(n - 3) && meets(n - 2)) << ip.id() << " did not meet its target twice";
    EXPECT_FALSE(meets(n - 1)) << ip.id() << " did not slip back";
  }
  EXPECT_GE(eroding, 2);
}

TEST(DemoPlan, HistoryIsDatedBeforeTodayWithUniqueSourceIds) {
  Plan plan = TestPlan();
  std::set<std::string> sources;
  for (const auto& m : plan.measurements) {
    EXPECT_NE(plan.Find(m.benefit_id().substr(0, m.benefit_id().find('.'))), nullptr) << m.benefit_id();
    for (const auto& x : m.measurements()) {
      calendar::Date d{x.as_of().year(), x.as_of().month(), x.as_of().day()};
      EXPECT_LT(d, kToday);
      EXPECT_TRUE(sources.insert(x.source_id()).second) << x.source_id();
    }
  }
  for (const auto& c : plan.check_ins) EXPECT_TRUE(sources.insert(c.source_id()).second) << c.source_id();
}

TEST(DemoPlan, PromisedBenefitIdsFollowTheBenefitsServiceRule) {
  EXPECT_EQ(PromisedBenefitId("crm-consolidation", "CRM licence cost"), "crm-consolidation.crm-licence-cost");
  EXPECT_EQ(PromisedBenefitId("x", "Complaints answered within 48 h"), "x.complaints-answered-within-48-h");
  EXPECT_EQ(PromisedBenefitId("x", "  Forecast error (%) "), "x.forecast-error");
}

TEST(DemoStream, EachTickFeedsTheThreeIngestTopicsAndAThirdGoesAsJson) {
  Plan plan = TestPlan();
  std::map<std::string, int> per_topic;
  int json = 0, total = 0;
  std::set<std::string> sources;
  for (int64_t tick = 0; tick < 30; ++tick) {
    for (const auto& r : StreamTick(plan, tick, "run-a")) {
      ++per_topic[r.topic];
      ++total;
      json += r.as_json ? 1 : 0;
      if (auto* m = dynamic_cast<const benefits::v1::RecordMeasurementRequest*>(r.payload.get())) {
        EXPECT_TRUE(sources.insert(m->source_id()).second);
        EXPECT_EQ(m->as_of().day(), kToday.day);
      }
      if (auto* c = dynamic_cast<const okr::v1::CheckInRequest*>(r.payload.get())) {
        EXPECT_TRUE(sources.insert(c->source_id()).second);
      }
    }
  }
  EXPECT_EQ(per_topic[std::string(topics::kIngestProgress)], 30);
  EXPECT_EQ(per_topic[std::string(topics::kIngestKrCheckins)], 30);
  EXPECT_EQ(per_topic[std::string(topics::kIngestBenefitMeasurements)], 30);
  EXPECT_EQ(json, total / 3);
  // Another run of the stream is not a redelivery of this one.
  for (const auto& r : StreamTick(plan, 0, "run-b"))
    if (auto* m = dynamic_cast<const benefits::v1::RecordMeasurementRequest*>(r.payload.get())) {
      EXPECT_FALSE(sources.contains(m->source_id()));
    }
}

TEST(DemoStream, ProgressMovesForwardAndErodingBenefitsKeepSlipping) {
  Plan plan = TestPlan();
  std::map<std::string, double> last_percent;
  std::map<std::string, std::vector<double>> eroding_values;
  std::set<std::string> eroding_ids;
  for (const auto& ip : plan.initiatives)
    if (ip.story == BenefitStory::kEroding && ip.target == iv1::STAGE_ACTIVE) eroding_ids.insert(ip.benefit_ids[0]);
  for (int64_t tick = 0; tick < 200; ++tick) {
    for (const auto& r : StreamTick(plan, tick, "run")) {
      if (auto* p = dynamic_cast<const iv1::ReportProgressRequest*>(r.payload.get())) {
        auto [it, fresh] = last_percent.try_emplace(p->initiative_id(), p->report().percent_complete());
        if (!fresh) {
          EXPECT_GE(p->report().percent_complete(), it->second) << p->initiative_id();
          it->second = p->report().percent_complete();
        }
      }
      if (auto* m = dynamic_cast<const benefits::v1::RecordMeasurementRequest*>(r.payload.get()))
        if (eroding_ids.contains(m->benefit_id())) eroding_values[m->benefit_id()].push_back(m->value());
    }
  }
  ASSERT_FALSE(eroding_values.empty());
  for (const auto& [id, values] : eroding_values) {
    ASSERT_GE(values.size(), 2u) << id;
    const InitiativePlan* ip = plan.Find(id.substr(0, id.find('.')));
    ASSERT_NE(ip, nullptr);
    const auto& b = ip->submit.initiative().benefits(0);
    const double first_gap = std::abs(values.front() - b.target()), last_gap = std::abs(values.back() - b.target());
    EXPECT_GT(last_gap, first_gap) << id << " does not keep slipping away from its target";
    for (double v : values) EXPECT_FALSE(MeetsTarget(v, b.baseline(), b.target())) << id;
  }
}

}  // namespace
}  // namespace pmo::demo
