// pmoctl without servers: request building from files, positionals, flags and --set;
// the command table against the protos; table, JSON and YAML rendering; error and
// violation rendering from a google.rpc.Status; event record formatting; exit codes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli.h"
#include "commands.h"
#include "events.h"
#include "ingest.h"
#include "pmo/benefits/v1/benefits.pb.h"
#include "pmo/common/ingest.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "pmo/events/v1/envelope.pb.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/okr/v1/okr.pb.h"
#include "pmo/reporting/v1/reporting.pb.h"
#include "render.h"
#include "request.h"
#include "rpc.h"

namespace pmo::ctl {
namespace {

namespace iv1 = pmo::intake::v1;
namespace pb = google::protobuf;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kData = PMOCTL_TESTDATA;

// A file in a fresh temp directory, removed with the object.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content) {
    dir_ = std::filesystem::temp_directory_path() / ("pmoctl-test-" + std::to_string(::getpid()) + "-" +
                                                     std::to_string(counter_++));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / name).string();
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::filesystem::remove_all(dir_); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path dir_;
  std::string path_;
};

template <typename T>
T Build(const RequestInput& input) {
  auto msg = BuildRequest(T::descriptor(), input);
  EXPECT_TRUE(msg.ok()) << msg.status();
  T out;
  if (msg.ok()) out.CopyFrom(**msg);
  return out;
}

template <typename T>
std::string BuildError(const RequestInput& input) {
  auto msg = BuildRequest(T::descriptor(), input);
  EXPECT_FALSE(msg.ok()) << "built: " << (msg.ok() ? (*msg)->ShortDebugString() : "");
  EXPECT_TRUE(msg.ok() || absl::IsInvalidArgument(msg.status())) << msg.status();
  return msg.ok() ? "" : std::string(msg.status().message());
}

// ---- request building -------------------------------------------------------------

TEST(Request, YamlFileThenPositionalThenFlagsThenSet) {
  RequestInput in;
  in.file = kData + "/initiative.yaml";
  in.body = "initiative";
  in.fields = {{"initiative_id", "in-9"}, {"initiative.portfolio_id", "pf-flag"}, {"initiative.title", "From a flag"}};
  in.sets = {"initiative.title=Renamed", "initiative.ratings.speed=4", "initiative.benefits[1].metric=NPS",
             "submit_as_draft=true", "initiative.business_case.financial.total_cost.minor_units=123"};
  auto req = Build<iv1::SubmitInitiativeRequest>(in);
  EXPECT_EQ(req.initiative_id(), "in-9");
  const auto& i = req.initiative();
  EXPECT_EQ(i.portfolio_id(), "pf-flag");
  EXPECT_EQ(i.title(), "Renamed");  // --set wins over the flag, the flag over the file
  EXPECT_EQ(i.methodology(), iv1::METHODOLOGY_AGILE);
  EXPECT_EQ(i.start_quarter().year(), 2027);
  EXPECT_EQ(i.end_quarter().quarter(), 4);
  EXPECT_EQ(i.urgency().deadline().month(), 12);
  EXPECT_EQ(i.urgency().deadline().day(), 31);
  EXPECT_EQ(i.business_case().management().delivery_risk_level(), iv1::RISK_LEVEL_MEDIUM);
  EXPECT_EQ(i.business_case().financial().total_cost().minor_units(), 123);
  EXPECT_EQ(i.business_case().financial().funding_source(), "Transformation fund");
  EXPECT_EQ(i.ratings().at("value"), 8);
  EXPECT_EQ(i.ratings().at("speed"), 4);
  ASSERT_EQ(i.benefits_size(), 2);
  EXPECT_EQ(i.benefits(0).category(), iv1::BENEFIT_CATEGORY_CUSTOMER);
  EXPECT_EQ(i.benefits(0).unit(), "%");
  EXPECT_EQ(i.benefits(0).target_date().year(), 2028);
  EXPECT_TRUE(i.benefits(0).has_baseline());
  EXPECT_EQ(i.benefits(1).metric(), "NPS");
  EXPECT_TRUE(req.submit_as_draft());
}

TEST(Request, AFileMayHoldTheWholeRequestInJson) {
  TempFile f("req.json", R"({"initiative": {"title": "Whole", "portfolio_id": "pf-1"}, "submitAsDraft": true})");
  auto req = Build<iv1::SubmitInitiativeRequest>({.file = f.path(), .body = "initiative"});
  EXPECT_EQ(req.initiative().title(), "Whole");
  EXPECT_EQ(req.initiative().portfolio_id(), "pf-1");
  EXPECT_TRUE(req.submit_as_draft());
}

TEST(Request, YamlStringsAndNumbersAreTypedByTheField) {
  // An unquoted numeric id is still a string field; a quoted number is still a number field.
  TempFile f("p.yaml", "id: 123\nname: 2027\nwipLimit: \"7\"\nfirstQuarter: 2027-Q2\n");
  auto req = Build<iv1::UpdatePortfolioRequest>({.file = f.path(), .body = "portfolio"});
  EXPECT_EQ(req.portfolio().id(), "123");
  EXPECT_EQ(req.portfolio().name(), "2027");
  EXPECT_EQ(req.portfolio().wip_limit(), 7);
  EXPECT_EQ(req.portfolio().first_quarter().quarter(), 2);
}

TEST(Request, EnumsShortFullAnyCaseOrNumber) {
  for (const std::string v : {"APPROVED", "approved", "STAGE_APPROVED", "in-review", "4"}) {
    auto req = Build<iv1::TransitionInitiativeRequest>({.fields = {{"initiative_id", "in-1"}, {"to_stage", v}}});
    EXPECT_EQ(req.to_stage(), v == "in-review" ? iv1::STAGE_IN_REVIEW : iv1::STAGE_APPROVED) << v;
  }
  auto d = Build<pmo::reporting::v1::RecordDecisionRequest>({.fields = {{"decision", "stop"}}});
  EXPECT_EQ(d.decision(), pmo::reporting::v1::DECISION_STOP);
  auto r = ResolveEnum(iv1::Stage_descriptor(), "Pivoting");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "STAGE_PIVOTING");
}

TEST(Request, RepeatedFieldsAppendAndAcceptAJsonList) {
  auto req = Build<iv1::ListInitiativesRequest>(
      {.fields = {{"portfolio_id", "pf-1"}, {"stages", "ACTIVE"}, {"stages", "approved"}}});
  ASSERT_EQ(req.stages_size(), 2);
  EXPECT_EQ(req.stages(0), iv1::STAGE_ACTIVE);
  EXPECT_EQ(req.stages(1), iv1::STAGE_APPROVED);
  auto whole = Build<iv1::ListInitiativesRequest>({.sets = {R"(stages=["DRAFT","CLOSED"])"}});
  ASSERT_EQ(whole.stages_size(), 2);
  EXPECT_EQ(whole.stages(1), iv1::STAGE_CLOSED);
  auto msg = Build<iv1::SubmitInitiativeRequest>(
      {.sets = {R"(initiative.cost_per_quarter=[{"quarter":"2027Q3","amount":{"minorUnits":5}}])",
                "initiative.dependencies=in-0", "initiative.dependencies=in-2"}});
  ASSERT_EQ(msg.initiative().cost_per_quarter_size(), 1);
  EXPECT_EQ(msg.initiative().cost_per_quarter(0).quarter().quarter(), 3);
  EXPECT_THAT(msg.initiative().dependencies(), ::testing::ElementsAre("in-0", "in-2"));
}

TEST(Request, UnknownFieldsAreNamedWithTheirPath) {
  EXPECT_THAT(BuildError<iv1::SubmitInitiativeRequest>({.sets = {"initiative.nope=1"}}),
              AllOf(HasSubstr("--set initiative.nope=1"), HasSubstr("initiative.nope: no such field in pmo.intake.v1.Initiative"),
                    HasSubstr("business_case")));
  TempFile f("i.yaml", "title: x\nbusinessCase:\n  stratgic: {problem: p}\n");
  EXPECT_THAT(BuildError<iv1::SubmitInitiativeRequest>({.file = f.path(), .body = "initiative"}),
              AllOf(HasSubstr(f.path()), HasSubstr("initiative.business_case.stratgic: no such field")));
  EXPECT_THAT(BuildError<iv1::SubmitInitiativeRequest>({.sets = {"initiative.benefits[3].metric=x"}}),
              HasSubstr("initiative.benefits: has 0 elements; the next one is [0]"));
  EXPECT_THAT(BuildError<iv1::SubmitInitiativeRequest>({.sets = {"initiative.benefits.metric=x"}}),
              HasSubstr("is a list: name an element"));
  EXPECT_THAT(BuildError<iv1::SubmitInitiativeRequest>({.sets = {"initiative"}}), HasSubstr("expected field.path=value"));
}

TEST(Request, BadValuesAreUsageErrorsNamingTheField) {
  EXPECT_THAT(BuildError<iv1::TransitionInitiativeRequest>({.fields = {{"to_stage", "SIDEWAYS"}}}),
              AllOf(HasSubstr("to_stage"), HasSubstr("unknown value \"SIDEWAYS\" of pmo.intake.v1.Stage"),
                    HasSubstr("APPROVED"), Not(HasSubstr("UNSPECIFIED"))));
  EXPECT_THAT(BuildError<iv1::TransitionInitiativeRequest>({.fields = {{"expected_version", "latest"}}}),
              HasSubstr("expected_version: expected an integer, got \"latest\""));
  EXPECT_THAT(BuildError<iv1::ReportProgressRequest>({.fields = {{"report.percent_complete", "half"}}}),
              HasSubstr("report.percent_complete: expected a number"));
  EXPECT_THAT(BuildError<iv1::ReportProgressRequest>({.fields = {{"report.as_of", "31/03/2027"}}}),
              HasSubstr("report.as_of: expected an object (pmo.common.v1.Date) (or \"yyyy-mm-dd\")"));
  EXPECT_THAT(BuildError<iv1::SubmitInitiativeRequest>({.fields = {{"submit_as_draft", "maybe"}}}),
              HasSubstr("submit_as_draft: expected true or false"));
}

TEST(Request, MissingOrBrokenFilesNameTheFile) {
  EXPECT_THAT(BuildError<iv1::SubmitInitiativeRequest>({.file = "/nonexistent/initiative.yaml", .body = "initiative"}),
              AllOf(HasSubstr("/nonexistent/initiative.yaml"), HasSubstr("cannot read")));
  TempFile yaml("bad.yaml", "title: [unclosed\n");
  EXPECT_THAT(BuildError<iv1::SubmitInitiativeRequest>({.file = yaml.path(), .body = "initiative"}),
              AllOf(HasSubstr(yaml.path()), HasSubstr("not valid YAML")));
  TempFile json("bad.json", "{\"title\": }");
  EXPECT_THAT(BuildError<iv1::SubmitInitiativeRequest>({.file = json.path(), .body = "initiative"}),
              AllOf(HasSubstr(json.path()), HasSubstr("not valid JSON")));
  TempFile scalar("s.yaml", "just text\n");
  EXPECT_THAT(BuildError<iv1::SubmitInitiativeRequest>({.file = scalar.path(), .body = "initiative"}),
              HasSubstr("expected a JSON or YAML object"));
}

// Every command's method exists, and its positionals, flags and body name real fields.
TEST(CommandTable, EveryMethodAndFieldPathResolves) {
  std::set<std::string> words;
  for (const CommandSpec& spec : Commands()) {
    const std::string name = absl::StrJoin(spec.words, " ");
    EXPECT_TRUE(words.insert(name).second) << "twice: " << name;
    auto method = FindMethod(spec.method);
    ASSERT_TRUE(method.ok()) << name << ": " << method.status();
    const pb::Descriptor* in = (*method)->input_type();
    if (!spec.body.empty()) {
      EXPECT_NE(in->FindFieldByName(spec.body), nullptr) << name << " body " << spec.body;
    }
    for (const auto& p : spec.positionals) {
      nlohmann::json j = nlohmann::json::object();
      EXPECT_TRUE(SetField(j, in, p.field, "x").ok()) << name << " " << p.name << " → " << p.field;
    }
    for (const auto& f : spec.flags) {
      nlohmann::json j = nlohmann::json::object();
      EXPECT_TRUE(SetField(j, in, f.field, "1").ok()) << name << " --" << f.name << " → " << f.field;
    }
    // The fields pmoctl fills in itself: a typo would crash it or drop a version guard.
    auto string_field = [](const pb::Descriptor* d, const std::string& field) {
      const auto* f = d->FindFieldByName(field);
      return f != nullptr && f->type() == pb::FieldDescriptor::TYPE_STRING && !f->is_repeated();
    };
    if (!spec.generated_source_id.empty()) {
      EXPECT_TRUE(string_field(in, spec.generated_source_id)) << name << " source id " << spec.generated_source_id;
    }
    if (!spec.version_from.empty()) {
      const pb::Descriptor* d = in;
      const pb::FieldDescriptor* f = nullptr;
      for (absl::string_view part : absl::StrSplit(spec.version_from, '.')) {
        f = d ? d->FindFieldByName(std::string(part)) : nullptr;
        d = f && f->type() == pb::FieldDescriptor::TYPE_MESSAGE ? f->message_type() : nullptr;
      }
      EXPECT_TRUE(f != nullptr && f->cpp_type() == pb::FieldDescriptor::CPPTYPE_INT64)
          << name << " version from " << spec.version_from;
    }
    if (!spec.current_version_method.empty()) {
      auto get = FindMethod(spec.current_version_method);
      ASSERT_TRUE(get.ok()) << name << ": " << get.status();
      EXPECT_TRUE(string_field(in, spec.current_version_id)) << name << " " << spec.current_version_id;
      EXPECT_TRUE(string_field((*get)->input_type(), spec.current_version_id)) << name << " " << spec.current_version_id;
      const auto* v = (*get)->output_type()->FindFieldByName("version");
      EXPECT_TRUE(v != nullptr && v->cpp_type() == pb::FieldDescriptor::CPPTYPE_INT64) << name;
    }
  }
  for (const char* w : {"portfolios create", "initiatives submit", "initiatives transition", "initiatives progress",
                        "objectives list", "keyresults update", "checkins record", "links add", "links remove",
                        "alignment tree", "coverage", "benefits list", "measurements record", "realisation",
                        "value portfolio", "model set", "model derive-weights", "ranking", "explain",
                        "scenarios compare", "frontier", "reviews close", "decisions record", "kpis", "insights",
                        "dashboard"})
    EXPECT_TRUE(words.count(w)) << w;
}

// ---- rendering --------------------------------------------------------------------

iv1::Portfolio SamplePortfolio(const std::string& id, const std::string& name) {
  iv1::Portfolio p;
  p.set_id(id);
  p.set_name(name);
  p.set_currency("EUR");
  p.mutable_first_quarter()->set_year(2027);
  p.mutable_first_quarter()->set_quarter(1);
  p.set_wip_limit(5);
  p.set_version(3);
  return p;
}

TEST(Render, ListResponseIsATableOfItsRows) {
  iv1::ListPortfoliosResponse list;
  *list.add_portfolios() = SamplePortfolio("pf-1", "Digital channels");
  auto* b = list.add_portfolios();
  *b = SamplePortfolio("pf-22", "Branches");
  b->clear_wip_limit();
  EXPECT_EQ(RenderTable(list),
            "ID     NAME              CURRENCY  FIRST_QUARTER  WIP_LIMIT  VERSION\n"
            "pf-1   Digital channels  EUR       2027Q1         5          3\n"
            "pf-22  Branches          EUR       2027Q1         0          3\n");
  EXPECT_EQ(RenderTable(iv1::ListPortfoliosResponse()), "(empty ListPortfoliosResponse)\n");
  list.mutable_page()->set_next_page_token("abc");
  list.mutable_page()->set_total_size(40);
  EXPECT_THAT(RenderTable(list), ::testing::EndsWith("3\n\npage.next_page_token  abc\npage.total_size       40\n"));
  EXPECT_THAT(RenderTable(list), ::testing::StartsWith("ID     NAME"));
}

TEST(Render, SingleMessageIsKeyValueRowsWithSectionsForLists) {
  iv1::Initiative in;
  in.set_id("in-1");
  in.set_stage(iv1::STAGE_APPROVED);
  in.mutable_business_case()->mutable_financial()->mutable_total_cost()->set_currency("EUR");
  in.mutable_business_case()->mutable_financial()->mutable_total_cost()->set_minor_units(500000);
  in.mutable_urgency()->mutable_deadline()->set_year(2027);
  in.mutable_urgency()->mutable_deadline()->set_month(3);
  in.mutable_urgency()->mutable_deadline()->set_day(1);
  (*in.mutable_ratings())["value"] = 8.5;
  auto* c = in.add_cost_per_quarter();
  c->mutable_quarter()->set_year(2027);
  c->mutable_quarter()->set_quarter(2);
  c->mutable_amount()->set_currency("JPY");
  c->mutable_amount()->set_minor_units(-1200);
  EXPECT_EQ(RenderTable(in),
            "id                                  in-1\n"
            "business_case.financial.total_cost  5000.00 EUR\n"
            "ratings                             value=8.5\n"
            "urgency.deadline                    2027-03-01\n"
            "stage                               APPROVED\n"
            "\n"
            "cost_per_quarter:\n"
            "QUARTER  AMOUNT\n"
            "2027Q2   -1200 JPY\n");
}

TEST(Render, ListElementsWithoutScalarsBecomeKeyValueBlocks) {
  pmo::okr::v1::AlignmentTree tree;
  tree.set_portfolio_id("pf-1");
  tree.set_objectives(1);
  auto* root = tree.add_roots();
  root->mutable_objective()->set_id("obj-1");
  root->mutable_objective()->set_level(pmo::okr::v1::LEVEL_COMPANY);
  auto* kr = root->add_key_results();
  kr->mutable_key_result()->set_id("kr-1");
  auto* aligned = kr->add_initiatives();
  aligned->set_initiative_id("in-1");
  aligned->set_contribution(0.5);
  EXPECT_EQ(RenderTable(tree),
            "portfolio_id                           pf-1\n"
            "roots[0].objective.id                  obj-1\n"
            "roots[0].objective.level               COMPANY\n"
            "roots[0].key_results[0].key_result.id  kr-1\n"
            "objectives                             1\n"
            "\n"
            "roots[0].key_results[0].initiatives:\n"
            "INITIATIVE_ID  CONTRIBUTION\n"
            "in-1           0.5\n");
}

TEST(Render, JsonIsTheProtobufMappingAndYamlQuotesWhatWouldChangeType) {
  auto p = SamplePortfolio("pf-1", "2027");
  auto json = Render(p, Format::kJson);
  ASSERT_TRUE(json.ok());
  auto parsed = nlohmann::json::parse(*json);
  EXPECT_EQ(parsed["firstQuarter"]["year"], 2027);
  EXPECT_EQ(parsed["version"], "3");  // int64 as a string, per the mapping
  auto yaml = Render(p, Format::kYaml);
  ASSERT_TRUE(yaml.ok());
  EXPECT_THAT(*yaml, HasSubstr("name: \"2027\"\n"));
  YAML::Node node = YAML::Load(*yaml);
  EXPECT_EQ(node["name"].Tag(), "!");  // stays a string when read back
  EXPECT_EQ(node["firstQuarter"]["quarter"].as<int>(), 1);
  EXPECT_EQ(node["version"].as<std::string>(), "3");
  EXPECT_EQ(JsonToYaml(nlohmann::ordered_json::parse(R"({"b":"yes","a":[],"c":"","d":"plain text","e":1.5})")),
            "b: \"yes\"\na: []\nc: \"\"\nd: plain text\ne: 1.5\n");
}

std::string Details(const pb::Message& detail) {
  google::rpc::Status rich;
  rich.add_details()->PackFrom(detail);
  return rich.SerializeAsString();
}

TEST(Render, FieldViolationsOnePerLineAndNotRepeatedFromTheMessage) {
  google::rpc::BadRequest bad;
  auto* v1 = bad.add_field_violations();
  v1->set_field("initiative.title");
  v1->set_description("must not be empty");
  auto* v2 = bad.add_field_violations();
  v2->set_field("initiative.cost_per_quarter[0].amount");
  v2->set_description("must not be negative");
  grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT,
                      "invalid initiative: initiative.title: must not be empty; initiative.cost_per_quarter[0].amount: "
                      "must not be negative",
                      Details(bad));
  EXPECT_EQ(RenderError(status, "intake at 127.0.0.1:7101"),
            "error: INVALID_ARGUMENT: invalid initiative\n"
            "  initiative.title: must not be empty\n"
            "  initiative.cost_per_quarter[0].amount: must not be negative\n");
  // A message that does not list them is kept whole.
  grpc::Status other(grpc::StatusCode::INVALID_ARGUMENT, "bad input", Details(bad));
  EXPECT_EQ(RenderError(other),
            "error: INVALID_ARGUMENT: bad input\n"
            "  initiative.title: must not be empty\n"
            "  initiative.cost_per_quarter[0].amount: must not be negative\n");
}

TEST(Render, PreconditionViolationsOnePerLine) {
  google::rpc::PreconditionFailure pre;
  auto* v = pre.add_violations();
  v->set_type("GATE_MEASURABLE_KEY_RESULT");
  v->set_subject("in-1");
  v->set_description("no key result is linked to the initiative");
  auto* w = pre.add_violations();
  w->set_type("GATE_COMPLETE_BENEFIT");
  w->set_description("no benefit has a target date");
  grpc::Status status(grpc::StatusCode::FAILED_PRECONDITION,
                      "transition refused: no key result is linked to the initiative; no benefit has a target date",
                      Details(pre));
  EXPECT_EQ(RenderError(status),
            "error: FAILED_PRECONDITION: transition refused\n"
            "  GATE_MEASURABLE_KEY_RESULT (in-1): no key result is linked to the initiative\n"
            "  GATE_COMPLETE_BENEFIT: no benefit has a target date\n");
}

TEST(Render, UnavailableNamesTheServiceAndAddress) {
  grpc::Status status(grpc::StatusCode::UNAVAILABLE, "failed to connect to all addresses");
  EXPECT_EQ(RenderError(status, "okr at 127.0.0.1:7103"),
            "error: UNAVAILABLE: okr at 127.0.0.1:7103: failed to connect to all addresses\n");
  EXPECT_EQ(RenderError(grpc::Status(grpc::StatusCode::NOT_FOUND, "initiative in-9"), "okr at x"),
            "error: NOT_FOUND: initiative in-9\n");
}

// ---- event records ----------------------------------------------------------------

Record EnvelopeRecord(const std::string& type_name, const std::string& id, const std::string& portfolio) {
  iv1::InitiativeSubmitted submitted;
  submitted.mutable_initiative()->set_id(id);
  submitted.mutable_initiative()->set_title("Onboarding");
  pmo::events::v1::Envelope env;
  env.set_event_id("ev-1");
  env.set_type(type_name);
  env.set_subject(id);
  env.set_portfolio_id(portfolio);
  env.mutable_payload()->PackFrom(submitted);
  Record r;
  r.topic = "pmo.intake.events.v1";
  r.partition = 1;
  r.offset = 7;
  r.value = env.SerializeAsString();
  r.headers = {{"content-type", "application/protobuf"}};
  return r;
}

TEST(Events, EnvelopeAsOneJsonLineWithThePayloadResolved) {
  Record r = EnvelopeRecord("pmo.intake.v1.InitiativeSubmitted", "in-7", "pf-1");
  std::string warning;
  auto line = FormatRecord(r, {.type = "InitiativeSubmitted"}, &warning);
  ASSERT_TRUE(line.has_value()) << warning;
  EXPECT_EQ(line->find('\n'), std::string::npos);
  auto j = nlohmann::json::parse(*line);
  EXPECT_EQ(j["type"], "pmo.intake.v1.InitiativeSubmitted");
  EXPECT_EQ(j["payload"]["@type"], "type.googleapis.com/pmo.intake.v1.InitiativeSubmitted");
  EXPECT_EQ(j["payload"]["initiative"]["id"], "in-7");
  EXPECT_TRUE(FormatRecord(r, {.type = "pmo.intake.v1.InitiativeSubmitted"}, &warning));
  EXPECT_TRUE(FormatRecord(r, {.subject = "in-7", .portfolio = "pf-1"}, &warning));
  EXPECT_FALSE(FormatRecord(r, {.type = "InitiativeUpdated"}, &warning));
  EXPECT_FALSE(FormatRecord(r, {.type = "Submitted"}, &warning));
  EXPECT_FALSE(FormatRecord(r, {.subject = "in-8"}, &warning));
  EXPECT_FALSE(FormatRecord(r, {.portfolio = "pf-2"}, &warning));
  EXPECT_TRUE(warning.empty()) << warning;
}

TEST(Events, JsonRecordsAsTheyAreAndUndecodableOnesWarned) {
  Record json{.topic = "pmo.ingest.progress.v1", .value = R"({"type":"pmo.intake.v1.ReportProgressRequest","subject":"in-1"})",
              .headers = {{"content-type", "application/json"}}};
  std::string warning;
  auto line = FormatRecord(json, {.type = "ReportProgressRequest"}, &warning);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(*line, json.value);
  EXPECT_FALSE(FormatRecord(json, {.subject = "in-2"}, &warning));
  Record garbage{.topic = "t", .partition = 2, .offset = 9, .value = "\xff\xff\xff"};
  EXPECT_FALSE(FormatRecord(garbage, {}, &warning));
  EXPECT_THAT(warning, HasSubstr("t/2@9: not a pmo.events.v1.Envelope"));
  garbage.headers = {{"pmo_dlq_reason", "cannot decode"}, {"pmo_dlq_source_topic", "pmo.ingest.progress.v1"}};
  EXPECT_FALSE(FormatRecord(garbage, {}, &warning));
  EXPECT_THAT(warning, HasSubstr("dead-lettered from pmo.ingest.progress.v1: cannot decode"));
  // A payload type this build does not know still prints, with the bytes in base64.
  pmo::events::v1::Envelope env;
  env.set_type("pmo.future.v1.Happened");
  env.mutable_payload()->set_type_url("type.googleapis.com/pmo.future.v1.Happened");
  env.mutable_payload()->set_value("abc");
  warning.clear();
  auto unknown = FormatRecord({.topic = "t", .value = env.SerializeAsString()}, {}, &warning);
  ASSERT_TRUE(unknown.has_value()) << warning;
  auto j = nlohmann::json::parse(*unknown);
  EXPECT_EQ(j["payload"]["value"], "YWJj");
}

// ---- the command line ---------------------------------------------------------------

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome Cli(std::vector<std::string> args) {
  args.insert(args.begin(), "pmoctl");
  std::ostringstream out, err;
  int code = Run(args, out, err, Environment{});
  return {code, out.str(), err.str()};
}

// A loopback port nothing listens on: bound, then closed.
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

TEST(Cli, HelpEverywhereExitsZero) {
  auto top = Cli({"--help"});
  EXPECT_EQ(top.code, kExitOk);
  EXPECT_THAT(top.out, AllOf(HasSubstr("portfolios"), HasSubstr("PMO_INTAKE_ADDR"), HasSubstr("Exit codes")));
  for (const CommandSpec& spec : Commands()) {
    std::vector<std::string> args = spec.words;
    args.push_back("--help");
    auto r = Cli(args);
    EXPECT_EQ(r.code, kExitOk) << absl::StrJoin(spec.words, " ") << r.err;
    EXPECT_THAT(r.out, HasSubstr("--set")) << absl::StrJoin(spec.words, " ");
  }
  EXPECT_EQ(Cli({"events", "tail", "--help"}).code, kExitOk);
  EXPECT_THAT(Cli({"status", "--help"}).out, HasSubstr("--wait"));
  EXPECT_THAT(Cli({"initiatives", "--help"}).out, AllOf(HasSubstr("submit"), HasSubstr("transition")));
}

TEST(Cli, UsageErrorsExitTwoNamingTheProblem) {
  auto none = Cli({});
  EXPECT_EQ(none.code, kExitUsage);
  auto unknown = Cli({"initiatives", "bogus"});
  EXPECT_EQ(unknown.code, kExitUsage);
  EXPECT_THAT(unknown.err, HasSubstr("bogus"));
  auto missing = Cli({"initiatives", "get"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_THAT(missing.err, HasSubstr("ID is required"));
  auto no_file = Cli({"initiatives", "submit", "-f", "/nonexistent/x.yaml"});
  EXPECT_EQ(no_file.code, kExitUsage);
  EXPECT_THAT(no_file.err, HasSubstr("/nonexistent/x.yaml"));
  auto enum_name = Cli({"initiatives", "transition", "in-1", "--to", "sideways"});
  EXPECT_EQ(enum_name.code, kExitUsage);
  EXPECT_THAT(enum_name.err, HasSubstr("unknown value \"sideways\" of pmo.intake.v1.Stage"));
  auto set = Cli({"initiatives", "get", "in-1", "--set", "initiative_idd=x"});
  EXPECT_EQ(set.code, kExitUsage);
  EXPECT_THAT(set.err, HasSubstr("initiative_idd: no such field in pmo.intake.v1.GetInitiativeRequest"));
  auto required = Cli({"decisions", "record", "--review", "rv-1", "--initiative", "in-1", "--decision", "STOP"});
  EXPECT_EQ(required.code, kExitUsage);
  EXPECT_THAT(required.err, HasSubstr("--rationale is required"));
  EXPECT_EQ(Cli({"-o", "xml", "initiatives", "get", "in-1"}).code, kExitUsage);
  EXPECT_THAT(Cli({"--timeout", "soon", "initiatives", "get", "in-1"}).err, HasSubstr("not a duration"));
  ::unsetenv("PMO_KAFKA_BROKERS");
  auto tail = Cli({"events", "tail"});
  EXPECT_EQ(tail.code, kExitUsage);
  EXPECT_THAT(tail.err, AllOf(HasSubstr("--brokers"), HasSubstr("PMO_KAFKA_BROKERS")));
  EXPECT_EQ(Cli({"status", "nosuch"}).code, kExitUsage);
}

TEST(Cli, DryRunPrintsTheRequestWithGlobalOptionsAnywhere) {
  auto r = Cli({"initiatives", "transition", "in-1", "--to", "approved", "--reason", "board", "--expected-version", "3",
                "--dry-run", "-o", "json"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out),
            nlohmann::json::parse(
                R"({"initiativeId":"in-1","toStage":"STAGE_APPROVED","reason":"board","expectedVersion":"3"})"));
  auto twice = Cli({"--dry-run", "-o", "yaml", "initiatives", "get", "in-1", "-o", "json"});
  ASSERT_EQ(twice.code, kExitOk) << twice.err;
  EXPECT_EQ(nlohmann::json::parse(twice.out)["initiativeId"], "in-1");  // the last -o counts
  auto ranking = Cli({"--dry-run", "-o", "json", "ranking", "--portfolio", "pf-1", "--stage", "active", "--stage",
                      "APPROVED"});
  ASSERT_EQ(ranking.code, kExitOk) << ranking.err;
  EXPECT_EQ(nlohmann::json::parse(ranking.out)["stages"],
            nlohmann::json::parse(R"(["STAGE_ACTIVE","STAGE_APPROVED"])"));
  // Check-ins get a generated source id so the service can apply them once.
  auto checkin = Cli({"--dry-run", "-o", "json", "checkins", "record", "kr-1", "--value", "42", "--as-of", "2027-02-01"});
  ASSERT_EQ(checkin.code, kExitOk) << checkin.err;
  auto j = nlohmann::json::parse(checkin.out);
  EXPECT_THAT(j["sourceId"].get<std::string>(), ::testing::StartsWith("pmoctl-"));
  EXPECT_EQ(j["asOf"], nlohmann::json::parse(R"({"year":2027,"month":2,"day":1})"));
}

TEST(Cli, AnUpdateIsGuardedByTheVersionItsFileHolds) {
  TempFile f("in.json", R"({"id": "in-1", "title": "Edited", "version": "4"})");
  auto r = Cli({"--dry-run", "-o", "json", "initiatives", "update", "-f", f.path()});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["expectedVersion"], "4");
  auto given = Cli({"--dry-run", "-o", "json", "initiatives", "update", "-f", f.path(), "--expected-version", "2"});
  ASSERT_EQ(given.code, kExitOk) << given.err;
  EXPECT_EQ(nlohmann::json::parse(given.out)["expectedVersion"], "2");
  auto missing = Cli({"initiatives", "update", "in-1"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_THAT(missing.err, HasSubstr("--file is required"));
}

TEST(Cli, HelpNamesValueKindsAndEnumValues) {
  auto transition = Cli({"initiatives", "transition", "--help"});
  EXPECT_THAT(transition.out, AllOf(HasSubstr("--to NAME"), HasSubstr("one of DRAFT, SUBMITTED, IN_REVIEW, APPROVED"),
                                    HasSubstr("--expected-version N")));
  EXPECT_THAT(Cli({"initiatives", "progress", "--help"}).out,
              AllOf(HasSubstr("--as-of YYYY-MM-DD"), HasSubstr("--confidence NUMBER")));
  EXPECT_THAT(Cli({"links", "add", "--help"}).out, HasSubstr("--kr,--key-result TEXT"));
  auto link = Cli({"--dry-run", "-o", "json", "links", "add", "--key-result", "kr-1", "--initiative", "in-1"});
  ASSERT_EQ(link.code, kExitOk) << link.err;
  EXPECT_EQ(nlohmann::json::parse(link.out)["keyResultId"], "kr-1");
}

TEST(Cli, FailedCallExitsOneAndNamesTheUnreachableService) {
  const std::string address = "127.0.0.1:" + std::to_string(ClosedPort());
  auto r = Cli({"--intake", address, "--timeout", "5s", "initiatives", "get", "in-1"});
  EXPECT_EQ(r.code, kExitFailed);
  EXPECT_THAT(r.err, ::testing::StartsWith("error: UNAVAILABLE: intake at " + address + ": "));
  auto status = Cli({"--okr", address, "-o", "json", "status", "okr"});
  EXPECT_EQ(status.code, kExitFailed);
  auto rows = nlohmann::json::parse(status.out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["service"], "okr");
  EXPECT_EQ(rows[0]["address"], address);
  EXPECT_EQ(rows[0]["status"], "UNREACHABLE");
  EXPECT_THAT(rows[0]["reason"].get<std::string>(), HasSubstr("UNAVAILABLE"));
  auto waited = Cli({"--okr", address, "-o", "json", "status", "okr", "--wait", "300ms"});
  EXPECT_EQ(waited.code, kExitFailed);
  EXPECT_EQ(nlohmann::json::parse(waited.out)[0]["status"], "UNREACHABLE");
  auto table = Cli({"--okr", address, "-o", "table", "status", "okr"});
  EXPECT_THAT(table.out, AllOf(HasSubstr("SERVICE  ADDRESS"), HasSubstr("okr      " + address + "  UNREACHABLE: ")));
}

TEST(Cli, AddressesComeFromTheEnvironmentUnlessAFlagIsGiven) {
  const std::string address = "127.0.0.1:" + std::to_string(ClosedPort());
  ::setenv("PMO_BENEFITS_ADDR", address.c_str(), 1);
  auto r = Cli({"benefits", "get", "b-1", "--timeout", "5s"});
  EXPECT_THAT(r.err, HasSubstr("benefits at " + address));
  auto flag = Cli({"--benefits", "127.0.0.1:1", "benefits", "get", "b-1", "--timeout", "5s"});
  EXPECT_THAT(flag.err, HasSubstr("benefits at 127.0.0.1:1"));
  ::unsetenv("PMO_BENEFITS_ADDR");
}

TEST(Duration, Units) {
  EXPECT_EQ(*ParseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(*ParseDuration("10s"), std::chrono::milliseconds(10000));
  EXPECT_EQ(*ParseDuration("1.5"), std::chrono::milliseconds(1500));
  EXPECT_EQ(*ParseDuration("2m"), std::chrono::milliseconds(120000));
  EXPECT_FALSE(ParseDuration("ten").ok());
  EXPECT_FALSE(ParseDuration("-1s").ok());
  // Absurd lengths are refused, not overflowed.
  EXPECT_THAT(ParseDuration("99999999999999h").status().message(), HasSubstr("longer than a week"));
  EXPECT_FALSE(ParseDuration(std::string(400, '9') + "s").ok());
}

TEST(Cli, InputTheRequestCannotCarryIsAUsageErrorNotACrash) {
  auto index = Cli({"initiatives", "list", "--portfolio", "p", "--set", "stages[99999999999999999999]=ACTIVE",
                    "--dry-run"});
  EXPECT_EQ(index.code, kExitUsage);
  EXPECT_THAT(index.err, HasSubstr("out of range"));
  auto utf8 = Cli({"initiatives", "progress", "in-1", "--note", "\xff\xfe", "--dry-run"});
  EXPECT_EQ(utf8.code, kExitUsage) << utf8.out;
  EXPECT_THAT(utf8.err, HasSubstr("bad input"));
  // A per-call timeout shorter than status's polling floor is fine.
  auto quick = Cli({"--timeout", "50ms", "--intake", "127.0.0.1:1", "status", "intake", "--wait", "300ms"});
  EXPECT_EQ(quick.code, kExitFailed);
}


// What `pmoctl ingest` sends is what the services' ingest decoding reads: the payload
// itself with CloudEvents headers, as JSON or protobuf; the as-of date defaults to today
// and the idempotency key to the source id.
TEST(Ingest, RecordsDecodeAsTheServicesReadThem) {
  const IngestKind* measurement = nullptr;
  for (const auto& k : IngestKinds())
    if (k.name == "measurement") measurement = &k;
  ASSERT_NE(measurement, nullptr);
  const absl::Time now = absl::FromUnixSeconds(1796117400);  // 2026-12-01T09:30:00Z
  for (const std::string format : {"json", "protobuf"}) {
    benefits::v1::RecordMeasurementRequest m;
    m.set_benefit_id("b-1");
    m.set_value(12.5);
    m.set_source_id("finance-row-9");
    IngestOptions options;
    options.format = format;
    auto record = MakeIngestRecord(*measurement, m, options, now);
    ASSERT_TRUE(record.ok()) << record.status();
    EXPECT_EQ(record->topic, "pmo.ingest.benefit-measurements.v1");
    EXPECT_EQ(record->key, "b-1");
    EXPECT_EQ(record->Header("ce_id"), "finance-row-9");
    EXPECT_EQ(record->Header("content-type"), format == "json" ? "application/json" : "application/protobuf");
    auto decoded = DecodeIngestRecord(*record, benefits::v1::RecordMeasurementRequest::default_instance());
    ASSERT_TRUE(decoded.ok()) << format << ": " << decoded.status();
    EXPECT_EQ(decoded->event_id(), "finance-row-9");
    EXPECT_EQ(decoded->source(), "pmoctl");
    EXPECT_EQ(decoded->occurred_at().seconds(), 1796117400);
    benefits::v1::RecordMeasurementRequest out;
    ASSERT_TRUE(decoded->payload().UnpackTo(&out));
    EXPECT_EQ(out.value(), 12.5);
    EXPECT_EQ(out.as_of().year(), 2026);
    EXPECT_EQ(out.as_of().month(), 12);
    EXPECT_EQ(out.as_of().day(), 1);
  }
  benefits::v1::RecordMeasurementRequest m;
  IngestOptions xml;
  xml.format = "xml";
  EXPECT_THAT(MakeIngestRecord(*measurement, m, xml, now).status().message(), HasSubstr("json or protobuf"));
}

TEST(Ingest, CommandBuildsFromFlagsAndRefusesWhatIsMissing) {
  auto ok = Cli({"--dry-run", "ingest", "check-in", "kr-1", "--value", "0", "--as-of", "2026-11-30", "--id", "x-1"});
  ASSERT_EQ(ok.code, kExitOk) << ok.err;
  auto shown = nlohmann::json::parse(ok.out);
  EXPECT_EQ(shown["topic"], "pmo.ingest.kr-checkins.v1");
  EXPECT_EQ(shown["headers"]["ce_id"], "x-1");
  EXPECT_EQ(shown["payload"]["asOf"]["day"], 30);
  auto missing = Cli({"--dry-run", "ingest", "check-in", "kr-1"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_THAT(missing.err, HasSubstr("--value is required"));
  ::unsetenv("PMO_KAFKA_BROKERS");
  auto no_brokers = Cli({"ingest", "measurement", "b-1", "--value", "3"});
  EXPECT_EQ(no_brokers.code, kExitUsage);
  EXPECT_THAT(no_brokers.err, HasSubstr("--brokers"));
}

}  // namespace
}  // namespace pmo::ctl
