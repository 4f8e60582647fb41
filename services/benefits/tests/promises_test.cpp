// Promise reconciliation: which benefits an initiative snapshot registers, updates,
// withdraws or opens the tracking window of, given what the register holds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/benefits/domain/promises.h"
#include "fixtures.h"

namespace pmo::benefits::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A promise of `metric`, valid unless the test bends it.
Promise Promised(const std::string& metric, double target = 30) {
  Promise p;
  p.definition = testing::IncreaseBenefit();
  p.definition.id.clear();
  p.definition.initiative_id.clear();
  p.definition.portfolio_id.clear();
  p.definition.metric = metric;
  p.definition.target = target;
  return p;
}

std::vector<Promise> Prepared(std::vector<Promise> promises) {
  PreparePromises("in-1", "pf-1", promises);
  return promises;
}

// What the register holds for a promise registered before.
HeldBenefit HeldFrom(const Promise& promise) {
  HeldBenefit h;
  h.definition = promise.definition;
  h.definition.version = 3;
  h.from_submission = true;
  return h;
}

// A state that needs reconciling: promises changed since the last snapshot.
PromiseState StateWith(std::vector<Promise> promises) {
  PromiseState s;
  s.initiative_id = "in-1";
  s.promises = Prepared(std::move(promises));
  s.promises_changed = true;
  return s;
}

std::vector<std::pair<PromiseStep, std::string>> Steps(const Reconciliation& r) {
  std::vector<std::pair<PromiseStep, std::string>> out;
  for (const auto& a : r.actions) out.emplace_back(a.step, a.definition.id);
  return out;
}

TEST(DeliveryTest, TheFirstDeliveredSnapshotOpensTrackingAndTheDayIsKept) {
  const Date day{2027, 5, 1};
  EXPECT_EQ(DeliveryOf(std::nullopt, false, day).delivered_on, std::nullopt);
  EXPECT_FALSE(DeliveryOf(std::nullopt, false, day).newly_delivered);
  const Delivery first = DeliveryOf(std::nullopt, true, day);
  EXPECT_EQ(first.delivered_on, day);
  EXPECT_TRUE(first.newly_delivered);
  const Delivery later = DeliveryOf(Date{2027, 4, 2}, true, day);
  EXPECT_EQ(later.delivered_on, (Date{2027, 4, 2})) << "a later event does not move the day";
  EXPECT_FALSE(later.newly_delivered);
  EXPECT_EQ(DeliveryOf(Date{2027, 4, 2}, false, day).delivered_on, (Date{2027, 4, 2}))
      << "a stage moved back (a decision) keeps tracking open";
}

TEST(PreparePromisesTest, AssignsDeterministicIdsCountingRepeatedMetrics) {
  auto promises = Prepared({Promised("NPS"), Promised("Churn rate"), Promised("nps"), Promised("***")});
  ASSERT_EQ(promises.size(), 4u);
  EXPECT_EQ(promises[0].definition.id, "in-1.nps");
  EXPECT_EQ(promises[1].definition.id, "in-1.churn-rate");
  EXPECT_EQ(promises[2].definition.id, "in-1.nps-2");
  EXPECT_EQ(promises[3].definition.id, "in-1.benefit-4");
  for (const auto& p : promises) {
    EXPECT_EQ(p.definition.initiative_id, "in-1");
    EXPECT_EQ(p.definition.portfolio_id, "pf-1");
    EXPECT_TRUE(p.validity.ok()) << p.validity;
  }
}

TEST(PreparePromisesTest, ValidityListsReadingProblemsThenRuleViolations) {
  Promise bad = Promised("NPS", /*target=*/10);  // the target equals the baseline
  bad.problems.push_back({"target_date", "is required"});
  auto promises = Prepared({bad});
  EXPECT_THAT(promises[0].validity, testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                                      HasSubstr("invalid promised benefit")));
  EXPECT_THAT(testing::ViolationFields(promises[0].validity), ElementsAre("target_date", "target"));
}

TEST(ReconcilePromisesTest, NothingChangesWhenPromisesAreTheSameAndNoDelivery) {
  PromiseState s = StateWith({Promised("NPS")});
  s.promises_changed = false;
  EXPECT_THAT(ReconcilePromises(s).actions, IsEmpty());
}

TEST(ReconcilePromisesTest, RegistersEveryNewValidPromiseInOrder) {
  Promise invalid = Promised("Churn", 10);
  const Reconciliation r = ReconcilePromises(StateWith({Promised("NPS"), invalid, Promised("Cost")}));
  EXPECT_THAT(Steps(r), ElementsAre(std::pair{PromiseStep::kRegister, std::string("in-1.nps")},
                                    std::pair{PromiseStep::kRegister, std::string("in-1.cost")}));
  EXPECT_EQ(r.actions[0].definition.portfolio_id, "pf-1");
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0].benefit_id, "in-1.churn");
  EXPECT_EQ(r.skipped[0].reason, SkipReason::kInvalid);
  EXPECT_THAT(r.skipped[0].detail, testing::StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("target")));
}

TEST(ReconcilePromisesTest, InvalidPromisesAreReportedEvenWhenNothingElseChanges) {
  PromiseState s = StateWith({Promised("Churn", 10)});
  s.promises_changed = false;
  const Reconciliation r = ReconcilePromises(s);
  EXPECT_THAT(r.actions, IsEmpty());
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0].reason, SkipReason::kInvalid);
}

TEST(ReconcilePromisesTest, UpdatesAHeldBenefitOnlyWhenItsPromisedDefinitionChanged) {
  PromiseState s = StateWith({Promised("NPS", 40), Promised("Cost")});
  s.held["in-1.nps"] = HeldFrom(s.promises[0]);
  s.held["in-1.nps"].definition.target = 30;  // promised 30 before, 40 now
  s.held["in-1.nps"].definition.key_result_id = "kr-7";  // set through the API: kept
  s.held["in-1.cost"] = HeldFrom(s.promises[1]);  // unchanged
  const Reconciliation r = ReconcilePromises(s);
  ASSERT_THAT(Steps(r), ElementsAre(std::pair{PromiseStep::kUpdate, std::string("in-1.nps")}));
  EXPECT_EQ(r.actions[0].definition.target, 40);
  EXPECT_EQ(r.actions[0].definition.key_result_id, "kr-7") << "a submission does not carry key results";
  EXPECT_EQ(r.actions[0].definition.version, 3) << "the held benefit's identity";
}

TEST(ReconcilePromisesTest, APromiseMadeAgainRestoresItsWithdrawnBenefit) {
  PromiseState s = StateWith({Promised("NPS")});
  s.held["in-1.nps"] = HeldFrom(s.promises[0]);
  s.held["in-1.nps"].removed = true;
  EXPECT_THAT(Steps(ReconcilePromises(s)), ElementsAre(std::pair{PromiseStep::kUpdate, std::string("in-1.nps")}));
}

TEST(ReconcilePromisesTest, AnIdTakenByABenefitCreatedThroughTheApiIsSkipped) {
  PromiseState s = StateWith({Promised("NPS")});
  s.held["in-1.nps"] = HeldFrom(s.promises[0]);
  s.held["in-1.nps"].from_submission = false;
  s.held["in-1.nps"].definition.target = 99;
  const Reconciliation r = ReconcilePromises(s);
  EXPECT_THAT(r.actions, IsEmpty());
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0].reason, SkipReason::kIdTaken);
  EXPECT_EQ(r.skipped[0].benefit_id, "in-1.nps");
}

TEST(ReconcilePromisesTest, PromisesNoLongerMadeAreWithdrawnOnce) {
  PromiseState s = StateWith({Promised("NPS")});
  const Promise dropped = Prepared({Promised("NPS"), Promised("Cost")})[1];
  s.promised_before = {"in-1.nps", "in-1.cost", "in-1.gone"};  // "gone" no longer exists
  s.held["in-1.nps"] = HeldFrom(s.promises[0]);
  s.held["in-1.cost"] = HeldFrom(dropped);
  const Reconciliation r = ReconcilePromises(s);
  ASSERT_THAT(Steps(r), ElementsAre(std::pair{PromiseStep::kWithdraw, std::string("in-1.cost")}));
  EXPECT_EQ(r.actions[0].definition, s.held["in-1.cost"].definition) << "withdrawn as it stands";

  s.held["in-1.cost"].removed = true;
  EXPECT_THAT(ReconcilePromises(s).actions, IsEmpty()) << "already withdrawn";
  s.held["in-1.cost"].removed = false;
  s.held["in-1.cost"].from_submission = false;
  EXPECT_THAT(ReconcilePromises(s).actions, IsEmpty()) << "a benefit created through the API stays";
}

TEST(ReconcilePromisesTest, AnInvalidPromiseDoesNotWithdrawWhatItRegisteredBefore) {
  PromiseState s = StateWith({Promised("NPS", /*target=*/10)});
  s.promised_before = {"in-1.nps"};
  s.held["in-1.nps"] = HeldFrom(Prepared({Promised("NPS")})[0]);
  const Reconciliation r = ReconcilePromises(s);
  EXPECT_THAT(r.actions, IsEmpty());
  EXPECT_EQ(r.skipped.size(), 1u);
}

TEST(ReconcilePromisesTest, DeliveryOpensTheWindowOfEveryOtherBenefitOfTheInitiative) {
  PromiseState s = StateWith({Promised("NPS")});
  s.promises_changed = false;
  s.newly_delivered = true;
  s.held["in-1.nps"] = HeldFrom(s.promises[0]);  // promised, unchanged: its window opens as an update
  HeldBenefit api;
  api.definition = testing::DecreaseBenefit();
  api.definition.id = "bn-api";
  api.definition.initiative_id = "in-1";
  s.held["bn-api"] = api;
  HeldBenefit open = api;
  open.definition.id = "bn-open";
  open.tracking_open = true;
  s.held["bn-open"] = open;
  HeldBenefit withdrawn = api;
  withdrawn.definition.id = "bn-withdrawn";
  withdrawn.removed = true;
  s.held["bn-withdrawn"] = withdrawn;
  HeldBenefit other = api;
  other.definition.id = "bn-other";
  other.definition.initiative_id = "in-2";
  s.held["bn-other"] = other;
  EXPECT_THAT(Steps(ReconcilePromises(s)),
              ElementsAre(std::pair{PromiseStep::kUpdate, std::string("in-1.nps")},
                          std::pair{PromiseStep::kOpenWindow, std::string("bn-api")}));
}

TEST(ReconcilePromisesTest, APromiseWhoseIdIsTakenStillGetsItsWindowOnDelivery) {
  PromiseState s = StateWith({Promised("NPS")});
  s.newly_delivered = true;
  s.held["in-1.nps"] = HeldFrom(s.promises[0]);
  s.held["in-1.nps"].from_submission = false;
  const Reconciliation r = ReconcilePromises(s);
  EXPECT_THAT(Steps(r), ElementsAre(std::pair{PromiseStep::kOpenWindow, std::string("in-1.nps")}));
  EXPECT_EQ(r.skipped.size(), 1u);
}

TEST(ReconcilePromisesTest, OrderIsPromisesThenWithdrawalsThenWindows) {
  PromiseState s = StateWith({Promised("NPS"), Promised("Cost", 50)});
  s.newly_delivered = true;
  s.promised_before = {"in-1.cost", "in-1.old"};
  s.held["in-1.cost"] = HeldFrom(s.promises[1]);
  s.held["in-1.cost"].definition.target = 45;
  s.held["in-1.old"] = HeldFrom(Prepared({Promised("Old")})[0]);
  s.held["in-1.old"].tracking_open = false;
  HeldBenefit api;
  api.definition = testing::DecreaseBenefit();
  api.definition.id = "bn-api";
  api.definition.initiative_id = "in-1";
  s.held["bn-api"] = api;
  EXPECT_THAT(Steps(ReconcilePromises(s)),
              ElementsAre(std::pair{PromiseStep::kRegister, std::string("in-1.nps")},
                          std::pair{PromiseStep::kUpdate, std::string("in-1.cost")},
                          std::pair{PromiseStep::kWithdraw, std::string("in-1.old")},
                          std::pair{PromiseStep::kOpenWindow, std::string("bn-api")}))
      << "each benefit once: the withdrawn one does not also get a window";
}

}  // namespace
}  // namespace pmo::benefits::domain
