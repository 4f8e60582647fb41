#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "services/okr/domain/validation.h"
#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::okr::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;
using testing::Day;
using testing::StatusIs;
using testing::ValidKeyResult;
using testing::ValidObjective;
using testing::ViolationFields;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::vector<std::string> ReasonFields(const Measurability& m) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : m.reasons) fields.push_back(v.field);
  return fields;
}

// One rule per case: the mutation breaks exactly that rule, so the verdict must name
// exactly `field`, and the description must contain `description`.
struct RuleCase {
  std::string name;
  std::function<void(KeyResult&, Objective&)> mutate;
  std::string field;
  std::string description;
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

class MeasurabilityRuleTest : public ::testing::TestWithParam<RuleCase> {};

TEST_P(MeasurabilityRuleTest, NamesExactlyTheBrokenRule) {
  const RuleCase& c = GetParam();
  KeyResult kr = ValidKeyResult();
  Objective objective = ValidObjective();
  c.mutate(kr, objective);

  const Measurability verdict = IsMeasurable(kr, objective);
  EXPECT_FALSE(verdict.measurable);
  EXPECT_THAT(ReasonFields(verdict), ElementsAre(c.field));
  ASSERT_EQ(verdict.reasons.size(), 1u);
  EXPECT_THAT(verdict.reasons.front().description, HasSubstr(c.description));

  // The same rule refuses the key result on create/update, with the same field.
  const absl::Status status = ValidateKeyResult(kr, objective);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field)));
  EXPECT_THAT(ViolationFields(status), ElementsAre(c.field));
}

INSTANTIATE_TEST_SUITE_P(
    EveryRule, MeasurabilityRuleTest,
    ::testing::Values(
        RuleCase{"MetricMissing", [](KeyResult& kr, Objective&) { kr.metric = "  "; }, "metric", "must name"},
        RuleCase{"UnitMissing", [](KeyResult& kr, Objective&) { kr.unit.clear(); }, "unit", "unit"},
        RuleCase{"BaselineNaN", [](KeyResult& kr, Objective&) { kr.baseline = kNaN; }, "baseline", "finite"},
        RuleCase{"BaselineInfinite", [](KeyResult& kr, Objective&) { kr.baseline = -kInf; }, "baseline", "finite"},
        RuleCase{"TargetNaN", [](KeyResult& kr, Objective&) { kr.target = kNaN; }, "target", "finite"},
        RuleCase{"TargetInfinite", [](KeyResult& kr, Objective&) { kr.target = kInf; }, "target", "finite"},
        RuleCase{"IncreaseTargetEqualsBaseline", [](KeyResult& kr, Objective&) { kr.target = kr.baseline; },
                 "target", "must differ from the baseline"},
        RuleCase{"DecreaseTargetEqualsBaseline",
                 [](KeyResult& kr, Objective&) {
                   kr.direction = Direction::kDecrease;
                   kr.target = kr.baseline;
                 },
                 "target", "must differ from the baseline"},
        RuleCase{"DirectionUnspecified", [](KeyResult& kr, Objective&) { kr.direction = Direction::kUnspecified; },
                 "direction", "INCREASE, DECREASE or MAINTAIN"},
        RuleCase{"IncreaseWithTargetBelowBaseline",
                 [](KeyResult& kr, Objective&) {
                   kr.baseline = 3.5;
                   kr.target = 2.0;
                 },
                 "direction", "INCREASE needs a target above the baseline"},
        RuleCase{"DecreaseWithTargetAboveBaseline",
                 [](KeyResult& kr, Objective&) { kr.direction = Direction::kDecrease; }, "direction",
                 "DECREASE needs a target below the baseline"},
        RuleCase{"MaintainNegativeTolerance",
                 [](KeyResult& kr, Objective&) {
                   kr.direction = Direction::kMaintain;
                   kr.tolerance = -0.5;
                 },
                 "tolerance", "must not be negative"},
        RuleCase{"MaintainToleranceNaN",
                 [](KeyResult& kr, Objective&) {
                   kr.direction = Direction::kMaintain;
                   kr.tolerance = kNaN;
                 },
                 "tolerance", "finite"},
        RuleCase{"DueDateMissing", [](KeyResult& kr, Objective&) { kr.due_date = Date{}; }, "due_date", "must be set"},
        RuleCase{"DueDateImpossible", [](KeyResult& kr, Objective&) { kr.due_date = Day(2027, 2, 30); }, "due_date",
                 "not a valid date"},
        RuleCase{"DueDateBeforeQuarter", [](KeyResult& kr, Objective&) { kr.due_date = Day(2026, 12, 31); },
                 "due_date", "2026-12-31 is before the objective's period 2027Q1 (which starts 2027-01-01)"},
        RuleCase{"DueDateBeforeYear",
                 [](KeyResult& kr, Objective& o) {
                   o.period = Period{2028, 0};
                   kr.due_date = Day(2027, 12, 31);
                 },
                 "due_date", "before the objective's period 2028 (which starts 2028-01-01)"}),
    [](const ::testing::TestParamInfo<RuleCase>& info) { return info.param.name; });

TEST(MeasurabilityTest, FixtureIsMeasurable) {
  const Measurability verdict = IsMeasurable(ValidKeyResult(), ValidObjective());
  EXPECT_TRUE(verdict.measurable);
  EXPECT_THAT(verdict.reasons, IsEmpty());
  PMO_ASSERT_OK(ValidateKeyResult(ValidKeyResult(), ValidObjective()));
}

TEST(MeasurabilityTest, MaintainMayKeepTargetEqualToBaseline) {
  KeyResult kr = ValidKeyResult();
  kr.direction = Direction::kMaintain;
  kr.baseline = 99.9;
  kr.target = 99.9;
  kr.tolerance = 0;  // zero tolerance is allowed: the value must be held exactly
  EXPECT_TRUE(IsMeasurable(kr, ValidObjective()).measurable);
}

TEST(MeasurabilityTest, MaintainMayAlsoMoveTheTarget) {
  KeyResult kr = ValidKeyResult();
  kr.direction = Direction::kMaintain;
  kr.tolerance = 0.2;
  EXPECT_TRUE(IsMeasurable(kr, ValidObjective()).measurable);
}

TEST(MeasurabilityTest, DecreaseWithLowerTargetIsMeasurable) {
  KeyResult kr = ValidKeyResult();
  kr.direction = Direction::kDecrease;
  kr.baseline = 12;
  kr.target = -3;  // e.g. net churn going negative
  EXPECT_TRUE(IsMeasurable(kr, ValidObjective()).measurable);
}

TEST(MeasurabilityTest, ToleranceIsIgnoredOutsideMaintain) {
  KeyResult kr = ValidKeyResult();
  kr.tolerance = -1;
  EXPECT_TRUE(IsMeasurable(kr, ValidObjective()).measurable);
}

TEST(MeasurabilityTest, DueDateOnTheFirstDayOrAfterThePeriodIsAccepted) {
  KeyResult kr = ValidKeyResult();
  kr.due_date = Day(2027, 1, 1);
  EXPECT_TRUE(IsMeasurable(kr, ValidObjective()).measurable);
  kr.due_date = Day(2027, 9, 30);  // outcomes may land after the quarter's work
  EXPECT_TRUE(IsMeasurable(kr, ValidObjective()).measurable);

  Objective year = ValidObjective();
  year.period = Period{2027, 0};
  kr.due_date = Day(2027, 1, 1);
  EXPECT_TRUE(IsMeasurable(kr, year).measurable);
}

TEST(MeasurabilityTest, InvalidObjectivePeriodSkipsOnlyThePeriodComparison) {
  Objective objective = ValidObjective();
  objective.period = Period{2027, 7};
  KeyResult kr = ValidKeyResult();
  kr.due_date = Day(1999, 1, 1);
  EXPECT_TRUE(IsMeasurable(kr, objective).measurable);
}

TEST(MeasurabilityTest, EveryViolationIsListedAtOnce) {
  KeyResult kr = ValidKeyResult();
  kr.metric.clear();
  kr.unit.clear();
  kr.baseline = kNaN;
  kr.target = kInf;
  kr.due_date = Day(2026, 1, 1);
  const Measurability verdict = IsMeasurable(kr, ValidObjective());
  EXPECT_FALSE(verdict.measurable);
  EXPECT_THAT(ReasonFields(verdict), UnorderedElementsAre("metric", "unit", "baseline", "target", "due_date"));

  kr = ValidKeyResult();
  kr.direction = Direction::kMaintain;
  kr.tolerance = -1;
  kr.unit = "";
  kr.objective_id = "";
  const absl::Status status = ValidateKeyResult(kr, ValidObjective());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("tolerance")));
  EXPECT_THAT(ViolationFields(status), UnorderedElementsAreArray({"objective_id", "unit", "tolerance"}));
}

TEST(KeyResultValidationTest, LimitsApplyToNamesAndOwner) {
  KeyResult kr = ValidKeyResult();
  kr.metric = std::string(kMaxNameLength + 1, 'm');
  kr.owner = std::string(kMaxNameLength + 1, 'o');
  EXPECT_THAT(ViolationFields(ValidateKeyResult(kr, ValidObjective())), UnorderedElementsAre("metric", "owner"));
  kr.metric = std::string(kMaxNameLength, 'm');
  kr.owner = std::string(kMaxNameLength, 'o');
  PMO_ASSERT_OK(ValidateKeyResult(kr, ValidObjective()));
}

TEST(LinkValidationTest, ContributionMustLieInTheUnitInterval) {
  PMO_ASSERT_OK(ValidateLink(Link{"kr-1", "init-1", 0.0}));
  PMO_ASSERT_OK(ValidateLink(Link{"kr-1", "init-1", 1.0}));
  EXPECT_THAT(ViolationFields(ValidateLink(Link{"kr-1", "init-1", 1.01})), ElementsAre("contribution"));
  EXPECT_THAT(ViolationFields(ValidateLink(Link{"kr-1", "init-1", -0.1})), ElementsAre("contribution"));
  EXPECT_THAT(ViolationFields(ValidateLink(Link{"kr-1", "init-1", kNaN})), ElementsAre("contribution"));
  const absl::Status status = ValidateLink(Link{"", " ", 2});
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("initiative_id")));
  EXPECT_THAT(ViolationFields(status), UnorderedElementsAre("key_result_id", "initiative_id", "contribution"));
}

}  // namespace
}  // namespace pmo::okr::domain
