// Requests the intake tests that go through the use cases (in-process or over gRPC)
// share: the fixtures' valid portfolio and initiative as protobuf, and a progress report.
#pragma once

#include <string>

#include "fixtures.h"
#include "pmo/intake/v1/intake.pb.h"
#include "services/intake/app/convert.h"

namespace pmo::intake::requests {

inline v1::Portfolio ValidPortfolio() { return app::ToProto(domain::testing::ValidPortfolio()); }

// The fixtures' valid initiative under `id`, without dependencies (none exist yet).
inline v1::Initiative ValidInitiative(const std::string& id) {
  auto in = domain::testing::ValidInitiative();
  in.id = id;
  in.dependencies.clear();
  return app::ToProto(in);
}

// A report as of 2027-03-`day`: spend grows with the day, confidence 0.8.
inline v1::ReportProgressRequest Progress(const std::string& id, int day, double percent) {
  v1::ReportProgressRequest req;
  req.set_initiative_id(id);
  auto* r = req.mutable_report();
  r->mutable_as_of()->set_year(2027);
  r->mutable_as_of()->set_month(3);
  r->mutable_as_of()->set_day(day);
  r->set_percent_complete(percent);
  r->mutable_actual_spend_to_date()->set_minor_units(100000 * day);
  r->set_delivery_confidence(0.8);
  r->set_note("day " + std::to_string(day));
  return req;
}

}  // namespace pmo::intake::requests
