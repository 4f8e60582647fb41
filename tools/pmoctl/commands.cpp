#include "commands.h"

#include <map>

namespace pmo::ctl {

std::string_view ServiceName(Service service) {
  switch (service) {
    case Service::kIntake: return "intake";
    case Service::kScoring: return "scoring";
    case Service::kOkr: return "okr";
    case Service::kBenefits: return "benefits";
    case Service::kReporting: return "reporting";
  }
  return "?";
}

std::string_view DefaultAddress(Service service) {
  switch (service) {
    case Service::kIntake: return "127.0.0.1:7101";
    case Service::kScoring: return "127.0.0.1:7102";
    case Service::kOkr: return "127.0.0.1:7103";
    case Service::kBenefits: return "127.0.0.1:7104";
    case Service::kReporting: return "127.0.0.1:7105";
  }
  return "";
}

std::string_view AddressEnv(Service service) {
  switch (service) {
    case Service::kIntake: return "PMO_INTAKE_ADDR";
    case Service::kScoring: return "PMO_SCORING_ADDR";
    case Service::kOkr: return "PMO_OKR_ADDR";
    case Service::kBenefits: return "PMO_BENEFITS_ADDR";
    case Service::kReporting: return "PMO_REPORTING_ADDR";
  }
  return "";
}

namespace {

// Shorthands for the flags many commands share.
FlagSpec Portfolio(std::string field, bool required = true) {
  return {.name = "portfolio", .field = std::move(field), .help = "portfolio id", .required = required};
}
FlagSpec ExpectedVersion(std::string field = "expected_version") {
  return {.name = "expected-version", .field = std::move(field),
          .help = "the version the change is based on (a stale one answers ABORTED); default: the file's "
                  "version, or the current one for a transition"};
}
std::vector<FlagSpec> Paging(std::string prefix = "page.") {
  return {{.name = "page-size", .field = prefix + "page_size", .help = "results per page (0: the service's default)"},
          {.name = "page-token", .field = prefix + "page_token", .help = "token from a previous page"}};
}
std::vector<FlagSpec> With(std::vector<FlagSpec> a, const std::vector<FlagSpec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
PositionalSpec Id(std::string field, std::string name = "ID") { return {std::move(name), std::move(field), true}; }

constexpr const char* kIntake = "pmo.intake.v1.IntakeService.";
constexpr const char* kScoring = "pmo.scoring.v1.ScoringService.";
constexpr const char* kOkr = "pmo.okr.v1.OkrService.";
constexpr const char* kBenefits = "pmo.benefits.v1.BenefitsService.";
constexpr const char* kReporting = "pmo.reporting.v1.ReportingService.";

std::string M(const char* service, const char* method) { return std::string(service) + method; }

// The command table, one function per service, in the order --help lists them.
void AddIntakeCommands(std::vector<CommandSpec>& c) {
  using S = Service;
  c.push_back({.words = {"portfolios", "create"}, .service = S::kIntake, .method = M(kIntake, "CreatePortfolio"),
               .help = "Create a portfolio (-f FILE holds a Portfolio, or the whole request)",
               .flags = {{.name = "id", .field = "portfolio_id", .help = "client-chosen portfolio id"},
                         {.name = "name", .field = "portfolio.name", .help = "portfolio name"},
                         {.name = "currency", .field = "portfolio.currency", .help = "ISO 4217 currency"},
                         {.name = "first-quarter", .field = "portfolio.first_quarter", .help = "e.g. 2027Q1"},
                         {.name = "last-quarter", .field = "portfolio.last_quarter", .help = "e.g. 2028Q4"},
                         {.name = "wip-limit", .field = "portfolio.wip_limit", .help = "most ACTIVE at once"}},
               .body = "portfolio"});
  c.push_back({.words = {"portfolios", "get"}, .service = S::kIntake, .method = M(kIntake, "GetPortfolio"),
               .help = "Show a portfolio", .positionals = {Id("portfolio_id")}});
  c.push_back({.words = {"portfolios", "list"}, .service = S::kIntake, .method = M(kIntake, "ListPortfolios"),
               .help = "List portfolios", .flags = Paging()});
  c.push_back({.words = {"portfolios", "update"}, .service = S::kIntake, .method = M(kIntake, "UpdatePortfolio"),
               .help = "Replace a portfolio's definition (-f FILE holds the full Portfolio)",
               .positionals = {{"ID", "portfolio.id", false}},
               .flags = {ExpectedVersion(), {.name = "name", .field = "portfolio.name", .help = "portfolio name"},
                         {.name = "wip-limit", .field = "portfolio.wip_limit", .help = "most ACTIVE at once"}},
               .body = "portfolio", .file_required = true, .version_from = "portfolio.version"});

  c.push_back({.words = {"initiatives", "submit"}, .service = S::kIntake, .method = M(kIntake, "SubmitInitiative"),
               .help = "Submit an initiative with its business case (-f FILE holds an Initiative)",
               .flags = {{.name = "id", .field = "initiative_id", .help = "client-chosen initiative id"},
                         Portfolio("initiative.portfolio_id", false),
                         {.name = "draft", .field = "submit_as_draft", .help = "keep it in DRAFT", .is_switch = true}},
               .body = "initiative", .file_required = true});
  c.push_back({.words = {"initiatives", "get"}, .service = S::kIntake, .method = M(kIntake, "GetInitiative"),
               .help = "Show an initiative", .positionals = {Id("initiative_id")}});
  c.push_back({.words = {"initiatives", "list"}, .service = S::kIntake, .method = M(kIntake, "ListInitiatives"),
               .help = "List a portfolio's initiatives",
               .flags = With({Portfolio("portfolio_id"),
                              {.name = "stage", .field = "stages", .help = "only this stage (repeatable)",
                               .repeated = true}},
                             Paging())});
  c.push_back({.words = {"initiatives", "update"}, .service = S::kIntake, .method = M(kIntake, "UpdateInitiative"),
               .help = "Replace an initiative's submission (-f FILE holds the full Initiative)",
               .positionals = {{"ID", "initiative.id", false}}, .flags = {ExpectedVersion()},
               .body = "initiative", .file_required = true, .version_from = "initiative.version"});
  c.push_back({.words = {"initiatives", "transition"}, .service = S::kIntake,
               .method = M(kIntake, "TransitionInitiative"),
               .help = "Move an initiative to another stage through its gates",
               .positionals = {Id("initiative_id")},
               .flags = {{.name = "to", .field = "to_stage", .help = "target stage (APPROVED or STAGE_APPROVED)",
                          .required = true},
                         {.name = "reason", .field = "reason", .help = "why"},
                         {.name = "override-reason", .field = "override_reason",
                          .help = "lets approval exceed budget or capacity; recorded"},
                         ExpectedVersion()},
               .current_version_method = M(kIntake, "GetInitiative"), .current_version_id = "initiative_id"});
  c.push_back({.words = {"initiatives", "progress"}, .service = S::kIntake, .method = M(kIntake, "ReportProgress"),
               .help = "Report delivery progress (-f FILE holds a ProgressReport, or use the flags)",
               .positionals = {Id("initiative_id")},
               .flags = {{.name = "as-of", .field = "report.as_of", .help = "yyyy-mm-dd"},
                         {.name = "percent", .field = "report.percent_complete", .help = "0..100"},
                         {.name = "spend", .field = "report.actual_spend_to_date.minor_units",
                          .help = "actual spend to date, in minor units (cents) of the portfolio's currency"},
                         {.name = "forecast", .field = "report.forecast_at_completion.minor_units",
                          .help = "forecast at completion, in minor units"},
                         {.name = "schedule-variance-days", .field = "report.schedule_variance_days",
                          .help = "positive: late"},
                         {.name = "confidence", .field = "report.delivery_confidence", .help = "0..1"},
                         {.name = "note", .field = "report.note", .help = "free text"}},
               .body = "report"});
}

void AddOkrCommands(std::vector<CommandSpec>& c) {
  using S = Service;
  c.push_back({.words = {"objectives", "create"}, .service = S::kOkr, .method = M(kOkr, "CreateObjective"),
               .help = "Create an objective (-f FILE holds an Objective, or use the flags)",
               .flags = {{.name = "id", .field = "objective_id", .help = "client-chosen objective id"},
                         Portfolio("objective.portfolio_id", false),
                         {.name = "title", .field = "objective.title", .help = "title"},
                         {.name = "level", .field = "objective.level", .help = "COMPANY, PORTFOLIO, PROGRAM or TEAM"},
                         {.name = "parent", .field = "objective.parent_id", .help = "parent objective id"},
                         {.name = "owner", .field = "objective.owner", .help = "owner"},
                         {.name = "period", .field = "objective.period", .help = "2027Q1, or 2027 for a year"},
                         {.name = "priority", .field = "objective.priority", .help = "weight among siblings (> 0)"}},
               .body = "objective"});
  c.push_back({.words = {"objectives", "get"}, .service = S::kOkr, .method = M(kOkr, "GetObjective"),
               .help = "Show an objective", .positionals = {Id("objective_id")}});
  c.push_back({.words = {"objectives", "list"}, .service = S::kOkr, .method = M(kOkr, "ListObjectives"),
               .help = "List a portfolio's objectives",
               .flags = With({Portfolio("portfolio_id"),
                              {.name = "level", .field = "levels", .help = "only this level (repeatable)",
                               .repeated = true},
                              {.name = "status", .field = "statuses", .help = "only this status (repeatable)",
                               .repeated = true}},
                             Paging())});
  c.push_back({.words = {"objectives", "update"}, .service = S::kOkr, .method = M(kOkr, "UpdateObjective"),
               .help = "Replace an objective (-f FILE holds the full Objective)",
               .positionals = {{"ID", "objective.id", false}}, .flags = {ExpectedVersion()}, .body = "objective",
               .file_required = true, .version_from = "objective.version"});
  c.push_back({.words = {"keyresults", "create"}, .service = S::kOkr, .method = M(kOkr, "CreateKeyResult"),
               .help = "Create a key result (-f FILE holds a KeyResult, or use the flags)",
               .flags = {{.name = "id", .field = "key_result_id", .help = "client-chosen key result id"},
                         {.name = "objective", .field = "key_result.objective_id", .help = "objective id"},
                         {.name = "metric", .field = "key_result.metric", .help = "what is measured"},
                         {.name = "unit", .field = "key_result.unit", .help = "unit"},
                         {.name = "baseline", .field = "key_result.baseline", .help = "starting value"},
                         {.name = "target", .field = "key_result.target", .help = "target value"},
                         {.name = "direction", .field = "key_result.direction", .help = "INCREASE, DECREASE, MAINTAIN"},
                         {.name = "due", .field = "key_result.due_date", .help = "yyyy-mm-dd"},
                         {.name = "owner", .field = "key_result.owner", .help = "owner"}},
               .body = "key_result"});
  c.push_back({.words = {"keyresults", "get"}, .service = S::kOkr, .method = M(kOkr, "GetKeyResult"),
               .help = "Show a key result", .positionals = {Id("key_result_id")}});
  c.push_back({.words = {"keyresults", "update"}, .service = S::kOkr, .method = M(kOkr, "UpdateKeyResult"),
               .help = "Replace a key result (-f FILE holds the full KeyResult)",
               .positionals = {{"ID", "key_result.id", false}}, .flags = {ExpectedVersion()}, .body = "key_result",
               .file_required = true, .version_from = "key_result.version"});
  c.push_back({.words = {"checkins", "record"}, .service = S::kOkr, .method = M(kOkr, "CheckIn"),
               .help = "Record a key result check-in", .positionals = {Id("key_result_id", "KEY_RESULT")},
               .flags = {{.name = "value", .field = "value", .help = "the measured value", .required = true},
                         {.name = "confidence", .field = "confidence", .help = "0..1"},
                         {.name = "note", .field = "note", .help = "free text"},
                         {.name = "as-of", .field = "as_of", .help = "yyyy-mm-dd"},
                         {.name = "source-id", .field = "source_id",
                          .help = "the observation's id at its origin (applied once); generated when omitted"}},
               .generated_source_id = "source_id"});
  c.push_back({.words = {"links", "add"}, .service = S::kOkr, .method = M(kOkr, "LinkInitiative"),
               .help = "Link an initiative to a key result",
               .flags = {{.name = "kr,key-result", .field = "key_result_id", .help = "key result id", .required = true},
                         {.name = "initiative", .field = "initiative_id", .help = "initiative id", .required = true},
                         {.name = "contribution", .field = "contribution", .help = "0..1"}}});
  c.push_back({.words = {"links", "remove"}, .service = S::kOkr, .method = M(kOkr, "UnlinkInitiative"),
               .help = "Remove an initiative's link to a key result",
               .flags = {{.name = "kr,key-result", .field = "key_result_id", .help = "key result id", .required = true},
                         {.name = "initiative", .field = "initiative_id", .help = "initiative id",
                          .required = true}}});
  c.push_back({.words = {"alignment", "tree"}, .service = S::kOkr, .method = M(kOkr, "GetAlignmentTree"),
               .help = "The objective cascade with key results and aligned initiatives",
               .flags = {Portfolio("portfolio_id")}});
  c.push_back({.words = {"coverage"}, .service = S::kOkr, .method = M(kOkr, "GetCoverage"),
               .help = "Strategy coverage of a portfolio",
               .flags = {Portfolio("portfolio_id"), {.name = "as-of", .field = "as_of", .help = "yyyy-mm-dd"}}});
}

void AddBenefitsCommands(std::vector<CommandSpec>& c) {
  using S = Service;
  c.push_back({.words = {"benefits", "create"}, .service = S::kBenefits, .method = M(kBenefits, "CreateBenefit"),
               .help = "Register a benefit (-f FILE holds a Benefit, or use the flags)",
               .flags = {{.name = "id", .field = "benefit_id", .help = "client-chosen benefit id"},
                         {.name = "initiative", .field = "benefit.initiative_id", .help = "initiative id"},
                         Portfolio("benefit.portfolio_id", false),
                         {.name = "category", .field = "benefit.category",
                          .help = "FINANCIAL, STRATEGIC, OPERATIONAL or CUSTOMER"},
                         {.name = "metric", .field = "benefit.metric", .help = "what is measured"},
                         {.name = "unit", .field = "benefit.unit", .help = "unit"},
                         {.name = "baseline", .field = "benefit.baseline", .help = "starting value"},
                         {.name = "target", .field = "benefit.target", .help = "target value"},
                         {.name = "target-date", .field = "benefit.target_date", .help = "yyyy-mm-dd"},
                         {.name = "owner", .field = "benefit.owner", .help = "owner"},
                         {.name = "indicator", .field = "benefit.indicator", .help = "LEADING or LAGGING"},
                         {.name = "key-result", .field = "benefit.key_result_id", .help = "key result it evidences"}},
               .body = "benefit"});
  c.push_back({.words = {"benefits", "get"}, .service = S::kBenefits, .method = M(kBenefits, "GetBenefit"),
               .help = "Show a benefit", .positionals = {Id("benefit_id")}});
  c.push_back({.words = {"benefits", "list"}, .service = S::kBenefits, .method = M(kBenefits, "ListBenefits"),
               .help = "List an initiative's or a portfolio's benefits (exactly one of the two)",
               .flags = With({{.name = "initiative", .field = "initiative_id", .help = "initiative id"},
                              Portfolio("portfolio_id", false),
                              {.name = "status", .field = "statuses", .help = "only this status (repeatable)",
                               .repeated = true},
                              {.name = "include-removed", .field = "include_removed",
                               .help = "also withdrawn benefits", .is_switch = true}},
                             Paging())});
  c.push_back({.words = {"benefits", "update"}, .service = S::kBenefits, .method = M(kBenefits, "UpdateBenefit"),
               .help = "Replace a benefit's definition (-f FILE holds the full Benefit)",
               .positionals = {{"ID", "benefit.benefit_id", false}}, .flags = {ExpectedVersion()},
               .body = "benefit", .file_required = true, .version_from = "benefit.version"});
  c.push_back({.words = {"measurements", "record"}, .service = S::kBenefits,
               .method = M(kBenefits, "RecordMeasurement"), .help = "Record one benefit measurement",
               .positionals = {Id("benefit_id", "BENEFIT")},
               .flags = {{.name = "value", .field = "value", .help = "the measured value", .required = true},
                         {.name = "as-of", .field = "as_of", .help = "yyyy-mm-dd", .required = true},
                         {.name = "source-id", .field = "source_id",
                          .help = "the observation's id at its origin (applied once); generated when omitted"}},
               .generated_source_id = "source_id"});
  c.push_back({.words = {"measurements", "record-batch"}, .service = S::kBenefits,
               .method = M(kBenefits, "RecordMeasurements"),
               .help = "Record a batch of one benefit's measurements in one step (-f FILE: "
                       "{measurements: [{value, asOf, sourceId}, ...]})",
               .positionals = {Id("benefit_id", "BENEFIT")}, .file_required = true});
  c.push_back({.words = {"realisation"}, .service = S::kBenefits, .method = M(kBenefits, "GetRealisation"),
               .help = "A benefit's realisation, trend, forecast and status",
               .positionals = {Id("benefit_id", "BENEFIT")}});
  c.push_back({.words = {"value", "initiative"}, .service = S::kBenefits, .method = M(kBenefits, "GetInitiativeValue"),
               .help = "Planned and realised value and ROI of an initiative",
               .positionals = {Id("initiative_id")},
               .flags = {{.name = "currency", .field = "currency", .help = "ISO 4217; default the portfolio's"}}});
  c.push_back({.words = {"value", "portfolio"}, .service = S::kBenefits, .method = M(kBenefits, "GetPortfolioValue"),
               .help = "Planned and realised value and ROI of a portfolio, by initiative",
               .positionals = {Id("portfolio_id")},
               .flags = {{.name = "currency", .field = "currency", .help = "ISO 4217; default the portfolio's"}}});
}

void AddScoringCommands(std::vector<CommandSpec>& c) {
  using S = Service;
  c.push_back({.words = {"model", "set"}, .service = S::kScoring, .method = M(kScoring, "SetScoringModel"),
               .help = "Set a portfolio's scoring model (-f FILE holds a ScoringModel)",
               .flags = {Portfolio("model.portfolio_id", false), ExpectedVersion()}, .body = "model",
               .file_required = true, .version_from = "model.version"});
  c.push_back({.words = {"model", "get"}, .service = S::kScoring, .method = M(kScoring, "GetScoringModel"),
               .help = "Show a portfolio's scoring model", .flags = {Portfolio("portfolio_id")}});
  c.push_back({.words = {"model", "derive-weights"}, .service = S::kScoring, .method = M(kScoring, "DeriveWeights"),
               .help = "AHP weights from pairwise comparisons (-f FILE: {comparisons: [{a, b, value}, ...]})",
               .flags = {Portfolio("portfolio_id", false)}, .file_required = true});
  c.push_back({.words = {"ranking"}, .service = S::kScoring, .method = M(kScoring, "GetRanking"),
               .help = "The portfolio's live ranking",
               .flags = With({Portfolio("portfolio_id"),
                              {.name = "stage", .field = "stages", .help = "only this intake stage (repeatable)",
                               .repeated = true, .enum_of = "pmo.intake.v1.Stage"}},
                             Paging())});
  c.push_back({.words = {"explain"}, .service = S::kScoring, .method = M(kScoring, "ExplainScore"),
               .help = "An initiative's score criterion by criterion", .positionals = {Id("initiative_id")}});
  c.push_back({.words = {"scenarios", "run"}, .service = S::kScoring, .method = M(kScoring, "RunScenario"),
               .help = "Select the best set of initiatives under constraints (-f FILE holds a RunScenarioRequest)",
               .flags = {Portfolio("portfolio_id", false), {.name = "name", .field = "name", .help = "scenario name"},
                         {.name = "objective", .field = "objective",
                          .help = "TOTAL_SCORE, EXPECTED_BENEFIT or RISK_ADJUSTED_VALUE"},
                         {.name = "time-limit-ms", .field = "time_limit_ms", .help = "bound on the exact solve"}}});
  c.push_back({.words = {"scenarios", "get"}, .service = S::kScoring, .method = M(kScoring, "GetScenario"),
               .help = "Show a stored scenario", .positionals = {Id("scenario_id")}});
  c.push_back({.words = {"scenarios", "list"}, .service = S::kScoring, .method = M(kScoring, "ListScenarios"),
               .help = "List a portfolio's scenarios", .flags = {Portfolio("portfolio_id")}});
  c.push_back({.words = {"scenarios", "compare"}, .service = S::kScoring, .method = M(kScoring, "CompareScenarios"),
               .help = "What scenario B adds, removes and changes against scenario A",
               .positionals = {Id("scenario_a", "A"), Id("scenario_b", "B")}});
  c.push_back({.words = {"frontier"}, .service = S::kScoring, .method = M(kScoring, "EfficientFrontier"),
               .help = "The optimum at each budget level",
               .flags = {Portfolio("portfolio_id"),
                         {.name = "level", .field = "budget_levels",
                          .help = "budget level as a multiple of the portfolio's budget (repeatable)",
                          .repeated = true},
                         {.name = "objective", .field = "objective",
                          .help = "TOTAL_SCORE, EXPECTED_BENEFIT or RISK_ADJUSTED_VALUE"},
                         {.name = "time-limit-ms", .field = "time_limit_ms", .help = "bound per solve"}}});
}

void AddReportingCommands(std::vector<CommandSpec>& c) {
  using S = Service;
  c.push_back({.words = {"reviews", "open"}, .service = S::kReporting, .method = M(kReporting, "OpenReview"),
               .help = "Open an evidence review (-f FILE holds ReviewRules thresholds)",
               .flags = {Portfolio("portfolio_id"),
                         {.name = "quarter", .field = "quarter", .help = "e.g. 2027Q1", .required = true}},
               .body = "rules"});
  c.push_back({.words = {"reviews", "get"}, .service = S::kReporting, .method = M(kReporting, "GetReview"),
               .help = "Show a review with its evidence and recommendations", .positionals = {Id("review_id")}});
  c.push_back({.words = {"reviews", "list"}, .service = S::kReporting, .method = M(kReporting, "ListReviews"),
               .help = "List a portfolio's reviews", .flags = With({Portfolio("portfolio_id")}, Paging(""))});
  c.push_back({.words = {"reviews", "close"}, .service = S::kReporting, .method = M(kReporting, "CloseReview"),
               .help = "Close a review", .positionals = {Id("review_id")},
               .flags = {{.name = "allow-undecided", .field = "allow_undecided",
                          .help = "close although some initiatives have no decision", .is_switch = true}}});
  c.push_back({.words = {"decisions", "record"}, .service = S::kReporting, .method = M(kReporting, "RecordDecision"),
               .help = "Record a continue / pivot / stop decision in an open review",
               .flags = {{.name = "review", .field = "review_id", .help = "review id", .required = true},
                         {.name = "initiative", .field = "initiative_id", .help = "initiative id", .required = true},
                         {.name = "decision", .field = "decision", .help = "CONTINUE, PIVOT or STOP", .required = true},
                         {.name = "rationale", .field = "rationale", .help = "why", .required = true},
                         {.name = "by", .field = "decided_by", .help = "who decided"}}});
  c.push_back({.words = {"kpis"}, .service = S::kReporting, .method = M(kReporting, "GetKpis"),
               .help = "Every KPI with its value, definition and trend",
               .flags = {Portfolio("portfolio_id"),
                         {.name = "period", .field = "period", .help = "e.g. 2027Q1; default the current quarter"},
                         {.name = "trend-quarters", .field = "trend_quarters", .help = "quarters in the trend"}}});
  c.push_back({.words = {"insights"}, .service = S::kReporting, .method = M(kReporting, "GetInsights"),
               .help = "What needs an executive's attention", .flags = {Portfolio("portfolio_id")}});
  c.push_back({.words = {"dashboard"}, .service = S::kReporting, .method = M(kReporting, "GetDashboard"),
               .help = "Portfolio value health, one row per initiative", .flags = {Portfolio("portfolio_id")}});
}

std::vector<CommandSpec> Build() {
  std::vector<CommandSpec> c;
  AddIntakeCommands(c);
  AddOkrCommands(c);
  AddBenefitsCommands(c);
  AddScoringCommands(c);
  AddReportingCommands(c);
  return c;
}

}  // namespace

const std::vector<CommandSpec>& Commands() {
  static const std::vector<CommandSpec> commands = Build();
  return commands;
}

std::string GroupHelp(std::string_view word) {
  static const std::map<std::string, std::string, std::less<>> help = {
      {"portfolios", "Portfolios: budgets, capacities, WIP limit (intake)"},
      {"initiatives", "Initiatives, their lifecycle and progress (intake)"},
      {"objectives", "Objectives (okr)"},
      {"keyresults", "Key results (okr)"},
      {"checkins", "Key result check-ins (okr)"},
      {"links", "Links between initiatives and key results (okr)"},
      {"alignment", "The alignment tree (okr)"},
      {"benefits", "The benefit register (benefits)"},
      {"measurements", "Benefit measurements (benefits)"},
      {"value", "Planned and realised value (benefits)"},
      {"model", "The scoring model (scoring)"},
      {"scenarios", "Optimal portfolio scenarios (scoring)"},
      {"reviews", "Evidence reviews (reporting)"},
      {"decisions", "Continue / pivot / stop decisions (reporting)"},
  };
  auto it = help.find(word);
  return it == help.end() ? std::string(word) : it->second;
}

}  // namespace pmo::ctl
