// The real pmoctl binary against real services: a private redis-server, pmo-devbroker
// and all five services. Portfolios and initiatives from YAML, JSON, YAML and table
// output, every violation of a bad submission on its own line, usage errors, a value-gate
// refusal with its unmet conditions (and the pass once okr and benefits report a
// measurable key result and a complete benefit), the scoring model, ranking, explanation,
// dashboard and KPIs, events tail and status.
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "absl/strings/str_split.h"
#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/events/v1/envelope.pb.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/okr.pb.h"
#include "support.h"

namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using namespace std::chrono_literals;
namespace t = pmo::testing;

const std::string kData = PMOCTL_TESTDATA;

struct Result {
  int code;
  std::string out;
  std::string err;
};

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view l : absl::StrSplit(text, '\n', absl::SkipEmpty())) out.emplace_back(l);
  return out;
}

class PmoctlIntegration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new Env();
    env_->redis = std::make_unique<t::RedisServer>();
    env_->broker = std::make_unique<t::DevBroker>(1, 3);
    const std::map<std::string, std::string> quiet = {{"PMO_LOG_LEVEL", "warn"}};
    env_->intake = std::make_unique<t::ServiceProcess>(PMO_INTAKE_BIN, env_->redis->url(0), env_->broker->bootstrap(), quiet);
    env_->okr = std::make_unique<t::ServiceProcess>(PMO_OKR_BIN, env_->redis->url(1), env_->broker->bootstrap(), quiet);
    env_->benefits =
        std::make_unique<t::ServiceProcess>(PMO_BENEFITS_BIN, env_->redis->url(2), env_->broker->bootstrap(), quiet);
    env_->scoring = std::make_unique<t::ServiceProcess>(PMO_SCORING_BIN, env_->redis->url(3), env_->broker->bootstrap(), quiet);
    env_->reporting = std::make_unique<t::ServiceProcess>(
        PMO_REPORTING_BIN, env_->redis->url(4), env_->broker->bootstrap(),
        std::map<std::string, std::string>{{"PMO_LOG_LEVEL", "warn"}, {"PMO_HTTP_PORT", "0"}});
  }
  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }

  // pmoctl with the services' addresses; stdout and stderr apart.
  static Result Ctl(const std::vector<std::string>& args) {
    std::string cmd = std::string(PMOCTL_BIN) + " --intake " + env_->intake->target() + " --okr " + env_->okr->target() +
                      " --benefits " + env_->benefits->target() + " --scoring " + env_->scoring->target() +
                      " --reporting " + env_->reporting->target() + " --brokers " + env_->broker->bootstrap();
    for (const auto& a : args) cmd += " " + Quote(a);
    const std::string err_file = env_->dir.path() / ("stderr-" + std::to_string(++env_->calls));
    t::CommandResult r = t::Run("( " + cmd + " 2>" + err_file + " )");
    std::ifstream in(err_file);
    std::stringstream err;
    err << in.rdbuf();
    return {r.exit_code, r.output, err.str()};
  }

  static nlohmann::json Json(const Result& r) {
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out << r.err;
    return j;
  }

  // The shared portfolio, created once through pmoctl.
  static void EnsurePortfolio() {
    if (env_->portfolio_created) return;
    Result r = Ctl({"portfolios", "create", "-f", kData + "/portfolio.yaml", "--id", "pf-cli", "-o", "json"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_EQ(Json(r)["id"], "pf-cli");
    env_->portfolio_created = true;
  }

  static void Submit(const std::string& id, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"initiatives", "submit", "-f", kData + "/initiative.yaml", "--portfolio", "pf-cli",
                                     "--id", id, "-o", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    Result r = Ctl(args);
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_EQ(Json(r)["id"], id);
  }

  struct Env {
    t::TempDir dir;
    std::unique_ptr<t::RedisServer> redis;
    std::unique_ptr<t::DevBroker> broker;
    std::unique_ptr<t::ServiceProcess> intake, okr, benefits, scoring, reporting;
    bool portfolio_created = false;
    int calls = 0;
    ~Env() {
      // Services before the broker and Redis they use.
      reporting.reset();
      scoring.reset();
      benefits.reset();
      okr.reset();
      intake.reset();
    }
  };
  static inline Env* env_ = nullptr;
};

TEST_F(PmoctlIntegration, StatusShowsServingForEveryServiceAndNamesTheUnreachable) {
  Result ok = Ctl({"status", "--wait", "20s", "-o", "table"});
  ASSERT_EQ(ok.code, 0) << ok.out << ok.err;
  EXPECT_THAT(ok.out, AllOf(StartsWith("SERVICE"), HasSubstr("intake     " + env_->intake->target() + "  SERVING"),
                            HasSubstr("reporting  " + env_->reporting->target() + "  SERVING")));
  EXPECT_EQ(Lines(ok.out).size(), 6u) << ok.out;
  // An address nothing answers on: exit 1, the others still SERVING.
  Result all = Ctl({"--scoring", "127.0.0.1:1", "--timeout", "3s", "status", "-o", "json"});
  EXPECT_EQ(all.code, 1) << all.out << all.err;
  auto rows = Json(all);
  ASSERT_EQ(rows.size(), 5u) << all.out;
  EXPECT_EQ(rows[0]["service"], "intake");
  EXPECT_EQ(rows[0]["status"], "SERVING");
  EXPECT_EQ(rows[1]["service"], "scoring");
  EXPECT_EQ(rows[1]["address"], "127.0.0.1:1");
  EXPECT_EQ(rows[1]["status"], "UNREACHABLE");
  EXPECT_THAT(rows[1]["reason"].get<std::string>(), HasSubstr("UNAVAILABLE"));
  EXPECT_EQ(rows[4]["status"], "SERVING");
}

TEST_F(PmoctlIntegration, InitiativeSubmittedFromYamlComesBackAsJsonTableAndYaml) {
  EnsurePortfolio();
  Submit("in-cli-1");
  Result json = Ctl({"initiatives", "get", "in-cli-1", "-o", "json"});
  ASSERT_EQ(json.code, 0) << json.err;
  auto in = Json(json);
  EXPECT_EQ(in["title"], "Self-service onboarding");
  EXPECT_EQ(in["portfolioId"], "pf-cli");
  EXPECT_EQ(in["stage"], "STAGE_SUBMITTED");
  EXPECT_EQ(in["methodology"], "METHODOLOGY_AGILE");
  EXPECT_EQ(in["benefits"][0]["targetDate"], nlohmann::json::parse(R"({"year":2028,"month":6,"day":30})"));
  EXPECT_EQ(in["businessCase"]["financial"]["totalCost"]["currency"], "EUR");  // the portfolio's

  Result table = Ctl({"initiatives", "list", "--portfolio", "pf-cli", "--stage", "submitted", "-o", "table"});
  ASSERT_EQ(table.code, 0) << table.err;
  auto lines = Lines(table.out);
  ASSERT_GE(lines.size(), 2u) << table.out;
  EXPECT_THAT(lines[0], AllOf(StartsWith("ID"), HasSubstr("TITLE"), HasSubstr("STAGE")));
  EXPECT_THAT(table.out, AllOf(HasSubstr("in-cli-1"), HasSubstr("SUBMITTED"), HasSubstr("2027Q1")));

  Result yaml = Ctl({"initiatives", "get", "in-cli-1", "-o", "yaml"});
  ASSERT_EQ(yaml.code, 0) << yaml.err;
  YAML::Node node = YAML::Load(yaml.out);
  EXPECT_EQ(node["title"].as<std::string>(), "Self-service onboarding");
  EXPECT_EQ(node["version"].as<std::string>(), in["version"].get<std::string>());

  // Read, edit, write back: the file's version guards the update, so the same file a
  // second time is stale.
  const std::string saved = env_->dir.path() / "in-cli-1.yaml";
  std::ofstream(saved) << yaml.out;
  Result updated = Ctl({"initiatives", "update", "-f", saved, "--set", "initiative.title=Self-service onboarding v2",
                        "-o", "json"});
  ASSERT_EQ(updated.code, 0) << updated.err;
  EXPECT_EQ(Json(updated)["title"], "Self-service onboarding v2");
  EXPECT_EQ(Json(updated)["version"], std::to_string(std::stoll(in["version"].get<std::string>()) + 1));
  Result stale = Ctl({"initiatives", "update", "-f", saved});
  EXPECT_EQ(stale.code, 1);
  EXPECT_THAT(stale.err, StartsWith("error: ABORTED: "));

  Result progress = Ctl({"initiatives", "progress", "in-cli-1", "--as-of", "2027-02-01", "--percent", "20",
                         "--confidence", "0.8", "--note", "first sprint done", "-o", "json"});
  ASSERT_EQ(progress.code, 0) << progress.err;
  EXPECT_EQ(Json(progress)["latestProgress"]["percentComplete"], 20);
  EXPECT_EQ(Json(progress)["latestProgress"]["note"], "first sprint done");
}

TEST_F(PmoctlIntegration, InvalidSubmissionPrintsEveryViolationOnItsOwnLineAndExitsOne) {
  EnsurePortfolio();
  Result r = Ctl({"initiatives", "submit", "-f", kData + "/invalid-initiative.json", "--portfolio", "pf-cli"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  auto lines = Lines(r.err);
  ASSERT_GE(lines.size(), 3u) << r.err;
  EXPECT_THAT(lines[0], StartsWith("error: INVALID_ARGUMENT: "));
  // The summary line does not repeat the violations listed below it.
  EXPECT_THAT(lines[0], Not(HasSubstr("title")));
  std::vector<std::string> violations(lines.begin() + 1, lines.end());
  for (const auto& v : violations) EXPECT_THAT(v, StartsWith("  ")) << r.err;
  EXPECT_THAT(violations, ::testing::Contains(AllOf(HasSubstr("title"), HasSubstr(": "))));
  EXPECT_THAT(violations, ::testing::Contains(HasSubstr("cost_per_quarter")));
}

TEST_F(PmoctlIntegration, UsageErrorsExitTwoWithoutCallingTheService) {
  Result missing = Ctl({"initiatives", "submit", "-f", kData + "/no-such-file.yaml"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, AllOf(HasSubstr("no-such-file.yaml"), HasSubstr("cannot read")));
  Result field = Ctl({"initiatives", "get", "in-cli-1", "--set", "initiative.title=x"});
  EXPECT_EQ(field.code, 2);
  EXPECT_THAT(field.err, HasSubstr("initiative: no such field in pmo.intake.v1.GetInitiativeRequest"));
  Result parse = Ctl({"initiatives", "transition", "in-cli-1"});
  EXPECT_EQ(parse.code, 2);
  EXPECT_THAT(parse.err, HasSubstr("--to is required"));
}

TEST_F(PmoctlIntegration, ValueGateRefusalListsUnmetConditionsAndPassesOnceOkrAndBenefitsReport) {
  EnsurePortfolio();
  // The file's benefit is replaced by none: the gate needs one from the benefits service.
  Submit("in-gate", {"--set", "initiative.benefits=[]"});
  Result review = Ctl({"initiatives", "transition", "in-gate", "--to", "IN_REVIEW", "--expected-version", "1",
                       "--reason", "complete case", "-o", "json"});
  ASSERT_EQ(review.code, 0) << review.err;
  EXPECT_EQ(Json(review)["stage"], "STAGE_IN_REVIEW");

  Result refused = Ctl({"initiatives", "transition", "in-gate", "--to", "approved"});
  EXPECT_EQ(refused.code, 1) << refused.out;
  auto lines = Lines(refused.err);
  ASSERT_GE(lines.size(), 3u) << refused.err;
  EXPECT_THAT(lines[0], StartsWith("error: FAILED_PRECONDITION: "));
  // One line per unmet condition: a measurable key result, a complete benefit (or, if
  // okr or benefits has not caught up yet, that they have not).
  EXPECT_THAT(refused.err, AllOf(HasSubstr("\n  GATE_"), HasSubstr("(in-gate): ")));
  EXPECT_THAT(refused.err, AllOf(::testing::ContainsRegex("GATE_(MEASURABLE_KEY_RESULT|OKR_NOT_CAUGHT_UP)"),
                                 ::testing::ContainsRegex("GATE_(COMPLETE_BENEFIT|BENEFITS_NOT_CAUGHT_UP)")));

  Result objective = Ctl({"objectives", "create", "--id", "obj-cli", "--portfolio", "pf-cli", "--title",
                          "Grow digital sales", "--level", "PORTFOLIO", "--period", "2027", "--priority", "1",
                          "--owner", "CDO", "-o", "json"});
  ASSERT_EQ(objective.code, 0) << objective.err;
  Result kr = Ctl({"keyresults", "create", "--id", "kr-cli", "--objective", "obj-cli", "--metric", "activation rate",
                   "--unit", "%", "--baseline", "40", "--target", "60", "--direction", "increase", "--due",
                   "2027-12-31", "--owner", "Head of Onboarding", "-o", "json"});
  ASSERT_EQ(kr.code, 0) << kr.err;
  EXPECT_EQ(Json(kr)["measurable"], true);
  Result checkin = Ctl({"checkins", "record", "kr-cli", "--value", "45", "--confidence", "0.7", "--as-of",
                        "2027-02-01", "-o", "json"});
  ASSERT_EQ(checkin.code, 0) << checkin.err;
  EXPECT_EQ(Json(checkin)["recorded"], true);
  EXPECT_EQ(Json(checkin)["keyResult"]["checkIns"], "1");
  // okr and benefits learn about the initiative from intake's events; until then they
  // answer NOT_FOUND, so both are retried until they succeed.
  Result link;
  EXPECT_TRUE(t::WaitFor(
      [&] {
        link = Ctl({"links", "add", "--kr", "kr-cli", "--initiative", "in-gate", "--contribution", "0.5", "-o", "json"});
        return link.code == 0;
      },
      20s, 100ms))
      << link.err;
  Result benefit;
  EXPECT_TRUE(t::WaitFor(
      [&] {
        benefit = Ctl({"benefits", "create", "--id", "b-gate", "--initiative", "in-gate", "--category", "customer",
                       "--metric", "activation rate", "--unit", "%", "--baseline", "40", "--target", "60",
                       "--target-date", "2028-06-30", "--owner", "Head of Onboarding", "--indicator", "leading"});
        return benefit.code == 0;
      },
      20s, 100ms))
      << benefit.err;
  // Benefits refuses measurements from the future: today's.
  const std::time_t now = std::time(nullptr);
  char today[16];
  std::strftime(today, sizeof today, "%Y-%m-%d", std::gmtime(&now));
  Result measured = Ctl({"measurements", "record", "b-gate", "--value", "42", "--as-of", today, "-o", "json"});
  ASSERT_EQ(measured.code, 0) << measured.err;
  EXPECT_EQ(Json(measured)["applied"], true);
  Result realisation = Ctl({"realisation", "b-gate", "-o", "json"});
  ASSERT_EQ(realisation.code, 0) << realisation.err;
  EXPECT_EQ(Json(realisation)["benefitId"], "b-gate");
  EXPECT_EQ(Json(realisation)["realisation"]["measurementCount"], 1);
  Result approved;
  EXPECT_TRUE(t::WaitFor(
      [&] {
        approved = Ctl({"initiatives", "transition", "in-gate", "--to", "STAGE_APPROVED", "-o", "json"});
        return approved.code == 0;
      },
      20s, 100ms))
      << approved.err;
  EXPECT_EQ(Json(approved)["stage"], "STAGE_APPROVED");
}

TEST_F(PmoctlIntegration, ScoringAndReportingCommandsSeeTheSubmittedInitiative) {
  EnsurePortfolio();
  Submit("in-rank-1");
  Result model = Ctl({"model", "set", "-f", kData + "/model.yaml", "--portfolio", "pf-cli", "-o", "json"});
  ASSERT_EQ(model.code, 0) << model.err;
  EXPECT_EQ(Json(model)["criteria"].size(), 2u);
  Result got = Ctl({"model", "get", "--portfolio", "pf-cli", "-o", "yaml"});
  ASSERT_EQ(got.code, 0) << got.err;
  EXPECT_EQ(YAML::Load(got.out)["criteria"][1]["direction"].as<std::string>(), "DIRECTION_LOWER_IS_BETTER");

  Result ranking;
  EXPECT_TRUE(t::WaitFor(
      [&] {
        ranking = Ctl({"ranking", "--portfolio", "pf-cli", "--stage", "submitted", "-o", "json"});
        return ranking.code == 0 && ranking.out.find("\"in-rank-1\"") != std::string::npos;
      },
      20s, 100ms))
      << ranking.out << ranking.err;
  Result explain = Ctl({"explain", "in-rank-1", "-o", "table"});
  ASSERT_EQ(explain.code, 0) << explain.err;
  EXPECT_THAT(explain.out, AllOf(HasSubstr("initiative_id"), HasSubstr("criteria:"),
                                 ::testing::ContainsRegex("\nKEY +CATEGORY +RATING"), ::testing::ContainsRegex("\nvalue +VALUE +8")));

  Result dashboard;
  EXPECT_TRUE(t::WaitFor(
      [&] {
        dashboard = Ctl({"dashboard", "--portfolio", "pf-cli", "-o", "json"});
        return dashboard.code == 0 && dashboard.out.find("\"in-rank-1\"") != std::string::npos;
      },
      20s, 100ms))
      << dashboard.out << dashboard.err;
  Result kpis = Ctl({"kpis", "--portfolio", "pf-cli", "-o", "json"});
  ASSERT_EQ(kpis.code, 0) << kpis.err;
  EXPECT_FALSE(Json(kpis)["kpis"].empty()) << kpis.out;
}

TEST_F(PmoctlIntegration, EventsTailPrintsTheSubmittedEnvelopeAsJson) {
  EnsurePortfolio();
  Submit("in-tail-1");
  // The relay publishes after the write; tail waits for the record up to its timeout.
  Result tail = Ctl({"events", "tail", "--from-beginning", "--type", "InitiativeSubmitted", "--subject", "in-tail-1",
                     "--max", "1", "--timeout", "20s"});
  ASSERT_EQ(tail.code, 0) << tail.out << tail.err;
  auto lines = Lines(tail.out);
  ASSERT_EQ(lines.size(), 1u) << tail.out;
  auto env = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(env["type"], "pmo.intake.v1.InitiativeSubmitted");
  EXPECT_EQ(env["subject"], "in-tail-1");
  EXPECT_EQ(env["portfolioId"], "pf-cli");
  EXPECT_EQ(env["payload"]["@type"], "type.googleapis.com/pmo.intake.v1.InitiativeSubmitted");
  EXPECT_EQ(env["payload"]["initiative"]["id"], "in-tail-1");
  EXPECT_EQ(env["payload"]["initiative"]["title"], "Self-service onboarding");

  // Without --from-beginning it starts at the end: the old record is not printed, and a
  // --max not reached within --timeout exits 1.
  Result fresh = Ctl({"events", "tail", "--topic", "pmo.intake.events.v1", "--subject", "in-tail-1", "--max", "1",
                      "--timeout", "1s"});
  EXPECT_EQ(fresh.code, 1) << fresh.out << fresh.err;
  EXPECT_EQ(fresh.out, "");
  EXPECT_THAT(fresh.err, HasSubstr("0 of 1 records"));

}


// The ingest contract, as another system sees it (kcat in, kcat and the event topics
// out), for each ingest topic: the example record of docs/examples/ in CloudEvents binary
// mode as JSON is applied once even when delivered twice with the same ce_id; a protobuf
// record in binary mode is applied; a record with wrong types is dead-lettered with a
// reason that names every wrong field.
class IngestContract : public PmoctlIntegration {
 protected:
  struct Topic {
    std::string topic, key, type, example_id;
    std::string proto_bytes, proto_id;
    std::string wrong_json;
    std::vector<std::string> wrong_fields;
    std::string applied_event;  // the event the service publishes for an applied record
  };

  static void Produce(const std::string& topic, const std::string& key, const std::string& file,
                      const std::vector<std::pair<std::string, std::string>>& headers) {
    std::string cmd = "kcat -P -b " + env_->broker->bootstrap() + " -t " + topic + " -k " + Quote(key);
    for (const auto& [name, value] : headers) cmd += " -H " + Quote(name + "=" + value);
    t::CommandResult r = t::Run(cmd + " " + Quote(file) + " 2>&1");
    ASSERT_EQ(r.exit_code, 0) << cmd << "\n" << r.output;
  }

  static std::string WriteFile(const std::string& name, const std::string& bytes) {
    const std::string path = env_->dir.path() / name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  // Events of `type` on `topic` caused by the ingest record with event id `cause`.
  static size_t EventsCausedBy(const std::string& topic, const std::string& type, const std::string& cause) {
    size_t n = 0;
    for (const auto& record : t::ReadTopic(env_->broker->bootstrap(), topic, 0, 3s)) {
      pmo::events::v1::Envelope e;
      if (e.ParseFromString(record.value) && e.type() == type && e.causation_id() == cause) ++n;
    }
    return n;
  }
};

TEST_F(IngestContract, BinaryModeJsonAndProtobufAreAppliedOncePerIdAndWrongTypesAreDeadLettered) {
  EnsurePortfolio();
  Submit("crm-consolidation");
  Result objective = Ctl({"objectives", "create", "--id", "obj-ingest", "--portfolio", "pf-cli", "--title",
                          "Customers recommend us", "--level", "PORTFOLIO", "--period", "2026", "--priority", "1",
                          "--owner", "CCO"});
  ASSERT_EQ(objective.code, 0) << objective.err;
  Result kr = Ctl({"keyresults", "create", "--id", "kr-nps", "--objective", "obj-ingest", "--metric", "NPS", "--unit",
                   "points", "--baseline", "30", "--target", "50", "--direction", "increase", "--due", "2027-12-31",
                   "--owner", "CCO"});
  ASSERT_EQ(kr.code, 0) << kr.err;
  Result benefit;
  ASSERT_TRUE(t::WaitFor(
      [&] {
        benefit = Ctl({"benefits", "create", "--id", "b-churn", "--initiative", "crm-consolidation", "--category",
                       "customer", "--metric", "monthly churn", "--unit", "%", "--baseline", "4", "--target", "2.5",
                       "--target-date", "2028-06-30", "--owner", "CCO", "--indicator", "lagging"});
        return benefit.code == 0;
      },
      20s, 100ms))
      << benefit.err;

  pmo::okr::v1::CheckInRequest checkin;
  checkin.set_key_result_id("kr-nps");
  checkin.set_value(43);
  checkin.mutable_as_of()->set_year(2026);
  checkin.mutable_as_of()->set_month(12);
  checkin.mutable_as_of()->set_day(1);
  pmo::benefits::v1::RecordMeasurementRequest measurement;
  measurement.set_benefit_id("b-churn");
  measurement.set_value(3.0);
  *measurement.mutable_as_of() = checkin.as_of();
  pmo::intake::v1::ReportProgressRequest progress;
  progress.set_initiative_id("crm-consolidation");
  progress.mutable_report()->set_percent_complete(45);
  *progress.mutable_report()->mutable_as_of() = checkin.as_of();

  const std::vector<Topic> topics = {
      {"pmo.ingest.kr-checkins.v1", "kr-nps", "pmo.okr.v1.CheckInRequest", "survey-wave-12",
       checkin.SerializeAsString(), "survey-wave-13",
       R"({"keyResultId": 5, "value": "lots", "asOf": "yesterday"})", {"keyResultId", "value", "asOf"},
       "pmo.okr.v1.KeyResultCheckedIn"},
      {"pmo.ingest.benefit-measurements.v1", "b-churn", "pmo.benefits.v1.RecordMeasurementRequest",
       "bi-churn-2026-11", measurement.SerializeAsString(), "bi-churn-2026-12",
       R"({"benefitId": "b-churn", "value": "high", "asOf": 20261130})", {"value", "asOf"},
       "pmo.benefits.v1.BenefitMeasured"},
      {"pmo.ingest.progress.v1", "crm-consolidation", "pmo.intake.v1.ReportProgressRequest", "erp-7731",
       progress.SerializeAsString(), "erp-7732",
       R"({"initiativeId": "crm-consolidation", "report": {"percentComplete": "most", "asOf": "soon"}})",
       {"report.percentComplete", "report.asOf"}, "pmo.intake.v1.ProgressReported"},
  };
  const std::string examples = std::string(PMO_SOURCE_DIR) + "/docs/examples/";
  for (const Topic& tp : topics) {
    SCOPED_TRACE(tp.topic);
    const std::vector<std::pair<std::string, std::string>> json_headers = {
        {"content-type", "application/json"}, {"ce_specversion", "1.0"}, {"ce_id", tp.example_id},
        {"ce_type", tp.type}, {"ce_source", "kcat"}, {"ce_time", "2026-11-30T18:00:00Z"}};
    // The example, twice: a redelivery with the same ce_id.
    Produce(tp.topic, tp.key, examples + tp.topic + ".json", json_headers);
    Produce(tp.topic, tp.key, examples + tp.topic + ".json", json_headers);
    Produce(tp.topic, tp.key, WriteFile(tp.proto_id + ".pb", tp.proto_bytes),
            {{"content-type", "application/protobuf"}, {"ce_id", tp.proto_id}, {"ce_type", tp.type},
             {"ce_source", "kcat"}});
    Produce(tp.topic, tp.key, WriteFile(tp.proto_id + ".bad.json", tp.wrong_json),
            {{"content-type", "application/json"}, {"ce_id", "bad-" + tp.proto_id}, {"ce_type", tp.type}});
    const std::string events_topic = tp.topic == "pmo.ingest.progress.v1"      ? "pmo.intake.events.v1"
                                     : tp.topic == "pmo.ingest.kr-checkins.v1" ? "pmo.okr.events.v1"
                                                                               : "pmo.benefits.events.v1";
    // One key, one partition: once the protobuf record is applied, both copies of the
    // example before it were handled.
    EXPECT_TRUE(t::WaitFor([&] { return EventsCausedBy(events_topic, tp.applied_event, tp.proto_id) == 1; }, 30s,
                           200ms))
        << "the protobuf record was not applied";
    EXPECT_EQ(EventsCausedBy(events_topic, tp.applied_event, tp.example_id), 1u) << "the example applied once";
  }

  // Dead letters as another system reads them: kcat, the reason header.
  std::string reasons;
  EXPECT_TRUE(t::WaitFor(
      [&] {
        t::CommandResult r = t::Run("kcat -C -b " + env_->broker->bootstrap() +
                                    " -t pmo.deadletter.v1 -o beginning -e -q -f '%h\\n' 2>&1");
        reasons = r.output;
        size_t found = 0;
        for (const Topic& tp : topics) found += reasons.find("ce_id=bad-" + tp.proto_id) != std::string::npos;
        return found == topics.size();
      },
      40s, 250ms))
      << reasons;
  for (const Topic& tp : topics) {
    SCOPED_TRACE(tp.topic);
    std::string line;
    for (absl::string_view l : absl::StrSplit(reasons, '\n'))
      if (l.find("ce_id=bad-" + tp.proto_id) != absl::string_view::npos) line = std::string(l);
    for (const auto& field : tp.wrong_fields) EXPECT_THAT(line, HasSubstr(field + ": ")) << line;
  }
}

}  // namespace
