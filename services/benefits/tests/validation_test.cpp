#include "services/benefits/domain/validation.h"

#include <functional>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::benefits::domain {
namespace {

using ::testing::AllOf;
using testing::Day;
using ::testing::HasSubstr;
using testing::StatusIs;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;
using testing::ViolationFields;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// One rule per case: the mutation breaks exactly that rule, the violations must be
// exactly `fields`, and `description` must appear in the first one.
struct BenefitCase {
  std::string name;
  std::function<void(Benefit&)> mutate;
  std::vector<std::string> fields;
  std::string description;
};

void PrintTo(const BenefitCase& c, std::ostream* os) { *os << c.name; }

TEST(BenefitValidationTest, FixturesAreValid) {
  EXPECT_TRUE(ValidateBenefit(testing::IncreaseBenefit()).ok());
  EXPECT_TRUE(ValidateBenefit(testing::DecreaseBenefit()).ok());
  EXPECT_TRUE(ValidateBenefit(testing::FinancialBenefit()).ok());
}

TEST(BenefitValidationTest, LimitsAreInclusive) {
  Benefit b = testing::FinancialBenefit();
  b.tracking_window_months = kMinTrackingWindowMonths;
  EXPECT_TRUE(ValidateBenefit(b).ok());
  b.tracking_window_months = kMaxTrackingWindowMonths;
  b.metric.clear();
  for (size_t i = 0; i < kMaxNameLength; ++i) b.metric += "\xC3\xA9";  // é: two bytes, one character
  b.value_per_unit = Money{0, "EUR"};
  b.key_result_id = "kr-1";
  EXPECT_TRUE(ValidateBenefit(b).ok());
}

TEST(BenefitValidationTest, ReportsEveryViolationAtOnce) {
  Benefit b = testing::FinancialBenefit();
  b.metric = "";
  b.unit = " ";
  b.target = b.baseline;
  b.target_date = Day(2027, 2, 30);
  b.tracking_window_months = 0;
  b.value_per_unit = Money{-1, "eur"};
  const absl::Status status = ValidateBenefit(b);
  EXPECT_THAT(ViolationFields(status),
              UnorderedElementsAre("metric", "unit", "target", "target_date", "tracking_window_months",
                                   "value_per_unit", "value_per_unit.currency"));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               AllOf(HasSubstr("invalid benefit"), HasSubstr("metric"), HasSubstr("target_date"))));
}

class BenefitRuleTest : public ::testing::TestWithParam<BenefitCase> {};

TEST_P(BenefitRuleTest, ReportsOnlyThisRule) {
  Benefit b = testing::FinancialBenefit();
  GetParam().mutate(b);
  const absl::Status status = ValidateBenefit(b);
  ASSERT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(GetParam().fields.front())));
  EXPECT_THAT(ViolationFields(status), UnorderedElementsAreArray(GetParam().fields));
  const auto violations = ViolationsOf(status);
  ASSERT_FALSE(violations.empty());
  EXPECT_THAT(violations.front().description, HasSubstr(GetParam().description));
}

INSTANTIATE_TEST_SUITE_P(
    Rules, BenefitRuleTest,
    ::testing::Values(
        BenefitCase{"NoInitiative", [](Benefit& b) { b.initiative_id = ""; }, {"initiative_id"}, "must not be empty"},
        BenefitCase{
            "NoCategory", [](Benefit& b) { b.category = BenefitCategory::kUnspecified; }, {"category"}, "must be set"},
        BenefitCase{"EmptyMetric", [](Benefit& b) { b.metric = ""; }, {"metric"}, "must not be empty"},
        BenefitCase{"BlankMetric", [](Benefit& b) { b.metric = " \t"; }, {"metric"}, "must not be empty"},
        BenefitCase{"OverlongMetric",
                    [](Benefit& b) { b.metric = std::string(kMaxNameLength + 1, 'x'); },
                    {"metric"},
                    "at most 200"},
        BenefitCase{"EmptyUnit", [](Benefit& b) { b.unit = ""; }, {"unit"}, "must not be empty"},
        BenefitCase{"OverlongOwner",
                    [](Benefit& b) { b.owner = std::string(kMaxNameLength + 1, 'x'); },
                    {"owner"},
                    "at most 200"},
        BenefitCase{"NaNBaseline", [](Benefit& b) { b.baseline = kNaN; }, {"baseline"}, "finite"},
        BenefitCase{"InfiniteTarget", [](Benefit& b) { b.target = -kInf; }, {"target"}, "finite"},
        BenefitCase{"TargetEqualsBaseline",
                    [](Benefit& b) { b.target = b.baseline; },
                    {"target"},
                    "must differ from the baseline"},
        BenefitCase{"InvalidTargetDate",
                    [](Benefit& b) { b.target_date = Day(2027, 13, 1); },
                    {"target_date"},
                    "not a valid date"},
        BenefitCase{"UnsetTargetDate", [](Benefit& b) { b.target_date = Date{}; }, {"target_date"}, "not a valid date"},
        BenefitCase{"WindowTooShort",
                    [](Benefit& b) { b.tracking_window_months = 0; },
                    {"tracking_window_months"},
                    "between 1 and 60 months, got 0"},
        BenefitCase{
            "WindowTooLong", [](Benefit& b) { b.tracking_window_months = 61; }, {"tracking_window_months"}, "got 61"},
        BenefitCase{"NegativeValuePerUnit",
                    [](Benefit& b) {
                      b.value_per_unit = Money{-100, "EUR"};
                    },
                    {"value_per_unit"},
                    "must not be negative"},
        BenefitCase{"LowerCaseCurrency",
                    [](Benefit& b) {
                      b.value_per_unit = Money{100, "eur"};
                    },
                    {"value_per_unit.currency"},
                    "three upper-case letters"},
        BenefitCase{"MissingCurrency",
                    [](Benefit& b) {
                      b.value_per_unit = Money{100, ""};
                    },
                    {"value_per_unit.currency"},
                    "ISO 4217"},
        BenefitCase{"LongCurrency",
                    [](Benefit& b) {
                      b.value_per_unit = Money{100, "EURO"};
                    },
                    {"value_per_unit.currency"},
                    "\"EURO\""},
        BenefitCase{"PlannedValueTooLarge", [](Benefit& b) { b.target = -1e15; }, {"value_per_unit"}, "exceed 10^17"},
        BenefitCase{
            "BlankKeyResult", [](Benefit& b) { b.key_result_id = ""; }, {"key_result_id"}, "must not be empty"}),
    [](const ::testing::TestParamInfo<BenefitCase>& info) { return info.param.name; });

TEST(BenefitValidationTest, CurrencyIsOnlyCheckedWhenAValueIsGiven) {
  Benefit b = testing::IncreaseBenefit();
  ASSERT_FALSE(b.value_per_unit.has_value());
  EXPECT_TRUE(ValidateBenefit(b).ok());
}

TEST(MeasurementValidationTest, AcceptsUpToOneDayAhead) {
  const Date today = Day(2027, 3, 10);
  EXPECT_TRUE(ValidateMeasurement({1.5, Day(2027, 3, 11), "s-1"}, today).ok());
  EXPECT_TRUE(ValidateMeasurement({-4, Day(2020, 1, 1), "s-2"}, today).ok());
}

TEST(MeasurementValidationTest, ReportsEveryViolationAtOnce) {
  const absl::Status status = ValidateMeasurement({kNaN, Day(2027, 3, 12), ""}, Day(2027, 3, 10));
  EXPECT_THAT(ViolationFields(status), UnorderedElementsAre("value", "as_of", "source_id"));
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("finite"), HasSubstr("2027-03-12 is in the future (today is 2027-03-10)"),
                             HasSubstr("source_id: must not be empty"))));
}

TEST(MeasurementValidationTest, RefusesInvalidDateAndInfinity) {
  EXPECT_THAT(ViolationFields(ValidateMeasurement({kInf, Day(2027, 2, 29), "s"}, Day(2027, 3, 10))),
              UnorderedElementsAre("value", "as_of"));
}

}  // namespace
}  // namespace pmo::benefits::domain
