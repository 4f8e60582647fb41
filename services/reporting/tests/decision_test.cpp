// One decision per review item: repeats are harmless, a different one is refused, a
// closed review takes none.
#include "services/reporting/domain/decision.h"

#include "gtest/gtest.h"

namespace pmo::reporting::domain {
namespace {

DecisionEntry Pivot() { return {"PIVOT", "benefits lag", "board", {-50'000'00, "EUR"}}; }

TEST(DecisionTest, AnUndecidedItemOfAnOpenReviewTakesTheDecision) {
  EXPECT_EQ(JudgeDecision({}, Pivot(), true), DecisionVerdict::kRecord);
}

TEST(DecisionTest, TheSameDecisionAgainIsAlreadyRecordedEvenAfterTheReviewClosed) {
  EXPECT_EQ(JudgeDecision(Pivot(), Pivot(), true), DecisionVerdict::kAlreadyRecorded);
  EXPECT_EQ(JudgeDecision(Pivot(), Pivot(), false), DecisionVerdict::kAlreadyRecorded);
}

TEST(DecisionTest, AnyDifferenceConflicts) {
  for (auto change : {+[](DecisionEntry& d) { d.decision = "STOP"; },
                      +[](DecisionEntry& d) { d.rationale = "other"; },
                      +[](DecisionEntry& d) { d.decided_by = "cfo"; },
                      +[](DecisionEntry& d) { d.funding_change.minor_units = 0; },
                      +[](DecisionEntry& d) { d.funding_change.currency = "USD"; }}) {
    DecisionEntry requested = Pivot();
    change(requested);
    EXPECT_EQ(JudgeDecision(Pivot(), requested, true), DecisionVerdict::kConflicts);
  }
}

TEST(DecisionTest, AClosedReviewTakesNoNewDecision) {
  EXPECT_EQ(JudgeDecision({}, Pivot(), false), DecisionVerdict::kReviewClosed);
}

}  // namespace
}  // namespace pmo::reporting::domain
