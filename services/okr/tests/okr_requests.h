// Requests the okr service tests send, shared by the in-process use-case tests and the
// tests of the pmo-okr process: valid objectives, key results and check-ins of portfolio
// pf-1 in 2027Q1 that a test bends in the one way it is about.
#pragma once

#include <string>

#include "pmo/okr/v1/okr.pb.h"

namespace pmo::okr::requests {

// An ACTIVE objective of priority 1 at `level` below `parent` ("" for a root), for 2027
// quarter `quarter`.
inline v1::Objective ObjectiveOf(v1::Level level, const std::string& parent, int quarter = 1) {
  v1::Objective o;
  o.set_portfolio_id("pf-1");
  o.set_title("Objective at level " + v1::Level_Name(level));
  o.set_level(level);
  o.set_parent_id(parent);
  o.set_owner("owner@example.com");
  o.mutable_period()->set_year(2027);
  o.mutable_period()->set_quarter(quarter);
  o.set_priority(1);
  o.set_status(v1::OBJECTIVE_STATUS_ACTIVE);
  return o;
}

// A measurable key result: 0 % to 100 % (INCREASE), due 2027-03-31.
inline v1::KeyResult KeyResultOf(const std::string& objective_id) {
  v1::KeyResult kr;
  kr.set_objective_id(objective_id);
  kr.set_metric("Self-service share of onboardings");
  kr.set_unit("%");
  kr.set_baseline(0);
  kr.set_target(100);
  kr.set_direction(v1::DIRECTION_INCREASE);
  kr.mutable_due_date()->set_year(2027);
  kr.mutable_due_date()->set_month(3);
  kr.mutable_due_date()->set_day(31);
  kr.set_owner("lead@example.com");
  return kr;
}

// A check-in of `value` with confidence 0.7 as of 2027-03-`day`.
inline v1::CheckInRequest CheckInOf(const std::string& kr, double value, int day, const std::string& source_id = "") {
  v1::CheckInRequest req;
  req.set_key_result_id(kr);
  req.set_value(value);
  req.set_confidence(0.7);
  req.set_note("week of day " + std::to_string(day));
  req.mutable_as_of()->set_year(2027);
  req.mutable_as_of()->set_month(3);
  req.mutable_as_of()->set_day(day);
  req.set_source_id(source_id);
  return req;
}

}  // namespace pmo::okr::requests
