#include "services/reporting/domain/kpis.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pmo::reporting::domain {
namespace {

const Kpi& Find(const std::vector<Kpi>& kpis, const std::string& key) {
  for (const auto& k : kpis)
    if (k.key == key) return k;
  ADD_FAILURE() << "no KPI " << key;
  static Kpi none;
  return none;
}

int64_t Ms(int y, int m, int d, int hour = 0) {
  return (calendar::DaysSinceEpoch({y, m, d}) * 24 + hour) * 3'600'000LL;
}

KpiInitiative Ini(std::string id, std::string stage, bool measurable, bool objective) {
  KpiInitiative i;
  i.initiative_id = std::move(id);
  i.stage = std::move(stage);
  i.linked_to_measurable_kr = measurable;
  i.linked_to_objective = objective;
  return i;
}

// A hand-built portfolio: 5 initiatives in various stages.
KpiFacts Portfolio() {
  KpiFacts f;
  auto a = Ini("a", "ACTIVE", true, true);
  a.planned_cost = 100;
  a.actual_spend = 60;
  a.planned_benefit_value = 300;
  a.realised_benefit_value = 90;
  auto b = Ini("b", "ACTIVE", false, true);
  b.planned_cost = 200;
  b.actual_spend = 140;
  b.planned_benefit_value = 100;
  b.realised_benefit_value = 10;
  auto c = Ini("c", "ACTIVE", false, false);
  auto d = Ini("d", "SUBMITTED", true, true);
  auto e = Ini("e", "DRAFT", true, true);  // drafts count nowhere
  e.planned_benefit_value = 1000;
  auto s = Ini("s", "STOPPED", false, false);  // not live
  f.initiatives = {a, b, c, d, e, s};
  f.wip_limit = 2;
  f.portfolio_budget = 1000;
  return f;
}

TEST(KpisTest, StateKpisOnAHandBuiltPortfolio) {
  auto kpis = ComputeKpis(Portfolio(), {2027, 1}, {2027, 1});
  ASSERT_EQ(kpis.size(), 8u);
  // live: a, b, c, d → measurable: a, d
  EXPECT_DOUBLE_EQ(*Find(kpis, "measurable_kr_share").value, 0.5);
  EXPECT_EQ(Find(kpis, "measurable_kr_share").detail, "2 of 4 live initiatives");
  // active: a, b, c → contributing: a, b
  EXPECT_DOUBLE_EQ(*Find(kpis, "active_contributing_share").value, 2.0 / 3);
  // realised 100 of planned 400 (the draft's 1000 does not count)
  EXPECT_DOUBLE_EQ(*Find(kpis, "benefits_realisation_rate").value, 0.25);
  EXPECT_DOUBLE_EQ(*Find(kpis, "wip_vs_limit").value, 1.5);
  EXPECT_DOUBLE_EQ(*Find(kpis, "budget_use").value, 0.2);
  // realised 100 per 200 spent = 0.5 against planned 400 per 300 = 4/3 → 0.375
  EXPECT_DOUBLE_EQ(*Find(kpis, "roi_realised_vs_planned").value, 0.375);
  EXPECT_EQ(Find(kpis, "roi_realised_vs_planned").detail, "realised ROI -50% against planned ROI 33%");
  for (const auto& k : kpis) EXPECT_FALSE(k.definition.empty()) << k.key;
}

TEST(KpisTest, NothingToMeasureHasNoValue) {
  KpiFacts empty;
  auto kpis = ComputeKpis(empty, {2027, 1}, {2027, 1});
  EXPECT_FALSE(Find(kpis, "measurable_kr_share").value.has_value());
  EXPECT_FALSE(Find(kpis, "wip_vs_limit").value.has_value());
  EXPECT_EQ(Find(kpis, "wip_vs_limit").detail, "0 active, no limit set");
  EXPECT_FALSE(Find(kpis, "strategy_to_adjustment_hours").value.has_value());
  EXPECT_DOUBLE_EQ(*Find(kpis, "evidence_based_decisions").value, 0);
}

TEST(KpisTest, EvidenceBasedDecisionsPerQuarter) {
  KpiFacts f;
  f.decisions = {{"a", "STOP", {2027, 1, 10}, true},
                 {"b", "CONTINUE", {2027, 2, 3}, true},
                 {"c", "PIVOT", {2027, 3, 30}, false},  // outside any review
                 {"d", "CONTINUE", {2026, 12, 31}, true}};
  auto kpis = ComputeKpis(f, {2027, 1}, {2027, 1}, 2);
  const Kpi& k = Find(kpis, "evidence_based_decisions");
  EXPECT_DOUBLE_EQ(*k.value, 2);
  EXPECT_EQ(k.detail, "2 of 3 decisions in the quarter");
  ASSERT_EQ(k.trend.size(), 2u);
  EXPECT_EQ(k.trend[0].quarter, "2026Q4");
  EXPECT_DOUBLE_EQ(*k.trend[0].value, 1);
  EXPECT_EQ(k.trend[1].quarter, "2027Q1");
}

TEST(KpisTest, StrategyLeadTimeIsTheMedianOfAdjustedUpdates) {
  KpiFacts f;
  f.strategy_updates = {{"o1", Ms(2027, 1, 5), Ms(2027, 1, 5, 2)},    // 2 h
                        {"o2", Ms(2027, 1, 6), Ms(2027, 1, 6, 10)},   // 10 h
                        {"o3", Ms(2027, 2, 1), Ms(2027, 2, 2, 0)},    // 24 h
                        {"o4", Ms(2027, 2, 9), std::nullopt},         // waiting
                        {"o5", Ms(2026, 11, 1), Ms(2026, 11, 1, 5)}}; // previous quarter
  auto kpis = ComputeKpis(f, {2027, 1}, {2027, 1});
  const Kpi& k = Find(kpis, "strategy_to_adjustment_hours");
  EXPECT_DOUBLE_EQ(*k.value, 10);
  EXPECT_EQ(k.detail, "3 strategy updates adjusted to, 1 still waiting");
  ASSERT_EQ(k.trend.size(), 4u);
  EXPECT_DOUBLE_EQ(*k.trend[2].value, 5);  // 2026Q4
  EXPECT_FALSE(k.trend[0].value.has_value());
}

TEST(KpisTest, PastQuartersOfStateKpisComeFromFrozenSnapshots) {
  KpiFacts f = Portfolio();
  f.snapshots["2026Q4"] = {{"measurable_kr_share", 0.25}, {"wip_vs_limit", 1.0}};
  auto kpis = ComputeKpis(f, {2027, 1}, {2027, 1}, 3);
  const Kpi& share = Find(kpis, "measurable_kr_share");
  ASSERT_EQ(share.trend.size(), 3u);
  EXPECT_EQ(share.trend[0].quarter, "2026Q3");
  EXPECT_FALSE(share.trend[0].value.has_value());
  EXPECT_DOUBLE_EQ(*share.trend[1].value, 0.25);
  EXPECT_DOUBLE_EQ(*share.trend[2].value, 0.5);  // live
  // Asking for a past period reports its frozen value.
  auto past = ComputeKpis(f, {2026, 4}, {2027, 1}, 1);
  EXPECT_DOUBLE_EQ(*Find(past, "wip_vs_limit").value, 1.0);
  EXPECT_EQ(Find(past, "wip_vs_limit").detail, "as frozen at the end of the quarter");
}

TEST(KpisTest, StateKpisMatchTheLiveValues) {
  auto values = StateKpis(Portfolio());
  EXPECT_DOUBLE_EQ(values.at("budget_use"), 0.2);
  EXPECT_EQ(values.count("evidence_based_decisions"), 0u);
}

TEST(KpisTest, QuarterOfUnixMillisIsUtc) {
  EXPECT_EQ(calendar::FormatQuarter(QuarterOfUnixMillis(0)), "1970Q1");
  // 2027-03-31T23:59:59.999Z and one millisecond later.
  EXPECT_EQ(calendar::FormatQuarter(QuarterOfUnixMillis(1'806'537'599'999)), "2027Q1");
  EXPECT_EQ(calendar::FormatQuarter(QuarterOfUnixMillis(1'806'537'600'000)), "2027Q2");
}

}  // namespace
}  // namespace pmo::reporting::domain
