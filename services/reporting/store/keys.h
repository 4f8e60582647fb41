// Reporting's Redis keys and hash fields; only store/ uses them. Read models carry the
// portfolio as a {hash tag}, so one portfolio's read model lives in one slot; each
// initiative's evidence is one hash whose sections (intake, links, score, rank, one per
// benefit, decision) are written independently, each guarded by its own version, so
// events from different topics never read-modify-write each other.
#pragma once

#include <string>

namespace pmo::reporting::store::keys {

inline std::string Tag(const std::string& p) { return "pmo:reporting:{" + p + "}"; }
inline std::string Meta(const std::string& p) { return Tag(p) + ":meta"; }                // portfolio
inline std::string Initiatives(const std::string& p) { return Tag(p) + ":initiatives"; }  // SET of ids
inline std::string Initiative(const std::string& p, const std::string& i) { return Tag(p) + ":i:" + i; }
inline std::string KeyResults(const std::string& p) { return Tag(p) + ":kr"; }  // kr:<id>, ci:<id>
inline std::string Confidence(const std::string& p, const std::string& kr) { return Tag(p) + ":krc:" + kr; }
inline std::string Objectives(const std::string& p) { return Tag(p) + ":obj"; }
inline std::string Strategy(const std::string& p) { return Tag(p) + ":strategy"; }  // event id → update
inline std::string Adjustments(const std::string& p, const std::string& i) { return Tag(p) + ":adj:" + i; }
inline std::string Decisions(const std::string& p) { return Tag(p) + ":decisions"; }
inline std::string KpiSnapshots(const std::string& p) { return Tag(p) + ":kpi-snapshots"; }
// Reviews (owned by reporting, not a read model).
inline std::string Review(const std::string& p, const std::string& id) { return Tag(p) + ":review:" + id; }
inline std::string Reviews(const std::string& p) { return Tag(p) + ":reviews"; }  // ZSET opened ms → id
inline std::string OpenReview(const std::string& p, const std::string& quarter) {
  return Tag(p) + ":open-review:" + quarter;
}
inline constexpr char kReviewPortfolio[] = "pmo:reporting:review-portfolio";  // HASH id → portfolio
inline constexpr char kOutboxStream[] = "pmo:reporting:outbox";

// Sections of an initiative's hash.
inline constexpr char kIntake[] = "intake";
inline constexpr char kLinks[] = "links";
inline constexpr char kScore[] = "score";
inline constexpr char kRank[] = "rank";
inline constexpr char kDecision[] = "decision";
inline std::string BenefitField(const std::string& b) { return "b:" + b; }
inline bool IsBenefitField(const std::string& field) { return field.rfind("b:", 0) == 0; }
inline std::string RealisedField(const std::string& b) { return "realised:" + b; }
inline std::string VersionOf(const std::string& field) { return "v:" + field; }

// Fields of the portfolio's meta hash.
inline constexpr char kPortfolio[] = "portfolio";
inline constexpr char kEventQuarter[] = "event-quarter";  // the latest quarter an event fell in
// Fields of the key-result and objective hashes.
inline constexpr char kCheckInPrefix[] = "ci:";
inline std::string KeyResultField(const std::string& kr) { return "kr:" + kr; }
inline std::string CheckInField(const std::string& kr) { return kCheckInPrefix + kr; }
inline constexpr char kObjectivePrefix[] = "o:";
inline std::string ObjectiveField(const std::string& o) { return kObjectivePrefix + o; }

// Adjustments kept per initiative for the strategy lead-time KPI.
inline constexpr int kAdjustmentsKept = 1000;

}  // namespace pmo::reporting::store::keys
