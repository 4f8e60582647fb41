#include "services/intake/domain/gates.h"

#include <ostream>
#include <string>
#include <vector>

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::intake::domain {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using testing::Eur;
using testing::Qtr;
using testing::StatusIs;

std::vector<GateReason> Reasons(const std::vector<GateFailure>& failures) {
  std::vector<GateReason> out;
  for (const auto& f : failures) out.push_back(f.reason);
  return out;
}

OkrEvidence MeasurableOkr() { return {true, {{"kr-1", false}, {"kr-2", true}}}; }

BenefitEvidence CompleteBenefit(std::string id = "b-1") {
  return {std::move(id), 66.0, 85.0, "%", Date{2028, 6, 30}};
}

BenefitsEvidence CompleteBenefits() { return {true, {CompleteBenefit()}}; }

Initiative InReview() {
  Initiative in = testing::ValidInitiative();
  in.stage = Stage::kInReview;
  in.version = 4;
  return in;
}

// --- value gate, condition by condition ------------------------------------------------

TEST(ValueGateTest, PassesWithAMeasurableKeyResultAndACompleteBenefit) {
  EXPECT_THAT(CheckValueGate(InReview(), MeasurableOkr(), CompleteBenefits()), IsEmpty());
}

TEST(ValueGateTest, OkrNotCaughtUpSaysSo) {
  const auto failures = CheckValueGate(InReview(), OkrEvidence{}, CompleteBenefits());
  ASSERT_THAT(Reasons(failures), ElementsAre(GateReason::kOkrNotCaughtUp));
  EXPECT_THAT(failures[0].message, HasSubstr("okr has not reported on this initiative"));
  EXPECT_THAT(failures[0].message, HasSubstr("not caught up"));
  EXPECT_EQ(failures[0].subject, "in-1");
}

TEST(ValueGateTest, NoLinkedKeyResult) {
  const auto failures = CheckValueGate(InReview(), OkrEvidence{true, {}}, CompleteBenefits());
  ASSERT_THAT(Reasons(failures), ElementsAre(GateReason::kNoMeasurableKeyResult));
  EXPECT_THAT(failures[0].message, HasSubstr("no key result is linked"));
}

TEST(ValueGateTest, LinkedKeyResultsNoneMeasurable) {
  const auto failures =
      CheckValueGate(InReview(), OkrEvidence{true, {{"kr-1", false}, {"kr-9", false}}}, CompleteBenefits());
  ASSERT_THAT(Reasons(failures), ElementsAre(GateReason::kNoMeasurableKeyResult));
  EXPECT_THAT(failures[0].message, HasSubstr("not measurable: kr-1, kr-9"));
}

TEST(ValueGateTest, BenefitsNotCaughtUpSaysSo) {
  const auto failures = CheckValueGate(InReview(), MeasurableOkr(), BenefitsEvidence{});
  ASSERT_THAT(Reasons(failures), ElementsAre(GateReason::kBenefitsNotCaughtUp));
  EXPECT_THAT(failures[0].message, HasSubstr("not caught up"));
}

TEST(ValueGateTest, NoBenefitRegistered) {
  const auto failures = CheckValueGate(InReview(), MeasurableOkr(), BenefitsEvidence{true, {}});
  ASSERT_THAT(Reasons(failures), ElementsAre(GateReason::kNoCompleteBenefit));
  EXPECT_THAT(failures[0].message, HasSubstr("no benefit is registered"));
}

struct MissingPart {
  std::string name;
  void (*strip)(BenefitEvidence&);
  std::string lacks;
};

void PrintTo(const MissingPart& m, std::ostream* os) { *os << m.name; }

class IncompleteBenefitTest : public ::testing::TestWithParam<MissingPart> {};

TEST_P(IncompleteBenefitTest, EachMissingPartFailsTheGate) {
  BenefitEvidence b = CompleteBenefit("b-7");
  GetParam().strip(b);
  const auto failures = CheckValueGate(InReview(), MeasurableOkr(), BenefitsEvidence{true, {b}});
  ASSERT_THAT(Reasons(failures), ElementsAre(GateReason::kNoCompleteBenefit));
  EXPECT_THAT(failures[0].message, HasSubstr("b-7 lacks " + GetParam().lacks));
}

INSTANTIATE_TEST_SUITE_P(
    Parts, IncompleteBenefitTest,
    ::testing::Values(MissingPart{"Baseline", [](BenefitEvidence& b) { b.baseline.reset(); }, "baseline"},
                      MissingPart{"Target", [](BenefitEvidence& b) { b.target.reset(); }, "target"},
                      MissingPart{"Unit", [](BenefitEvidence& b) { b.unit = " "; }, "unit"},
                      MissingPart{"TargetDate", [](BenefitEvidence& b) { b.target_date.reset(); }, "target date"},
                      MissingPart{"AllFour",
                                  [](BenefitEvidence& b) { b = BenefitEvidence{"b-7", {}, {}, "", {}}; },
                                  "baseline, target, unit, target date"}),
    [](const auto& info) { return info.param.name; });

TEST(ValueGateTest, OneCompleteBenefitAmongIncompleteOnesIsEnough) {
  BenefitEvidence partial = CompleteBenefit("b-1");
  partial.unit.clear();
  EXPECT_THAT(CheckValueGate(InReview(), MeasurableOkr(), BenefitsEvidence{true, {partial, CompleteBenefit("b-2")}}),
              IsEmpty());
}

TEST(ValueGateTest, ListsEveryUnmetConditionTogether) {
  EXPECT_THAT(Reasons(CheckValueGate(InReview(), OkrEvidence{}, BenefitsEvidence{})),
              ElementsAre(GateReason::kOkrNotCaughtUp, GateReason::kBenefitsNotCaughtUp));
  EXPECT_THAT(Reasons(CheckValueGate(InReview(), OkrEvidence{true, {}}, BenefitsEvidence{true, {}})),
              ElementsAre(GateReason::kNoMeasurableKeyResult, GateReason::kNoCompleteBenefit));
}

TEST(ValueGateTest, RefusalThroughApplyTransitionListsAllAndCarriesThem) {
  Initiative in = InReview();
  const Initiative before = in;
  const Portfolio portfolio = testing::ValidPortfolio();
  ApprovalContext ctx{&portfolio, {}, OkrEvidence{true, {{"kr-1", false}}}, BenefitsEvidence{}};
  const auto result = ApplyTransition(in, {Stage::kApproved, 4, "ready", ""}, &ctx);
  EXPECT_THAT(result.status(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                        AllOf(HasSubstr("in-1 cannot be approved"), HasSubstr("kr-1"),
                                              HasSubstr("benefits service has not reported"))));
  EXPECT_THAT(Reasons(GateFailuresOf(result.status())),
              ElementsAre(GateReason::kNoMeasurableKeyResult, GateReason::kBenefitsNotCaughtUp));
  EXPECT_EQ(in, before);
}

TEST(ValueGateTest, OverrideReasonDoesNotBypassTheValueGate) {
  Initiative in = InReview();
  const Portfolio portfolio = testing::ValidPortfolio();
  ApprovalContext ctx{&portfolio, {}, OkrEvidence{true, {}}, CompleteBenefits()};
  EXPECT_THAT(ApplyTransition(in, {Stage::kApproved, 4, "", "board said so"}, &ctx).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("no key result is linked")));
  EXPECT_EQ(in.stage, Stage::kInReview);
}

TEST(GateRefusalTest, RoundTripsEveryReasonAndIsOkWhenEmpty) {
  EXPECT_TRUE(GateRefusal("x", {}).ok());
  const std::vector<GateFailure> all = {
      {GateReason::kOkrNotCaughtUp, "a", "m1"},    {GateReason::kNoMeasurableKeyResult, "b", "m2"},
      {GateReason::kBenefitsNotCaughtUp, "c", "m3"}, {GateReason::kNoCompleteBenefit, "d", "m4"},
      {GateReason::kBudgetExceeded, "2027Q1", "m5"}, {GateReason::kCapacityExceeded, "2027Q1/data", "m6"}};
  const absl::Status status = GateRefusal("refused", all);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("refused: m1; m2; m3; m4; m5; m6")));
  EXPECT_EQ(GateFailuresOf(status), all);
  EXPECT_THAT(GateFailuresOf(absl::InternalError("x")), IsEmpty());
  EXPECT_THAT(GateFailuresOf(FailedPrecondition("x", {{"SOMETHING_ELSE", "s", "d"}})), IsEmpty());
  EXPECT_EQ(GateReasonName(GateReason::kNoMeasurableKeyResult), "GATE_MEASURABLE_KEY_RESULT");
  EXPECT_EQ(PreconditionViolationsOf(status).at(4).type, "CAPACITY_BUDGET");
}

// --- capacity -----------------------------------------------------------------------

Initiative Committed(std::string id, Stage stage, int64_t q2_cost_units, double q2_backend_hours) {
  Initiative in = testing::ValidInitiative();
  in.id = std::move(id);
  in.stage = stage;
  in.cost_per_quarter = {{Qtr(2027, 2), Eur(q2_cost_units)}};
  in.effort_hours = {{"backend", {{Qtr(2027, 2), q2_backend_hours}}}};
  return in;
}

// Budget 1,000,000 and backend 2,000 h per 2027 quarter; the candidate asks for 300,000
// and 600 h in 2027Q2 (and 200,000 / 500 h in Q1, 100 h data in Q2).
std::vector<Initiative> Neighbours(int64_t approved_cost, double approved_hours) {
  return {
      Committed("in-a", Stage::kApproved, approved_cost, approved_hours),
      Committed("in-b", Stage::kActive, 200'000, 400),
      Committed("in-c", Stage::kSubmitted, 900'000, 1900),  // not committed: ignored
      Committed("in-d", Stage::kPaused, 900'000, 1900),     // not committed: ignored
      [] {
        Initiative other = Committed("in-e", Stage::kActive, 900'000, 1900);
        other.portfolio_id = "pf-2";  // another portfolio: ignored
        return other;
      }(),
      Committed("in-1", Stage::kApproved, 900'000, 1900),  // the candidate's own older snapshot: ignored
  };
}

TEST(CapacityTest, ExactFitPasses) {
  const auto others = Neighbours(500'000, 1000);  // 500k + 200k + 300k = 1,000,000; 1000 + 400 + 600 = 2000 h
  EXPECT_TRUE(CheckCapacity(testing::ValidPortfolio(), InReview(), others).ok());
}

TEST(CapacityTest, ListsEveryOverflowWithFigures) {
  Initiative candidate = InReview();
  candidate.cost_per_quarter[Qtr(2027, 1)] = Eur(1'000'001);  // alone over budget
  const auto others = Neighbours(500'001, 1001);
  const Portfolio portfolio = testing::ValidPortfolio();
  const CapacityCheck check = CheckCapacity(portfolio, candidate, others);

  EXPECT_THAT(check.budget, ElementsAre(BudgetOverflow{Qtr(2027, 1), 0, 100'000'100, 100'000'000},
                                        BudgetOverflow{Qtr(2027, 2), 70'000'100, 30'000'000, 100'000'000}));
  EXPECT_THAT(check.skills, ElementsAre(SkillOverflow{Qtr(2027, 2), "backend", 1401, 600, 2000}));

  const auto failures = check.Failures(portfolio.currency);
  ASSERT_THAT(failures, SizeIs(3));
  EXPECT_EQ(failures[1].reason, GateReason::kBudgetExceeded);
  EXPECT_EQ(failures[1].subject, "2027Q2");
  EXPECT_EQ(failures[1].message,
            "budget 2027Q2: committed 700001.00 EUR + this initiative 300000.00 EUR = 1000001.00 EUR exceeds "
            "1000000.00 EUR by 1.00 EUR");
  EXPECT_EQ(failures[2].reason, GateReason::kCapacityExceeded);
  EXPECT_EQ(failures[2].subject, "2027Q2/backend");
  EXPECT_EQ(failures[2].message,
            "capacity 2027Q2 backend: committed 1401 h + this initiative 600 h = 2001 h exceeds 2000 h by 1 h");
}

TEST(CapacityTest, QuarterWithoutBudgetOrCapacityHasNone) {
  Portfolio portfolio = testing::ValidPortfolio();
  portfolio.budget_per_quarter.erase(Qtr(2027, 1));
  portfolio.capacity_hours["data"].erase(Qtr(2027, 2));
  const CapacityCheck check = CheckCapacity(portfolio, InReview(), {});
  EXPECT_THAT(check.budget, ElementsAre(BudgetOverflow{Qtr(2027, 1), 0, 20'000'000, 0}));
  EXPECT_THAT(check.skills, ElementsAre(SkillOverflow{Qtr(2027, 2), "data", 0, 100, 0}));
}

TEST(CapacityTest, QuartersTheCandidateDoesNotUseAreNotItsProblem) {
  std::vector<Initiative> others = {Committed("in-a", Stage::kActive, 0, 0)};
  others[0].cost_per_quarter = {{Qtr(2027, 4), Eur(5'000'000)}};  // already over in Q4
  EXPECT_TRUE(CheckCapacity(testing::ValidPortfolio(), InReview(), others).ok());
}

TEST(CapacityRecheckTest, OnlyACommittedInitiativeAskingForOtherAmountsOrHours) {
  Initiative current = testing::ValidInitiative();
  for (Stage stage : kAllStages) {
    current.stage = stage;
    Initiative retitled = current;
    retitled.title = "Another title";
    EXPECT_FALSE(NeedsCapacityRecheck(current, retitled)) << StageName(stage);
    Initiative costlier = current;
    costlier.cost_per_quarter[Qtr(2027, 3)] = Eur(1);
    Initiative busier = current;
    busier.effort_hours["data"][Qtr(2027, 1)] += 0.5;
    const bool committed = stage == Stage::kApproved || stage == Stage::kActive;
    EXPECT_EQ(NeedsCapacityRecheck(current, costlier), committed) << StageName(stage);
    EXPECT_EQ(NeedsCapacityRecheck(current, busier), committed) << StageName(stage);
  }
  // Asking for less is asking for other figures too: judged again (it fits, as before).
  current.stage = Stage::kActive;
  Initiative cheaper = current;
  cheaper.cost_per_quarter.erase(Qtr(2027, 2));
  EXPECT_TRUE(NeedsCapacityRecheck(current, cheaper));
}

ApprovalContext PassingValue(const Portfolio& portfolio, const std::vector<Initiative>& others) {
  return ApprovalContext{&portfolio, others, MeasurableOkr(), CompleteBenefits()};
}

TEST(ApprovalTest, WithinCapacityApprovesAndRecordsNoOverride) {
  Initiative in = InReview();
  in.override_reason = "left over from an earlier approval";
  const Portfolio portfolio = testing::ValidPortfolio();
  const auto others = Neighbours(100'000, 100);
  const ApprovalContext ctx = PassingValue(portfolio, others);
  const auto outcome = ApplyTransition(in, {Stage::kApproved, 4, "", "not needed"}, &ctx);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_THAT(outcome->overridden, IsEmpty());
  EXPECT_EQ(in.stage, Stage::kApproved);
  EXPECT_EQ(in.version, 5);
  EXPECT_EQ(in.override_reason, "");
}

TEST(ApprovalTest, OverflowWithoutOverrideIsRefusedListingEveryQuarterAndSkill) {
  Initiative in = InReview();
  const Initiative before = in;
  const Portfolio portfolio = testing::ValidPortfolio();
  const auto others = Neighbours(600'000, 1500);
  const ApprovalContext ctx = PassingValue(portfolio, others);
  for (const char* blank : {"", "   "}) {
    const auto outcome = ApplyTransition(in, {Stage::kApproved, 4, "", blank}, &ctx);
    EXPECT_THAT(outcome.status(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                           AllOf(HasSubstr("budget 2027Q2"), HasSubstr("capacity 2027Q2 backend"))));
    EXPECT_THAT(GateFailuresOf(outcome.status()),
                ElementsAre(Field(&GateFailure::subject, "2027Q2"), Field(&GateFailure::subject, "2027Q2/backend")));
    EXPECT_EQ(in, before);
  }
}

TEST(ApprovalTest, OverrideReasonLetsOverflowPassAndIsRecorded) {
  Initiative in = InReview();
  const Portfolio portfolio = testing::ValidPortfolio();
  const auto others = Neighbours(600'000, 1500);
  const ApprovalContext ctx = PassingValue(portfolio, others);
  const auto outcome = ApplyTransition(in, {Stage::kApproved, 4, "", "regulatory deadline"}, &ctx);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(in.stage, Stage::kApproved);
  EXPECT_EQ(in.override_reason, "regulatory deadline");
  EXPECT_THAT(Reasons(outcome->overridden), ElementsAre(GateReason::kBudgetExceeded, GateReason::kCapacityExceeded));
}

TEST(ApprovalTest, ValueAndCapacityRefusalsAreListedTogether) {
  Initiative in = InReview();
  const Portfolio portfolio = testing::ValidPortfolio();
  const auto others = Neighbours(600'000, 1500);
  const ApprovalContext ctx{&portfolio, others, OkrEvidence{}, CompleteBenefits()};
  const auto outcome = ApplyTransition(in, {Stage::kApproved, 4, "", ""}, &ctx);
  EXPECT_THAT(Reasons(GateFailuresOf(outcome.status())),
              ElementsAre(GateReason::kOkrNotCaughtUp, GateReason::kBudgetExceeded, GateReason::kCapacityExceeded));
}

TEST(ApprovalTest, ApprovalWithoutEvidenceIsAnInternalError) {
  Initiative in = InReview();
  EXPECT_THAT(ApplyTransition(in, {Stage::kApproved, 4, "", ""}, nullptr).status(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("approval requires")));
  Portfolio other = testing::ValidPortfolio();
  other.id = "pf-2";
  const ApprovalContext ctx{&other, {}, MeasurableOkr(), CompleteBenefits()};
  EXPECT_THAT(ApplyTransition(in, {Stage::kApproved, 4, "", ""}, &ctx).status(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("pf-2")));
  EXPECT_EQ(in.stage, Stage::kInReview);
}

}  // namespace
}  // namespace pmo::intake::domain
