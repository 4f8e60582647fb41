#include "services/reporting/store/read_model_store.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "services/reporting/store/keys.h"

namespace pmo::reporting::store {

std::string EncodeSnapshot(const std::map<std::string, double>& values) {
  std::string out;
  for (const auto& [k, v] : values) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    absl::StrAppend(&out, k, "=", buf, ";");
  }
  return out;
}

std::map<std::string, double> DecodeSnapshot(std::string_view text) {
  std::map<std::string, double> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(';', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(pos, end - pos);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos)
      out[std::string(item.substr(0, eq))] = std::strtod(std::string(item.substr(eq + 1)).c_str(), nullptr);
    pos = end + 1;
  }
  return out;
}

absl::StatusOr<PortfolioReadModel> RedisReadModelStore::Load(const std::string& p) {
  PortfolioReadModel m;
  m.portfolio_id = p;
  auto first = redis_.Pipeline({{"SMEMBERS", keys::Initiatives(p)},
                                {"HGET", keys::Meta(p), keys::kPortfolio},
                                {"HGETALL", keys::KeyResults(p)},
                                {"HGETALL", keys::Objectives(p)}});
  if (!first.ok()) return first.status();
  auto& r = *first;
  std::vector<std::string> ids;
  for (size_t i = 0; i < r[0].size(); ++i) ids.emplace_back(r[0].at(i).str());
  if (!r[1].is_nil()) {
    intake::v1::Portfolio portfolio;
    if (portfolio.ParseFromArray(r[1].str().data(), static_cast<int>(r[1].str().size()))) m.portfolio = portfolio;
  }
  for (size_t i = 0; i + 1 < r[2].size(); i += 2) m.key_results[std::string(r[2].at(i).str())] = r[2].at(i + 1).str();
  for (size_t i = 0; i + 1 < r[3].size(); i += 2) {
    std::string field(r[3].at(i).str());
    if (field.rfind(keys::kObjectivePrefix, 0) != 0) continue;
    okr::v1::ObjectiveChanged o;
    auto bytes = r[3].at(i + 1).str();
    if (o.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) m.objectives[o.objective_id()] = o;
  }
  std::vector<RedisArgs> cmds;
  for (const auto& id : ids) cmds.push_back({"HGETALL", keys::Initiative(p, id)});
  std::vector<std::string> krs;
  for (const auto& [field, value] : m.key_results)
    if (field.rfind(keys::kCheckInPrefix, 0) == 0) krs.push_back(field.substr(sizeof keys::kCheckInPrefix - 1));
  for (const auto& kr : krs) cmds.push_back({"ZREVRANGE", keys::Confidence(p, kr), "0", "1"});
  if (cmds.empty()) return m;
  auto second = redis_.Pipeline(cmds);
  if (!second.ok()) return second.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    Fields f;
    const auto& reply = (*second)[i];
    for (size_t j = 0; j + 1 < reply.size(); j += 2) f[std::string(reply.at(j).str())] = reply.at(j + 1).str();
    m.initiatives[ids[i]] = std::move(f);
  }
  for (size_t i = 0; i < krs.size(); ++i) {
    const auto& reply = (*second)[ids.size() + i];
    auto& h = m.confidence_history[krs[i]];
    for (size_t j = 0; j < reply.size(); ++j) h.emplace_back(reply.at(j).str());
  }
  return m;
}


absl::StatusOr<KpiHistory> RedisReadModelStore::LoadKpiHistory(const std::string& p) {
  auto replies = redis_.Pipeline({{"HGETALL", keys::Decisions(p)},
                                  {"HGETALL", keys::Strategy(p)},
                                  {"HGETALL", keys::KpiSnapshots(p)}});
  if (!replies.ok()) return replies.status();
  KpiHistory out;
  // A value that does not decode is left out (the KPIs count what they can read).
  const auto& decisions = (*replies)[0];
  for (size_t i = 1; i < decisions.size(); i += 2) {
    v1::DecisionRecorded d;
    auto bytes = decisions.at(i).str();
    if (d.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) out.decisions.push_back(std::move(d));
  }
  const auto& strategy = (*replies)[1];
  for (size_t i = 1; i < strategy.size(); i += 2) {
    okr::v1::StrategyChanged s;
    auto bytes = strategy.at(i).str();
    if (s.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) out.strategy_updates.push_back(std::move(s));
  }
  const auto& snapshots = (*replies)[2];
  for (size_t i = 0; i + 1 < snapshots.size(); i += 2)
    out.snapshots[std::string(snapshots.at(i).str())] = DecodeSnapshot(snapshots.at(i + 1).str());
  return out;
}

absl::StatusOr<std::vector<std::optional<int64_t>>> RedisReadModelStore::FirstAdjustmentsAfter(
    const std::string& p, const std::vector<AdjustmentQuery>& queries) {
  std::vector<std::optional<int64_t>> out(queries.size());
  if (queries.empty()) return out;
  std::vector<RedisArgs> cmds;
  cmds.reserve(queries.size());
  for (const auto& q : queries)
    cmds.push_back({"ZRANGEBYSCORE", keys::Adjustments(p, q.initiative_id), "(" + std::to_string(q.after_ms), "+inf",
                    "WITHSCORES", "LIMIT", "0", "1"});
  auto replies = redis_.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < queries.size(); ++i) {
    const auto& reply = (*replies)[i];
    if (reply.size() < 2) continue;
    out[i] = std::strtoll(std::string(reply.at(1).str()).c_str(), nullptr, 10);
  }
  return out;
}

absl::StatusOr<std::string> RedisReadModelStore::EventQuarter(const std::string& p) {
  auto stored = redis_.Command({"HGET", keys::Meta(p), keys::kEventQuarter});
  if (!stored.ok()) return stored.status();
  return stored->is_nil() ? std::string() : std::string(stored->str());
}

absl::Status RedisReadModelStore::SetEventQuarter(const std::string& p, const std::string& quarter) {
  return redis_.Command({"HSET", keys::Meta(p), keys::kEventQuarter, quarter}).status();
}

absl::Status RedisReadModelStore::FreezeQuarter(const std::string& p, const std::string& quarter,
                                                const std::map<std::string, double>& values) {
  return redis_.Command({"HSETNX", keys::KpiSnapshots(p), quarter, EncodeSnapshot(values)}).status();
}

absl::StatusOr<bool> RedisReadModelStore::Commit(const ProjectionBatch& batch) {
  std::vector<const AtomicWrite*> writes;
  writes.reserve(batch.size());
  for (const auto& w : batch.writes()) writes.push_back(&w);
  bool applied_any = false;
  for (auto& r : outbox_.CommitMany(writes)) {
    if (!r.ok()) return r.status();
    if (*r == WriteResult::kApplied) applied_any = true;
  }
  return applied_any;
}

}  // namespace pmo::reporting::store
