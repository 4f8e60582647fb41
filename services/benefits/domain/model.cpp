#include "services/benefits/domain/model.h"

#include <utility>

namespace pmo::benefits::domain {
namespace {

constexpr std::array<std::pair<BenefitCategory, std::string_view>, 4> kCategoryNames = {{
    {BenefitCategory::kFinancial, "FINANCIAL"},
    {BenefitCategory::kStrategic, "STRATEGIC"},
    {BenefitCategory::kOperational, "OPERATIONAL"},
    {BenefitCategory::kCustomer, "CUSTOMER"},
}};

constexpr std::array<std::pair<Indicator, std::string_view>, 2> kIndicatorNames = {{
    {Indicator::kLeading, "LEADING"},
    {Indicator::kLagging, "LAGGING"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [e, name] : names) {
    if (e == value) return name;
  }
  return "UNSPECIFIED";
}

template <typename E, size_t N>
std::optional<E> ValueOf(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view name) {
  for (const auto& [e, n] : names) {
    if (n == name) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view CategoryName(BenefitCategory category) { return NameOf(kCategoryNames, category); }
std::optional<BenefitCategory> ParseCategory(std::string_view name) { return ValueOf(kCategoryNames, name); }
std::string_view IndicatorName(Indicator indicator) { return NameOf(kIndicatorNames, indicator); }
std::optional<Indicator> ParseIndicator(std::string_view name) { return ValueOf(kIndicatorNames, name); }

std::string_view DirectionName(Direction direction) {
  return direction == Direction::kIncrease ? "INCREASE" : "DECREASE";
}

Direction DirectionOf(const Benefit& benefit) {
  return benefit.target > benefit.baseline ? Direction::kIncrease : Direction::kDecrease;
}

bool MeetsTarget(const Benefit& benefit, double value) {
  return DirectionOf(benefit) == Direction::kIncrease ? value >= benefit.target : value <= benefit.target;
}

double ProgressRatio(const Benefit& benefit, double value) {
  const double span = benefit.target - benefit.baseline;
  if (span == 0) return value == benefit.target ? 1.0 : 0.0;
  return (value - benefit.baseline) / span;
}

}  // namespace pmo::benefits::domain
