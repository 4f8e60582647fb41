#include "services/benefits/domain/value.h"

#include <vector>

#include "fixtures.h"
#include "gtest/gtest.h"

namespace pmo::benefits::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using testing::StatusIs;
using ::testing::UnorderedElementsAre;
using testing::ViolationFields;

constexpr double kTolerance = 1e-9;

Money Eur(int64_t minor) { return Money{minor, "EUR"}; }

BenefitValue Line(std::string id, std::string initiative, BenefitStatus status, std::optional<Money> planned,
                  std::optional<Money> realised) {
  return BenefitValue{std::move(id), std::move(initiative), status, std::move(planned), std::move(realised)};
}

// --- one benefit ---------------------------------------------------------------------

TEST(ValueOfTest, DecreaseIsValuedByTheFall) {
  const Benefit b = testing::FinancialBenefit();  // 100 -> 60, 10.00 EUR per unit
  auto v = ValueOf(b, 80.0, BenefitStatus::kOnTrack);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->benefit_id, "bn-3");
  EXPECT_EQ(v->initiative_id, "in-1");
  EXPECT_EQ(v->status, BenefitStatus::kOnTrack);
  EXPECT_EQ(v->planned, Eur(40 * 1000));   // |60 − 100| × 1000
  EXPECT_EQ(v->realised, Eur(20 * 1000));  // (100 − 80) × 1000
}

TEST(ValueOfTest, IncreaseIsValuedByTheRise) {
  Benefit b = testing::IncreaseBenefit();  // 10 -> 30
  b.category = BenefitCategory::kFinancial;
  b.value_per_unit = Eur(250);
  auto v = ValueOf(b, 15.0, BenefitStatus::kAtRisk);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->planned, Eur(20 * 250));
  EXPECT_EQ(v->realised, Eur(5 * 250));
}

TEST(ValueOfTest, RealisedIsNeverNegativeAndNotCappedAtTheTarget) {
  const Benefit b = testing::FinancialBenefit();  // 100 -> 60
  EXPECT_EQ(ValueOf(b, 110.0, BenefitStatus::kOffTrack)->realised, Eur(0));
  EXPECT_EQ(ValueOf(b, 50.0, BenefitStatus::kRealised)->realised, Eur(50 * 1000));
  EXPECT_EQ(ValueOf(b, std::nullopt, BenefitStatus::kNotStarted)->realised, Eur(0));
}

TEST(ValueOfTest, RoundsHalfAwayFromZeroToMinorUnits) {
  Benefit b = testing::FinancialBenefit();
  b.baseline = 1;
  b.target = 1.5;
  b.value_per_unit = Eur(333);
  EXPECT_EQ(ValueOf(b, 1.5, BenefitStatus::kRealised)->planned, Eur(167));  // 0.5 × 333 = 166.5
}

TEST(ValueOfTest, OnlyFinancialBenefitsCarryMoney) {
  Benefit b = testing::FinancialBenefit();
  b.category = BenefitCategory::kOperational;
  auto v = ValueOf(b, 80.0, BenefitStatus::kOnTrack);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->planned.has_value());
  EXPECT_FALSE(v->realised.has_value());
  b.category = BenefitCategory::kFinancial;
  b.value_per_unit.reset();
  EXPECT_FALSE(ValueOf(b, 80.0, BenefitStatus::kOnTrack)->planned.has_value());
}

TEST(ValueOfTest, RefusesAValueBeyondTheLimit) {
  const Benefit b = testing::FinancialBenefit();
  EXPECT_THAT(ValueOf(b, -1e300, BenefitStatus::kRealised),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("realised value of benefit bn-3")));
}

// --- sums ---------------------------------------------------------------------------

std::vector<BenefitValue> InitiativeOne() {
  return {
      Line("a", "in-1", BenefitStatus::kOnTrack, Eur(40000), Eur(20000)),
      Line("b", "in-1", BenefitStatus::kAtRisk, Eur(5000), Eur(1250)),
      Line("c", "in-1", BenefitStatus::kNotStarted, std::nullopt, std::nullopt),
      Line("d", "in-1", BenefitStatus::kAtRisk, Money{100, "USD"}, Money{50, "USD"}),
  };
}

TEST(SummariseValueTest, SumsPlannedAndRealisedWithRoi) {
  const auto s = SummariseValue(InitiativeOne(), "EUR", Eur(30000));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->currency, "EUR");
  EXPECT_EQ(s->planned_minor_units, 45000);
  EXPECT_EQ(s->realised_minor_units, 21250);
  EXPECT_EQ(s->cost_minor_units, 30000);
  EXPECT_NEAR(*s->planned_roi, 0.5, kTolerance);               // (45000 − 30000) / 30000
  EXPECT_NEAR(*s->realised_roi, -8750.0 / 30000, kTolerance);  // (21250 − 30000) / 30000
  EXPECT_NEAR(*s->realisation_rate, 21250.0 / 45000, kTolerance);
  EXPECT_EQ(s->benefit_count, 4);
  EXPECT_EQ(s->monetised_count, 2);
  EXPECT_THAT(s->benefits_by_status,
              UnorderedElementsAre(Pair(BenefitStatus::kOnTrack, 1), Pair(BenefitStatus::kAtRisk, 2),
                                   Pair(BenefitStatus::kNotStarted, 1)));
  EXPECT_THAT(s->other_currency_benefit_ids, ElementsAre("d"));
}

TEST(SummariseValueTest, NoRoiWithoutACostNoRateWithoutAPlan) {
  auto s = SummariseValue(InitiativeOne(), "EUR", std::nullopt);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->cost_minor_units.has_value());
  EXPECT_FALSE(s->planned_roi.has_value());
  EXPECT_FALSE(s->realised_roi.has_value());
  s = SummariseValue(std::vector<BenefitValue>{}, "EUR", Eur(0));
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->planned_roi.has_value());
  EXPECT_FALSE(s->realisation_rate.has_value());
  EXPECT_EQ(s->benefit_count, 0);
}

TEST(SummariseValueTest, RefusesABadCurrencyOrCost) {
  const auto s = SummariseValue(InitiativeOne(), "eur", Money{-1, "USD"});
  EXPECT_THAT(ViolationFields(s), UnorderedElementsAre("currency", "cost", "cost.currency"));
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cost: must not be negative")));
}

TEST(SummariseValueTest, ASumThatOverflowsIsOutOfRange) {
  std::vector<BenefitValue> values(110,
                                   Line("x", "in-1", BenefitStatus::kOnTrack, Eur(90'000'000'000'000'000), Eur(0)));
  EXPECT_THAT(SummariseValue(values, "EUR", std::nullopt),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("planned value does not fit")));
}

TEST(SummarisePortfolioTest, TotalsAndPerInitiativeIncludingCostsWithoutBenefits) {
  std::vector<BenefitValue> values = InitiativeOne();
  values.push_back(Line("e", "in-2", BenefitStatus::kRealised, Eur(10000), Eur(10000)));
  values.push_back(Line("f", "in-4", BenefitStatus::kStale, Eur(1000), Eur(0)));
  const std::map<std::string, Money> costs = {{"in-1", Eur(30000)}, {"in-2", Eur(5000)}, {"in-3", Eur(15000)}};
  const auto p = SummarisePortfolio(values, "EUR", costs);
  ASSERT_TRUE(p.ok()) << p.status();

  EXPECT_EQ(p->total.planned_minor_units, 56000);
  EXPECT_EQ(p->total.realised_minor_units, 31250);
  EXPECT_EQ(p->total.cost_minor_units, 50000);
  EXPECT_NEAR(*p->total.planned_roi, 6000.0 / 50000, kTolerance);
  EXPECT_NEAR(*p->total.realised_roi, -18750.0 / 50000, kTolerance);
  EXPECT_EQ(p->total.benefit_count, 6);
  EXPECT_EQ(p->total.benefits_by_status.at(BenefitStatus::kRealised), 1);
  EXPECT_EQ(p->total.benefits_by_status.at(BenefitStatus::kStale), 1);

  ASSERT_EQ(p->by_initiative.size(), 4u);
  EXPECT_EQ(p->by_initiative.at("in-1").planned_minor_units, 45000);
  EXPECT_NEAR(*p->by_initiative.at("in-2").realised_roi, 1.0, kTolerance);  // (10000 − 5000) / 5000
  const ValueSummary& no_benefits = p->by_initiative.at("in-3");
  EXPECT_EQ(no_benefits.benefit_count, 0);
  EXPECT_NEAR(*no_benefits.realised_roi, -1.0, kTolerance);
  EXPECT_FALSE(no_benefits.realisation_rate.has_value());
  EXPECT_FALSE(p->by_initiative.at("in-4").cost_minor_units.has_value());
}

TEST(SummarisePortfolioTest, NoCostsNoRoi) {
  const auto p = SummarisePortfolio(InitiativeOne(), "EUR", {});
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->total.cost_minor_units.has_value());
  EXPECT_FALSE(p->total.planned_roi.has_value());
}

TEST(SummarisePortfolioTest, RefusesCostsInAnotherCurrency) {
  const auto p = SummarisePortfolio(InitiativeOne(), "EUR", {{"in-1", Money{100, "USD"}}, {"in-2", Eur(-5)}});
  EXPECT_THAT(ViolationFields(p),
              UnorderedElementsAre("cost_by_initiative[in-1].currency", "cost_by_initiative[in-2]"));
  EXPECT_THAT(p, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reported in EUR")));
}

}  // namespace
}  // namespace pmo::benefits::domain
