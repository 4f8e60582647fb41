// pmoctl's command table: every user-facing gRPC call of the five services as data —
// its command words, method, positional arguments and named flags (each a field path).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pmo::ctl {

enum class Service { kIntake, kScoring, kOkr, kBenefits, kReporting };
inline constexpr Service kAllServices[] = {Service::kIntake, Service::kScoring, Service::kOkr, Service::kBenefits,
                                           Service::kReporting};

// "intake", "scoring", ...
std::string_view ServiceName(Service service);
// The default address `./pmo up` uses: 127.0.0.1:7101 .. :7105.
std::string_view DefaultAddress(Service service);
// PMO_INTAKE_ADDR, ...
std::string_view AddressEnv(Service service);

// A named flag that sets one request field. `field` is a dotted path as --set takes it.
struct FlagSpec {
  std::string name = {};  // without dashes: "portfolio"; aliases after commas: "kr,key-result"
  std::string field = {};
  std::string help = {};
  bool repeated = false;
  bool required = false;
  bool is_switch = false;  // takes no value; sets the (bool) field to true
  // For string fields holding an enum's value name (scoring's stage filters): short
  // names are expanded with this enum (e.g. "pmo.intake.v1.Stage").
  std::string enum_of = {};
};

struct PositionalSpec {
  std::string name = {};  // "ID"
  std::string field = {};
  bool required = true;
};

struct CommandSpec {
  std::vector<std::string> words = {};  // {"initiatives", "submit"}
  Service service = Service::kIntake;
  std::string method = {};  // "pmo.intake.v1.IntakeService.SubmitInitiative"
  std::string help = {};
  std::vector<PositionalSpec> positionals = {};
  std::vector<FlagSpec> flags = {};
  // The request field a -f file fills when the file is not the whole request
  // ("initiative"); empty: the file is always the whole request.
  std::string body = {};
  bool file_required = false;
  // A request field that pmoctl fills with "pmoctl-<uuid>" when left empty (the
  // check-in and measurement source ids, which the services need for idempotency).
  std::string generated_source_id = {};
  // When the request's expected_version is left 0 (no --expected-version), it is taken
  // from `version_from`, the version of the message the file holds ("initiative.version":
  // an edited `get` output is then applied only if nobody changed the entity since), or
  // read with `current_version_method`, a Get call taking the same id field
  // (`current_version_id`) whose response has a `version`.
  std::string version_from = {};
  std::string current_version_method = {};
  std::string current_version_id = {};
};

// Every RPC command, in the order `pmoctl --help` lists them.
const std::vector<CommandSpec>& Commands();

// Help text for the command groups ("portfolios": "Portfolios (intake)").
std::string GroupHelp(std::string_view word);

}  // namespace pmo::ctl
