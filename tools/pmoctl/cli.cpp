#include "cli.h"

#include <array>
#include <cmath>
#include <future>
#include <map>
#include <memory>
#include <regex>
#include <thread>

#include <CLI/CLI.hpp>
#include <google/protobuf/descriptor.h>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "commands.h"
#include "events.h"
#include "ingest.h"
#include "pmo/common/clock.h"
#include "render.h"
#include "request.h"
#include "rpc.h"

namespace pmo::ctl {

namespace pb = google::protobuf;

absl::StatusOr<std::chrono::milliseconds> ParseDuration(const std::string& text) {
  static const std::regex kDuration("([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ms|s|m|h)?");
  std::smatch m;
  if (!std::regex_match(text, m, kDuration))
    return absl::InvalidArgumentError("\"" + text + "\" is not a duration (e.g. 500ms, 10s, 2m)");
  double n = 0;
  if (!absl::SimpleAtod(m[1].str(), &n)) return absl::InvalidArgumentError("\"" + text + "\" is not a duration");
  std::string unit = m[3].matched ? m[3].str() : "s";
  double ms = unit == "ms" ? n : unit == "s" ? n * 1e3 : unit == "m" ? n * 60e3 : n * 3600e3;
  constexpr double kMaxMs = 7.0 * 24 * 3600e3;  // a week: longer is a typing mistake
  if (!std::isfinite(ms) || ms > kMaxMs)
    return absl::InvalidArgumentError("\"" + text + "\" is longer than a week");
  return std::chrono::milliseconds(static_cast<int64_t>(ms));
}

namespace {

struct Globals {
  std::string output;
  std::string timeout = "10s";
  std::array<std::string, 5> addresses;
  std::string brokers;
  bool dry_run = false;
};

struct Leaf {
  const CommandSpec* spec = nullptr;
  CLI::App* app = nullptr;
  std::string file;
  std::vector<std::string> sets;
  std::vector<std::string> positionals;
  std::vector<std::string> single;
  std::vector<std::vector<std::string>> multi;
  std::vector<int> switches;
  std::vector<CLI::Option*> options;
  CLI::Option* set_option = nullptr;
};


size_t ServiceIndex(Service s) { return static_cast<size_t>(s); }

// Whether some --set names `field` (or something inside it).
bool SetMentions(const std::vector<std::string>& sets, const std::string& field) {
  for (const auto& s : sets)
    if (absl::StartsWith(s, field + "=") || absl::StartsWith(s, field + ".") || absl::StartsWith(s, field + "["))
      return true;
  return false;
}

class Cli {
 public:
  Cli(std::ostream& out, std::ostream& err, const Environment& env) : out_(out), err_(err), env_(env) {}

  int Run(const std::vector<std::string>& args) {
    Build();
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    try {
      app_.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
      if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
        app_.exit(e, out_, err_);  // --help, --version
        return kExitOk;
      }
      err_ << "error: " << e.what() << "\n(see " << CommandPath(args) << " --help)\n";
      return kExitUsage;
    }
    auto format = OutputFormat();
    if (!format.ok()) return Usage(std::string(format.status().message()));
    auto timeout = ParseDuration(globals_.timeout);
    if (!timeout.ok()) return Usage("--timeout: " + std::string(timeout.status().message()));
    timeout_ = *timeout;
    if (status_->parsed()) return RunStatus(*format);
    if (tail_->parsed()) return RunTail();
    for (const auto& leaf : ingest_leaves_)
      if (leaf->app->parsed()) return RunIngest(*leaf, *format);
    for (const auto& leaf : leaves_)
      if (leaf->app->parsed()) return RunCommand(*leaf, *format);
    return Usage("no command given");
  }

 private:
  // "pmoctl initiatives submit": the words before the first option, for the hint.
  static std::string CommandPath(const std::vector<std::string>& args) {
    std::string path = "pmoctl";
    for (size_t i = 1; i < args.size() && i < 3; ++i) {
      if (args[i].empty() || args[i][0] == '-') break;
      path += " " + args[i];
    }
    return path;
  }

  int Usage(const std::string& message) {
    err_ << "error: " << message << "\n";
    return kExitUsage;
  }

  absl::StatusOr<Format> OutputFormat() const {
    if (globals_.output.empty()) return env_.stdout_is_tty ? Format::kTable : Format::kJson;
    return ParseFormat(globals_.output);
  }

  void Build() {
    app_.name("pmoctl");
    app_.description("pmoctl: the command-line client of the strategic PMO suite (intake, scoring, okr, benefits, reporting).");
    app_.require_subcommand(1);
    app_.fallthrough();
    app_.set_version_flag("--version", "pmoctl 0.1.0");
    app_.footer(
        "Requests: -f FILE (JSON or YAML; for commands with a main message it may hold just that message), "
        "positional ids, the named flags, then --set field.path=value (repeatable) for any request field; "
        "later ones win. Enum values may be short (APPROVED) or full (STAGE_APPROVED); dates as yyyy-mm-dd, "
        "quarters as 2027Q1.\n"
        "Output: -o table|json|yaml (default: table on a terminal, json otherwise).\n"
        "Exit codes: 0 ok, 1 the call failed (or a service is not serving), 2 usage error.");
    app_.add_option("-o,--output", globals_.output, "table, json or yaml (default: table on a terminal, json otherwise)")
        ->type_name("FORMAT");
    app_.add_option("--timeout", globals_.timeout, "deadline of each call, e.g. 10s, 500ms")
        ->type_name("DURATION")
        ->capture_default_str();
    for (Service s : kAllServices) {
      auto& addr = globals_.addresses[ServiceIndex(s)];
      addr = std::string(DefaultAddress(s));
      app_.add_option("--" + std::string(ServiceName(s)), addr, std::string(ServiceName(s)) + " gRPC address")
          ->envname(std::string(AddressEnv(s)))
          ->type_name("HOST:PORT")
          ->capture_default_str();
    }
    app_.add_option("--brokers", globals_.brokers, "Kafka bootstrap list, for events tail")
        ->envname("PMO_KAFKA_BROKERS")
        ->type_name("HOST:PORT,...");
    app_.add_flag("--dry-run", globals_.dry_run, "print the request that would be sent (in -o's format) and exit");

    // Given twice, the last one counts (a script can add to a base command line).
    for (CLI::Option* o : app_.get_options()) o->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

    std::map<std::string, CLI::App*> groups;
    for (const CommandSpec& spec : Commands()) {
      CLI::App* parent = &app_;
      if (spec.words.size() == 2) {
        auto& group = groups[spec.words[0]];
        if (!group) {
          group = app_.add_subcommand(spec.words[0], GroupHelp(spec.words[0]));
          group->require_subcommand(1);
          group->fallthrough();
        }
        parent = group;
      }
      AddLeaf(parent, spec);
    }

    status_ = app_.add_subcommand("status", "Health of every service (grpc.health.v1); exit 0 only if all are SERVING");
    status_->fallthrough();
    status_->add_option("SERVICE", status_services_, "only these services (intake, scoring, okr, benefits, reporting)");
    status_->add_option("--wait", status_wait_, "poll until all are SERVING, for at most this long")
        ->type_name("DURATION");

    CLI::App* events = app_.add_subcommand("events", "Domain events on Kafka");
    events->require_subcommand(1);
    events->fallthrough();
    tail_ = events->add_subcommand("tail", "Print event envelopes as JSON, one per line (needs --brokers or PMO_KAFKA_BROKERS)");
    tail_->fallthrough();
    tail_->add_option("--topic", tail_args_.topics, "topic to read (repeatable; default: the five services' event topics)")
        ->allow_extra_args(false);
    tail_->add_option("--type", tail_args_.options.type, "only this event type (pmo.intake.v1.InitiativeSubmitted or InitiativeSubmitted)");
    tail_->add_option("--subject", tail_args_.options.subject, "only events about this aggregate id");
    tail_->add_option("--portfolio", tail_args_.options.portfolio, "only events of this portfolio");
    tail_->add_flag("--from-beginning", tail_args_.options.from_beginning, "start at the beginning of each partition, not its end");
    tail_->add_option("--max", tail_args_.max, "stop after N records (exit 1 if --timeout passes first)")->type_name("N");
    tail_->add_option("--timeout", tail_args_.timeout, "stop after this long (default: until Ctrl-C)")->type_name("DURATION");
    BuildIngest();
  }

  // `pmoctl ingest KIND ID [flags]`: one record on an ingest topic, as another system sends it.
  struct IngestLeaf {
    const IngestKind* kind = nullptr;
    CLI::App* app = nullptr;
    std::string id;
    std::string file;
    std::vector<std::string> values;
    std::vector<std::string> sets;
    IngestOptions options;
  };

  void BuildIngest() {
    CLI::App* ingest = app_.add_subcommand(
        "ingest", "Send a record to an ingest topic as another system would (needs --brokers or PMO_KAFKA_BROKERS)");
    ingest->require_subcommand(1);
    ingest->fallthrough();
    for (const IngestKind& kind : IngestKinds()) {
      auto leaf = std::make_unique<IngestLeaf>();
      leaf->kind = &kind;
      leaf->app = ingest->add_subcommand(kind.name, kind.help + " (CloudEvents binary mode)");
      leaf->app->fallthrough();
      leaf->app->add_option(kind.id.name, leaf->id, "sets " + kind.id.field)->required();
      leaf->app->add_option("-f,--file", leaf->file, "the payload (" + kind.type + ") as JSON or YAML")->type_name("FILE");
      leaf->values.resize(kind.flags.size());
      for (size_t i = 0; i < kind.flags.size(); ++i)
        leaf->app->add_option("--" + kind.flags[i].name, leaf->values[i], kind.flags[i].help + " (" + kind.flags[i].field + ")");
      leaf->app->add_option("--set", leaf->sets, "FIELD.PATH=VALUE for any payload field (repeatable)")
          ->type_name("FIELD=VALUE")
          ->allow_extra_args(false);
      leaf->app->add_option("--id", leaf->options.id, "ce_id, the idempotency key (default: --source-id, else a new id)");
      leaf->app->add_option("--source", leaf->options.source, "ce_source")->capture_default_str();
      leaf->app->add_option("--format", leaf->options.format, "json or protobuf")->capture_default_str();
      ingest_leaves_.push_back(std::move(leaf));
    }
  }

  int RunIngest(const IngestLeaf& leaf, Format format) {
    const IngestKind& kind = *leaf.kind;
    const pb::Descriptor* type = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(kind.type);
    if (!type) return Usage("unknown payload type " + kind.type);
    RequestInput input;
    input.file = leaf.file;
    input.fields.emplace_back(kind.id.field, leaf.id);
    for (size_t i = 0; i < kind.flags.size(); ++i)
      if (!leaf.values[i].empty()) input.fields.emplace_back(kind.flags[i].field, leaf.values[i]);
    input.sets = leaf.sets;
    auto payload = BuildRequest(type, input);
    if (!payload.ok()) return Usage(std::string(payload.status().message()));
    for (size_t i = 0; i < kind.flags.size(); ++i) {
      // Given as a flag, or (non-zero) through --set or the file.
      const FlagSpec& flag = kind.flags[i];
      const auto* field = FieldAt(type, flag.field);
      if (flag.required && leaf.values[i].empty() && field && !(*payload)->GetReflection()->HasField(**payload, field))
        return Usage("--" + flag.name + " is required");
    }
    auto record = MakeIngestRecord(kind, **payload, leaf.options, absl::Now());
    if (!record.ok()) return Usage(std::string(record.status().message()));
    auto payload_json = ToJson(**payload, false);
    if (!payload_json.ok()) return Usage(std::string(payload_json.status().message()));
    nlohmann::ordered_json shown = {{"topic", record->topic}, {"key", record->key}};
    shown["headers"] = nlohmann::ordered_json::object();
    for (const auto& [name, value] : record->headers) shown["headers"][name] = value;
    shown["payload"] = nlohmann::ordered_json::parse(*payload_json);
    if (!globals_.dry_run) {
      if (globals_.brokers.empty())
        return Usage("ingest needs the Kafka bootstrap list: --brokers HOST:PORT or PMO_KAFKA_BROKERS");
      if (auto s = ProduceIngestRecord(globals_.brokers, *record, static_cast<int>(timeout_.count())); !s.ok()) {
        err_ << "error: " << s.message() << "\n";
        return kExitFailed;
      }
    }
    out_ << (format == Format::kYaml ? JsonToYaml(shown) : shown.dump(2) + "\n") << std::flush;
    return kExitOk;
  }

  void AddLeaf(CLI::App* parent, const CommandSpec& spec) {
    auto leaf = std::make_unique<Leaf>();
    leaf->spec = &spec;
    CLI::App* app = parent->add_subcommand(spec.words.back(), spec.help + " [" + std::string(ServiceName(spec.service)) + "]");
    app->fallthrough();
    leaf->app = app;
    leaf->positionals.resize(spec.positionals.size());
    leaf->single.resize(spec.flags.size());
    leaf->multi.resize(spec.flags.size());
    leaf->switches.resize(spec.flags.size());
    for (size_t i = 0; i < spec.positionals.size(); ++i) {
      const auto& p = spec.positionals[i];
      auto* o = app->add_option(p.name, leaf->positionals[i], "sets " + p.field);
      if (p.required) o->required();
    }
    auto* f = app->add_option("-f,--file", leaf->file,
                              spec.body.empty() ? "the request as JSON or YAML"
                                                : "a " + spec.body + " (or the whole request) as JSON or YAML");
    f->type_name("FILE");
    if (spec.file_required) f->required();
    auto method = FindMethod(spec.method);
    const pb::Descriptor* input = method.ok() ? (*method)->input_type() : nullptr;
    for (size_t i = 0; i < spec.flags.size(); ++i) {
      const FlagSpec& flag = spec.flags[i];
      std::string name;
      for (absl::string_view alias : absl::StrSplit(flag.name, ',')) absl::StrAppend(&name, name.empty() ? "" : ",", "--", alias);
      std::string help = flag.help + " (" + flag.field + ")" + (flag.required ? " [required]" : "");
      const pb::FieldDescriptor* field = input ? FieldAt(input, flag.field) : nullptr;
      std::string type_name = ValueKind(field, flag, &help);
      CLI::Option* o;
      if (flag.is_switch) o = app->add_flag(name, leaf->switches[i], help);
      else if (flag.repeated) o = app->add_option(name, leaf->multi[i], help)->allow_extra_args(false);
      else o = app->add_option(name, leaf->single[i], help)->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
      if (!flag.is_switch) o->type_name(type_name);
      leaf->options.push_back(o);
    }
    leaf->set_option = app->add_option("--set", leaf->sets, "FIELD.PATH=VALUE for any request field (repeatable)")
                           ->type_name("FIELD=VALUE")
                           ->allow_extra_args(false);
    leaves_.push_back(std::move(leaf));
  }

  // The placeholder --help shows for a flag's value; enum flags list their values.
  static std::string ValueKind(const pb::FieldDescriptor* field, const FlagSpec& flag, std::string* help) {
    const pb::EnumDescriptor* e = nullptr;
    if (!flag.enum_of.empty()) e = pb::DescriptorPool::generated_pool()->FindEnumTypeByName(flag.enum_of);
    else if (field && field->cpp_type() == pb::FieldDescriptor::CPPTYPE_ENUM) e = field->enum_type();
    if (e) {
      auto invalid = ResolveEnum(e, "\x01");  // its message lists the short names
      std::string values(invalid.status().message());
      auto open = values.find("(one of ");
      if (open != std::string::npos) *help += " " + values.substr(open);
      return "NAME";
    }
    if (!field) return "VALUE";
    if (field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      const std::string& t = field->message_type()->full_name();
      if (t == "pmo.common.v1.Date") return "YYYY-MM-DD";
      if (t == "pmo.common.v1.Quarter") return "YYYYQN";
      if (t == "pmo.okr.v1.Period") return "YYYY[QN]";
      return "JSON";
    }
    switch (field->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_INT32:
      case pb::FieldDescriptor::CPPTYPE_INT64:
      case pb::FieldDescriptor::CPPTYPE_UINT32:
      case pb::FieldDescriptor::CPPTYPE_UINT64: return "N";
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      case pb::FieldDescriptor::CPPTYPE_FLOAT: return "NUMBER";
      default: return "TEXT";
    }
  }

  int RunCommand(const Leaf& leaf, Format format) {
    const CommandSpec& spec = *leaf.spec;
    auto method = FindMethod(spec.method);
    if (!method.ok()) {
      err_ << "error: " << method.status().message() << "\n";
      return kExitFailed;
    }
    RequestInput input;
    input.file = leaf.file;
    input.body = spec.body;
    input.sets = leaf.sets;
    for (size_t i = 0; i < spec.positionals.size(); ++i)
      if (!leaf.positionals[i].empty()) input.fields.emplace_back(spec.positionals[i].field, leaf.positionals[i]);
    for (size_t i = 0; i < spec.flags.size(); ++i) {
      const FlagSpec& flag = spec.flags[i];
      if (leaf.options[i]->count() == 0) {
        if (flag.required && leaf.file.empty() && !SetMentions(leaf.sets, flag.field))
          return Usage("--" + flag.name.substr(0, flag.name.find(',')) + " is required (or give " + flag.field +
                       " in -f FILE or with --set)");
        continue;
      }
      std::vector<std::string> values;
      if (flag.is_switch) values = {"true"};
      else if (flag.repeated) values = leaf.multi[i];
      else values = {leaf.single[i]};
      for (std::string& v : values) {
        if (!flag.enum_of.empty()) {
          const auto* e = pb::DescriptorPool::generated_pool()->FindEnumTypeByName(flag.enum_of);
          if (e) {
            auto name = ResolveEnum(e, v);
            if (!name.ok())
              return Usage("--" + flag.name.substr(0, flag.name.find(',')) + ": " + std::string(name.status().message()));
            v = *name;
          }
        }
        input.fields.emplace_back(flag.field, v);
      }
    }
    auto request = BuildRequest((*method)->input_type(), input);
    if (!request.ok()) return Usage(std::string(request.status().message()));
    if (!spec.generated_source_id.empty()) {
      const auto* f = (*request)->GetDescriptor()->FindFieldByName(spec.generated_source_id);
      if (f && (*request)->GetReflection()->GetString(**request, f).empty())
        (*request)->GetReflection()->SetString(request->get(), f, "pmoctl-" + NewUuid());
    }
    const std::string& address = globals_.addresses[ServiceIndex(spec.service)];
    if (int code = FillExpectedVersion(spec, request->get(), address); code != kExitOk) return code;
    if (globals_.dry_run) return Print(**request, format);
    CallResult result = CallUnary(address, *method, **request, timeout_);
    if (!result.status.ok()) {
      err_ << RenderError(result.status, std::string(ServiceName(spec.service)) + " at " + address);
      return kExitFailed;
    }
    return Print(*result.response, format);
  }

  // See CommandSpec::version_from: an expected_version left 0 is filled in.
  int FillExpectedVersion(const CommandSpec& spec, pb::Message* request, const std::string& address) {
    const pb::FieldDescriptor* expected = request->GetDescriptor()->FindFieldByName("expected_version");
    if (!expected || request->GetReflection()->GetInt64(*request, expected) != 0) return kExitOk;
    int64_t version = 0;
    if (!spec.version_from.empty()) {
      version = Int64At(*request, spec.version_from);
    } else if (!spec.current_version_method.empty() && !globals_.dry_run) {
      auto get = FindMethod(spec.current_version_method);
      if (!get.ok()) {
        err_ << "error: " << get.status().message() << "\n";
        return kExitFailed;
      }
      std::unique_ptr<pb::Message> query(
          pb::MessageFactory::generated_factory()->GetPrototype((*get)->input_type())->New());
      const auto* ours = request->GetDescriptor()->FindFieldByName(spec.current_version_id);
      const auto* theirs = query->GetDescriptor()->FindFieldByName(spec.current_version_id);
      query->GetReflection()->SetString(query.get(), theirs, request->GetReflection()->GetString(*request, ours));
      CallResult current = CallUnary(address, *get, *query, timeout_);
      if (!current.status.ok()) {
        err_ << RenderError(current.status, std::string(ServiceName(spec.service)) + " at " + address);
        return kExitFailed;
      }
      version = Int64At(*current.response, "version");
    }
    if (version > 0) request->GetReflection()->SetInt64(request, expected, version);
    return kExitOk;
  }

  // The int64 at a dotted path of singular fields; 0 when a message on the way is unset.
  static int64_t Int64At(const pb::Message& message, const std::string& path) {
    const pb::Message* m = &message;
    std::vector<std::string> parts = absl::StrSplit(path, '.');
    for (size_t i = 0; i < parts.size(); ++i) {
      const pb::FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(parts[i]);
      if (!f || f->is_repeated()) return 0;
      if (i + 1 == parts.size())
        return f->cpp_type() == pb::FieldDescriptor::CPPTYPE_INT64 ? m->GetReflection()->GetInt64(*m, f) : 0;
      if (f->cpp_type() != pb::FieldDescriptor::CPPTYPE_MESSAGE || !m->GetReflection()->HasField(*m, f)) return 0;
      m = &m->GetReflection()->GetMessage(*m, f);
    }
    return 0;
  }

  int Print(const pb::Message& message, Format format) {
    auto text = Render(message, format);
    if (!text.ok()) {
      err_ << "error: " << text.status().message() << "\n";
      return kExitFailed;
    }
    out_ << *text << std::flush;
    return kExitOk;
  }

  int RunStatus(Format format) {
    std::vector<Service> services;
    for (const auto& name : status_services_) {
      bool found = false;
      for (Service s : kAllServices)
        if (ServiceName(s) == name) {
          services.push_back(s);
          found = true;
        }
      if (!found) return Usage("status: unknown service \"" + name + "\" (intake, scoring, okr, benefits, reporting)");
    }
    if (services.empty()) services.assign(std::begin(kAllServices), std::end(kAllServices));
    std::optional<std::chrono::steady_clock::time_point> deadline;
    if (!status_wait_.empty()) {
      auto wait = ParseDuration(status_wait_);
      if (!wait.ok()) return Usage("--wait: " + std::string(wait.status().message()));
      deadline = std::chrono::steady_clock::now() + *wait;
      if (env_.watch_interrupts) env_.watch_interrupts();
    }
    std::vector<Health> health(services.size());
    bool all_serving = false;
    while (true) {
      auto per_call = timeout_;
      if (deadline) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
        per_call = std::min(std::max(left, std::chrono::milliseconds(100)),
                            std::max(timeout_, std::chrono::milliseconds(100)));
      }
      std::vector<std::future<Health>> checks;
      for (Service s : services)
        checks.push_back(std::async(std::launch::async, CheckHealth, globals_.addresses[ServiceIndex(s)], per_call));
      all_serving = true;
      for (size_t i = 0; i < checks.size(); ++i) {
        health[i] = checks[i].get();
        all_serving = all_serving && health[i].reachable && health[i].status == "SERVING";
      }
      bool interrupted = env_.interrupted && env_.interrupted->load();
      if (all_serving || !deadline || std::chrono::steady_clock::now() >= *deadline || interrupted) break;
      // Polling (not Health/Watch) so an address that is not listening yet is retried too.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    std::vector<std::vector<std::string>> table;
    for (size_t i = 0; i < services.size(); ++i) {
      const std::string name(ServiceName(services[i]));
      const std::string& address = globals_.addresses[ServiceIndex(services[i])];
      nlohmann::ordered_json row = {{"service", name}, {"address", address}};
      if (health[i].reachable) {
        row["status"] = health[i].status;
        table.push_back({name, address, health[i].status});
      } else {
        row["status"] = "UNREACHABLE";
        row["reason"] = health[i].status;
        table.push_back({name, address, "UNREACHABLE: " + health[i].status});
      }
      rows.push_back(std::move(row));
    }
    switch (format) {
      case Format::kTable: out_ << FormatRows({"SERVICE", "ADDRESS", "STATUS"}, table); break;
      case Format::kJson: out_ << rows.dump(2) << "\n"; break;
      case Format::kYaml: out_ << JsonToYaml(rows); break;
    }
    out_ << std::flush;
    return all_serving ? kExitOk : kExitFailed;
  }

  int RunTail() {
    TailOptions options = tail_args_.options;
    if (globals_.brokers.empty())
      return Usage("events tail needs the Kafka bootstrap list: --brokers HOST:PORT or PMO_KAFKA_BROKERS");
    options.brokers = globals_.brokers;
    options.topics = tail_args_.topics.empty() ? DefaultTopics() : tail_args_.topics;
    if (!tail_args_.max.empty()) {
      int64_t max;
      if (!absl::SimpleAtoi(tail_args_.max, &max) || max <= 0) return Usage("--max: expected a positive number, got " + tail_args_.max);
      options.max = max;
    }
    if (!tail_args_.timeout.empty()) {
      auto t = ParseDuration(tail_args_.timeout);
      if (!t.ok()) return Usage("--timeout: " + std::string(t.status().message()));
      options.timeout = *t;
    }
    if (env_.watch_interrupts) env_.watch_interrupts();
    static const std::atomic<bool> kNever{false};
    absl::Status s = Tail(options, out_, err_, env_.interrupted ? *env_.interrupted : kNever);
    if (s.ok()) return kExitOk;
    err_ << "error: " << s.message() << "\n";
    return absl::IsInvalidArgument(s) ? kExitUsage : kExitFailed;
  }

  struct TailArgs {
    TailOptions options;
    std::vector<std::string> topics;
    std::string max;
    std::string timeout;
  };

  std::ostream& out_;
  std::ostream& err_;
  Environment env_;
  CLI::App app_;
  Globals globals_;
  std::chrono::milliseconds timeout_{10000};
  std::vector<std::unique_ptr<Leaf>> leaves_;
  CLI::App* status_ = nullptr;
  std::vector<std::string> status_services_;
  std::string status_wait_;
  CLI::App* tail_ = nullptr;
  TailArgs tail_args_;
  std::vector<std::unique_ptr<IngestLeaf>> ingest_leaves_;
};

}  // namespace

int Run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, const Environment& env) {
  Cli cli(out, err, env);
  try {
    return cli.Run(args);
  } catch (const nlohmann::json::exception& e) {
    // Input the JSON layer cannot carry (bytes that are not UTF-8, say): the input is wrong.
    err << "error: bad input: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace pmo::ctl
