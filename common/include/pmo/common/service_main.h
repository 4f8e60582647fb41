// The shape every service's main() shares: configuration (PMO_* variables and flags,
// plus the service's own), the service host, a consumer of the topics it reads, start,
// the "listening grpc=N metrics=M" line tests and ./pmo read the bound ports from, and
// the bounded shutdown. A service's main only wires its own parts in between.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pmo/common/config.h"
#include "pmo/common/kafka.h"
#include "pmo/common/service_host.h"

namespace pmo {

class ServiceMain {
 public:
  // Loads the configuration and initialises the host. When that fails (or --help was
  // asked), ok() is false and exit_code() says how main should return.
  ServiceMain(int argc, char** argv, const ServiceConfig& defaults,
              const std::function<void(CLI::App&)>& extra_flags = {});
  ~ServiceMain();

  bool ok() const { return host_ != nullptr; }
  int exit_code() const { return exit_code_; }
  ServiceHost& host() { return *host_; }
  const ServiceConfig& config() const { return host_->config(); }

  // Adds a consumer of `topics` in the service's consumer group; records that fail
  // permanently are dead-lettered through the host's producer. A failure to create it
  // is reported by Run.
  void Consume(std::vector<std::string> topics, Consumer::Handler handler);

  // Starts everything, prints the listening line (with `extra`, e.g. " http=8080"),
  // and waits for SIGTERM/SIGINT. The process's exit code.
  int Run(const std::string& extra = "");

 private:
  std::unique_ptr<ServiceHost> host_;
  int exit_code_ = 0;
  absl::Status setup_;
};

}  // namespace pmo
