// Test data both scoring test suites send: a two-criteria weighted model (value, higher
// is better; risk, lower is better; both rated 0..10) and initiatives rated on it, all in
// portfolio pf-1.
#pragma once

#include <cstdint>
#include <string>

#include "pmo/intake/v1/intake.pb.h"
#include "pmo/scoring/v1/scoring.pb.h"

namespace pmo::scoring::test_data {

inline v1::ScoringModel TwoCriteriaModel(double value_weight, double risk_weight) {
  v1::ScoringModel m;
  m.set_portfolio_id("pf-1");
  m.set_type(v1::MODEL_TYPE_WEIGHTED_SUM);
  auto add = [&](const char* key, v1::Category cat, double w, v1::Direction d) {
    auto* c = m.add_criteria();
    c->set_key(key);
    c->set_name(key);
    c->set_category(cat);
    c->set_weight(w);
    c->set_direction(d);
    c->mutable_scale()->set_min(0);
    c->mutable_scale()->set_max(10);
  };
  add("value", v1::CATEGORY_VALUE, value_weight, v1::DIRECTION_HIGHER_IS_BETTER);
  add("risk", v1::CATEGORY_RISK, risk_weight, v1::DIRECTION_LOWER_IS_BETTER);
  return m;
}

// An initiative rated `value` and `risk`, costing `cost` EUR in 2027Q1.
inline intake::v1::Initiative RatedInitiative(const std::string& id, double value, double risk, int64_t cost,
                                              intake::v1::Stage stage, int64_t version) {
  intake::v1::Initiative in;
  in.set_id(id);
  in.set_portfolio_id("pf-1");
  in.set_title("Initiative " + id);
  in.set_stage(stage);
  in.set_version(version);
  (*in.mutable_ratings())["value"] = value;
  (*in.mutable_ratings())["risk"] = risk;
  auto* c = in.add_cost_per_quarter();
  c->mutable_quarter()->set_year(2027);
  c->mutable_quarter()->set_quarter(1);
  c->mutable_amount()->set_currency("EUR");
  c->mutable_amount()->set_minor_units(cost * 100);
  return in;
}

}  // namespace pmo::scoring::test_data
