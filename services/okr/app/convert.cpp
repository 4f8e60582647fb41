#include "services/okr/app/convert.h"

#include "pmo/common/proto_convert.h"
#include "services/okr/domain/validation.h"

namespace pmo::okr::app {

domain::Level FromProto(pb::Level level) {
  switch (level) {
    case pb::LEVEL_COMPANY: return domain::Level::kCompany;
    case pb::LEVEL_PORTFOLIO: return domain::Level::kPortfolio;
    case pb::LEVEL_PROGRAM: return domain::Level::kProgram;
    case pb::LEVEL_TEAM: return domain::Level::kTeam;
    default: return domain::Level::kUnspecified;
  }
}

pb::Level ToProto(domain::Level level) {
  switch (level) {
    case domain::Level::kCompany: return pb::LEVEL_COMPANY;
    case domain::Level::kPortfolio: return pb::LEVEL_PORTFOLIO;
    case domain::Level::kProgram: return pb::LEVEL_PROGRAM;
    case domain::Level::kTeam: return pb::LEVEL_TEAM;
    case domain::Level::kUnspecified: break;
  }
  return pb::LEVEL_UNSPECIFIED;
}

domain::ObjectiveStatus FromProto(pb::ObjectiveStatus status) {
  switch (status) {
    case pb::OBJECTIVE_STATUS_ACTIVE: return domain::ObjectiveStatus::kActive;
    case pb::OBJECTIVE_STATUS_DEPRIORITISED: return domain::ObjectiveStatus::kDeprioritised;
    case pb::OBJECTIVE_STATUS_RETIRED: return domain::ObjectiveStatus::kRetired;
    case pb::OBJECTIVE_STATUS_ACHIEVED: return domain::ObjectiveStatus::kAchieved;
    default: return domain::ObjectiveStatus::kUnspecified;
  }
}

pb::ObjectiveStatus ToProto(domain::ObjectiveStatus status) {
  switch (status) {
    case domain::ObjectiveStatus::kActive: return pb::OBJECTIVE_STATUS_ACTIVE;
    case domain::ObjectiveStatus::kDeprioritised: return pb::OBJECTIVE_STATUS_DEPRIORITISED;
    case domain::ObjectiveStatus::kRetired: return pb::OBJECTIVE_STATUS_RETIRED;
    case domain::ObjectiveStatus::kAchieved: return pb::OBJECTIVE_STATUS_ACHIEVED;
    case domain::ObjectiveStatus::kUnspecified: break;
  }
  return pb::OBJECTIVE_STATUS_UNSPECIFIED;
}

domain::Direction FromProto(pb::Direction direction) {
  switch (direction) {
    case pb::DIRECTION_INCREASE: return domain::Direction::kIncrease;
    case pb::DIRECTION_DECREASE: return domain::Direction::kDecrease;
    case pb::DIRECTION_MAINTAIN: return domain::Direction::kMaintain;
    default: return domain::Direction::kUnspecified;
  }
}

pb::Direction ToProto(domain::Direction direction) {
  switch (direction) {
    case domain::Direction::kIncrease: return pb::DIRECTION_INCREASE;
    case domain::Direction::kDecrease: return pb::DIRECTION_DECREASE;
    case domain::Direction::kMaintain: return pb::DIRECTION_MAINTAIN;
    case domain::Direction::kUnspecified: break;
  }
  return pb::DIRECTION_UNSPECIFIED;
}

domain::Objective FromProto(const pb::Objective& o) {
  domain::Objective out;
  out.id = o.id();
  out.portfolio_id = o.portfolio_id();
  out.title = o.title();
  out.description = o.description();
  out.level = FromProto(o.level());
  out.parent_id = o.parent_id();
  out.owner = o.owner();
  out.period = domain::Period{o.period().year(), o.period().quarter()};
  out.priority = o.priority();
  out.status = FromProto(o.status());
  out.version = o.version();
  return out;
}

pb::Objective ToProto(const domain::Objective& o) {
  pb::Objective out;
  out.set_id(o.id);
  out.set_portfolio_id(o.portfolio_id);
  out.set_title(o.title);
  out.set_description(o.description);
  out.set_level(ToProto(o.level));
  out.set_parent_id(o.parent_id);
  out.set_owner(o.owner);
  out.mutable_period()->set_year(o.period.year);
  out.mutable_period()->set_quarter(o.period.quarter);
  out.set_priority(o.priority);
  out.set_status(ToProto(o.status));
  out.set_version(o.version);
  return out;
}

domain::KeyResult FromProto(const pb::KeyResult& kr) {
  domain::KeyResult out;
  out.id = kr.id();
  out.objective_id = kr.objective_id();
  out.metric = kr.metric();
  out.unit = kr.unit();
  out.baseline = kr.baseline();
  out.target = kr.target();
  out.direction = FromProto(kr.direction());
  out.tolerance = kr.tolerance();
  out.due_date = pmo::FromProto(kr.due_date());
  out.owner = kr.owner();
  out.retired = kr.retired();
  out.version = kr.version();
  return out;
}

pb::KeyResult ToProto(const domain::KeyResult& kr) {
  pb::KeyResult out;
  out.set_id(kr.id);
  out.set_objective_id(kr.objective_id);
  out.set_metric(kr.metric);
  out.set_unit(kr.unit);
  out.set_baseline(kr.baseline);
  out.set_target(kr.target);
  out.set_direction(ToProto(kr.direction));
  out.set_tolerance(kr.tolerance);
  *out.mutable_due_date() = pmo::ToProto(kr.due_date);
  out.set_owner(kr.owner);
  out.set_retired(kr.retired);
  out.set_version(kr.version);
  return out;
}

namespace {
// A stored check-in and a check-in request carry the same fields.
template <typename CheckInMessage>
domain::CheckIn CheckInFrom(const CheckInMessage& c) {
  domain::CheckIn out;
  out.key_result_id = c.key_result_id();
  out.value = c.value();
  out.confidence = c.confidence();
  out.note = c.note();
  out.as_of = pmo::FromProto(c.as_of());
  out.source_id = c.source_id();
  return out;
}
}  // namespace

domain::CheckIn FromProto(const pb::CheckIn& c) { return CheckInFrom(c); }
domain::CheckIn FromProto(const pb::CheckInRequest& c) { return CheckInFrom(c); }

pb::CheckIn ToProto(const domain::CheckIn& c) {
  pb::CheckIn out;
  out.set_key_result_id(c.key_result_id);
  out.set_value(c.value);
  out.set_confidence(c.confidence);
  out.set_note(c.note);
  *out.mutable_as_of() = pmo::ToProto(c.as_of);
  out.set_source_id(c.source_id);
  return out;
}

std::optional<domain::CheckIn> LatestOf(const pb::KeyResult& kr) {
  if (!kr.has_latest_check_in()) return std::nullopt;
  return FromProto(kr.latest_check_in());
}

pb::ObjectiveChanged ObjectiveEvent(const pb::Objective& o, bool created) {
  const domain::Objective d = FromProto(o);
  pb::ObjectiveChanged e;
  e.set_objective_id(o.id());
  e.set_portfolio_id(o.portfolio_id());
  e.set_parent_id(o.parent_id());
  e.set_priority(o.priority());
  e.set_status(std::string(domain::ObjectiveStatusName(d.status)));
  e.set_version(o.version());
  e.set_title(o.title());
  e.set_level(std::string(domain::LevelName(d.level)));
  e.set_owner(o.owner());
  e.set_period(domain::FormatPeriod(d.period));
  e.set_created(created);
  return e;
}

pb::KeyResultChanged KeyResultEvent(const pb::KeyResult& kr, const domain::Objective& objective, bool created) {
  const domain::KeyResult d = FromProto(kr);
  const domain::Measurability verdict = domain::IsMeasurable(d, objective);
  pb::KeyResultChanged e;
  e.set_key_result_id(kr.id());
  e.set_objective_id(kr.objective_id());
  e.set_portfolio_id(objective.portfolio_id);
  e.set_measurable(verdict.measurable);
  e.set_version(kr.version());
  e.set_retired(kr.retired());
  e.set_metric(kr.metric());
  e.set_unit(kr.unit());
  e.set_baseline(kr.baseline());
  e.set_target(kr.target());
  e.set_direction(std::string(domain::DirectionName(d.direction)));
  e.set_tolerance(kr.tolerance());
  e.set_due_date(domain::FormatDate(d.due_date));
  e.set_owner(kr.owner());
  e.set_progress(kr.progress());
  e.set_confidence(kr.confidence());
  for (const auto& v : verdict.reasons) e.add_measurability_violations(v.field + ": " + v.description);
  e.set_created(created);
  return e;
}

}  // namespace pmo::okr::app
