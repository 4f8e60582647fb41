#include <limits>
#include <string>
#include <vector>

#include "services/okr/domain/check_ins.h"
#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::okr::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using testing::CheckInOf;
using testing::Day;
using testing::StatusIs;
using testing::ViolationFields;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

CheckInOutcome Apply(std::vector<CheckIn>& history, const CheckIn& c) {
  absl::StatusOr<CheckInOutcome> outcome = ApplyCheckIn(history, c);
  EXPECT_TRUE(outcome.ok()) << outcome.status();
  return outcome.ok() ? *outcome : CheckInOutcome{};
}

TEST(CheckInTest, FirstCheckInIsRecordedAndLatest) {
  std::vector<CheckIn> history;
  const CheckInOutcome outcome = Apply(history, CheckInOf("kr-1", 2.4, 0.7, Day(2027, 1, 15), "src-1"));
  EXPECT_TRUE(outcome.recorded);
  EXPECT_TRUE(outcome.became_latest);
  EXPECT_THAT(outcome.ignored_because, IsEmpty());
  ASSERT_NE(LatestCheckIn(history), nullptr);
  EXPECT_EQ(LatestCheckIn(history)->source_id, "src-1");
}

TEST(CheckInTest, NewerCheckInBecomesLatest) {
  std::vector<CheckIn> history;
  Apply(history, CheckInOf("kr-1", 2.4, 0.7, Day(2027, 1, 15), "src-1"));
  const CheckInOutcome outcome = Apply(history, CheckInOf("kr-1", 2.9, 0.8, Day(2027, 2, 15), "src-2"));
  EXPECT_TRUE(outcome.recorded);
  EXPECT_TRUE(outcome.became_latest);
  EXPECT_EQ(LatestCheckIn(history)->value, 2.9);
}

TEST(CheckInTest, LateOlderCheckInIsKeptButDoesNotOverwrite) {
  std::vector<CheckIn> history;
  Apply(history, CheckInOf("kr-1", 2.9, 0.8, Day(2027, 2, 15), "src-feb"));
  // January's figure arrives after February's, e.g. from a slow upstream system.
  const CheckInOutcome outcome = Apply(history, CheckInOf("kr-1", 2.4, 0.6, Day(2027, 1, 15), "src-jan"));
  EXPECT_TRUE(outcome.recorded);
  EXPECT_FALSE(outcome.became_latest);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].source_id, "src-jan");  // in the history, in arrival order
  EXPECT_EQ(LatestCheckIn(history)->source_id, "src-feb");
  EXPECT_EQ(LatestCheckIn(history)->value, 2.9);
}

TEST(CheckInTest, SameAsOfIsASameDayCorrection) {
  std::vector<CheckIn> history;
  Apply(history, CheckInOf("kr-1", 2.9, 0.8, Day(2027, 2, 15), "src-1"));
  const CheckInOutcome outcome = Apply(history, CheckInOf("kr-1", 3.0, 0.8, Day(2027, 2, 15), "src-2"));
  EXPECT_TRUE(outcome.became_latest);
  EXPECT_EQ(LatestCheckIn(history)->value, 3.0);
}

TEST(CheckInTest, SameSourceIdIsAppliedOnce) {
  std::vector<CheckIn> history;
  const CheckIn first = CheckInOf("kr-1", 2.4, 0.7, Day(2027, 1, 15), "ingest-42");
  Apply(history, first);

  const CheckInOutcome again = Apply(history, first);
  EXPECT_FALSE(again.recorded);
  EXPECT_FALSE(again.became_latest);
  EXPECT_THAT(std::string(again.ignored_because), HasSubstr("source_id"));

  // Even a redelivery with other content (and a later date) does not apply twice.
  const CheckInOutcome altered = Apply(history, CheckInOf("kr-1", 9.9, 0.1, Day(2027, 3, 1), "ingest-42"));
  EXPECT_FALSE(altered.recorded);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0], first);
}

TEST(CheckInTest, DuplicateOfALateCheckInIsAlsoAppliedOnce) {
  std::vector<CheckIn> history;
  Apply(history, CheckInOf("kr-1", 2.9, 0.8, Day(2027, 2, 15), "src-feb"));
  Apply(history, CheckInOf("kr-1", 2.4, 0.6, Day(2027, 1, 15), "src-jan"));
  EXPECT_FALSE(Apply(history, CheckInOf("kr-1", 2.4, 0.6, Day(2027, 1, 15), "src-jan")).recorded);
  EXPECT_EQ(history.size(), 2u);
  EXPECT_EQ(LatestCheckIn(history)->source_id, "src-feb");
}

TEST(CheckInTest, NonFiniteValueAndConfidenceOutsideTheUnitIntervalAreRefused) {
  struct Case {
    double value;
    double confidence;
    std::vector<std::string> fields;
  };
  for (const Case& c : std::vector<Case>{{kNaN, 0.5, {"value"}},
                                         {kInf, 0.5, {"value"}},
                                         {1.0, 1.5, {"confidence"}},
                                         {1.0, -0.01, {"confidence"}},
                                         {1.0, kNaN, {"confidence"}},
                                         {-kInf, 2.0, {"value", "confidence"}}}) {
    std::vector<CheckIn> history;
    const absl::StatusOr<CheckInOutcome> outcome =
        ApplyCheckIn(history, CheckInOf("kr-1", c.value, c.confidence, Day(2027, 1, 15), "src-1"));
    EXPECT_THAT(outcome, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.fields.front())));
    EXPECT_EQ(ViolationFields(outcome), c.fields);
    EXPECT_THAT(history, IsEmpty());
  }
}

TEST(CheckInTest, ConfidenceBoundsAreInclusive) {
  std::vector<CheckIn> history;
  EXPECT_TRUE(Apply(history, CheckInOf("kr-1", 0, 0.0, Day(2027, 1, 1), "a")).recorded);
  EXPECT_TRUE(Apply(history, CheckInOf("kr-1", 0, 1.0, Day(2027, 1, 2), "b")).recorded);
}

TEST(CheckInTest, EveryViolationIsListed) {
  CheckIn c;
  c.value = kNaN;
  c.confidence = 3;
  c.as_of = Day(2027, 2, 29);  // 2027 is not a leap year
  c.note = std::string(kMaxTextLength + 1, 'n');
  std::vector<CheckIn> history;
  EXPECT_THAT(ViolationFields(ApplyCheckIn(history, c)),
              UnorderedElementsAre("key_result_id", "value", "confidence", "as_of", "source_id", "note"));
  c = CheckIn{};
  c.key_result_id = "kr-1";
  c.source_id = "s";
  EXPECT_THAT(ViolationFields(ValidateCheckIn(c)), ElementsAre("as_of"));
}

TEST(CheckInTest, CheckInOfAnotherKeyResultIsRefused) {
  std::vector<CheckIn> history;
  Apply(history, CheckInOf("kr-1", 2.4, 0.7, Day(2027, 1, 15), "src-1"));
  const auto outcome = ApplyCheckIn(history, CheckInOf("kr-2", 2.4, 0.7, Day(2027, 1, 16), "src-2"));
  EXPECT_THAT(outcome, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kr-2")));
  EXPECT_THAT(ViolationFields(outcome), ElementsAre("key_result_id"));
  EXPECT_EQ(history.size(), 1u);
}

TEST(CheckInTest, LatestPerKeyResultPicksTheLatestAsOfThenTheLaterArrival) {
  const std::vector<CheckIn> all = {
      CheckInOf("kr-1", 1, 0.5, Day(2027, 2, 1), "a"), CheckInOf("kr-2", 5, 0.5, Day(2027, 1, 1), "b"),
      CheckInOf("kr-1", 2, 0.5, Day(2027, 1, 1), "c"), CheckInOf("kr-2", 6, 0.5, Day(2027, 1, 1), "d"),
  };
  const auto latest = LatestCheckIns(all);
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest.at("kr-1")->source_id, "a");
  EXPECT_EQ(latest.at("kr-2")->source_id, "d");
  EXPECT_EQ(LatestCheckIn({}), nullptr);
}

}  // namespace
}  // namespace pmo::okr::domain
