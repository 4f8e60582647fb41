// Benchmark: ReportProgress through pmo-intake over gRPC at concurrency 32 for 10 s
// (real redis-server, devbroker, outbox relay publishing as it goes), beside a bare
// gRPC echo server driven the same way for 10 s in the same run. Prints throughput,
// p50/p99 and the ratio to the echo baseline, with Redis on appendfsync everysec and
// always. The machine is small and shared: the two are measured side by side, in
// alternating one-second slices (echo, intake, intake, echo, ...), so a slow or fast
// spell of the machine weighs on both alike instead of on whichever ran during it.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>
#include <vector>

#include "services/intake/domain/calendar.h"
#include "pmo/common/service_host.h"
#include "pmo/intake/v1/intake.grpc.pb.h"
#include "pmo/testing/v1/widgets.grpc.pb.h"
#include "support.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr int kConcurrency = 32;
constexpr auto kDuration = 10s;
constexpr int kSlices = 10;  // kDuration is driven in this many alternating slices

struct Result {
  std::vector<double> latencies_ms;  // of every call, for merging slices
  double seconds = 0;
  double self_cpu = 0, children_cpu = 0;
  std::map<std::string, double> child_cpu;
  double per_second = 0;
  double p50_ms = 0, p99_ms = 0;
  int64_t calls = 0, errors = 0;
  // CPU time per successful call, this process (client; for the echo also the server)
  // and its children (pmo-intake, redis-server, devbroker) apart: on a shared machine
  // it varies less than the throughput does.
  double self_us = 0, children_us = 0;
  std::map<std::string, double> child_us;  // by command name
};

struct Cpu {
  double self = 0, children = 0;
  std::map<std::string, double> by_child;
};

// CPU seconds so far of this process and of its live children, from /proc.
Cpu CpuSeconds() {
  static const double kTick = static_cast<double>(sysconf(_SC_CLK_TCK));
  auto of = [](const std::filesystem::path& stat, pid_t* ppid, std::string* name = nullptr) -> double {
    std::ifstream in(stat);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto open = text.find('('), close = text.rfind(')');  // the command name may hold spaces
    if (open == std::string::npos || close == std::string::npos) return 0;
    if (name) *name = text.substr(open + 1, close - open - 1);
    std::istringstream fields(text.substr(close + 2));
    std::string skip;
    long long utime = 0, stime = 0;
    fields >> skip >> *ppid;                     // state, ppid
    for (int i = 0; i < 9; ++i) fields >> skip;  // pgrp .. cmajflt
    fields >> utime >> stime;
    return static_cast<double>(utime + stime) / kTick;
  };
  pid_t ppid = 0;
  Cpu out;
  out.self = of("/proc/self/stat", &ppid);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const auto dir = entry.path().filename().string();
    if (dir.empty() || !std::isdigit(static_cast<unsigned char>(dir[0]))) continue;
    std::string name;
    double cpu = of(entry.path() / "stat", &ppid, &name);
    if (ppid != getpid()) continue;
    out.children += cpu;
    out.by_child[name] += cpu;
  }
  return out;
}

// Runs `call(thread)` from kConcurrency threads for `duration`.
Result Drive(const std::function<bool(int)>& call, std::chrono::milliseconds duration) {
  std::vector<std::vector<double>> latencies(kConcurrency);
  std::atomic<int64_t> errors{0};
  auto cpu_before = CpuSeconds();
  auto end = Clock::now() + duration;
  std::vector<std::thread> threads;
  for (int t = 0; t < kConcurrency; ++t)
    threads.emplace_back([&, t] {
      while (Clock::now() < end) {
        auto start = Clock::now();
        bool ok = call(t);
        latencies[t].push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        if (!ok) ++errors;
      }
    });
  for (auto& th : threads) th.join();
  auto cpu_after = CpuSeconds();
  Result r;
  for (auto& l : latencies) r.latencies_ms.insert(r.latencies_ms.end(), l.begin(), l.end());
  r.calls = static_cast<int64_t>(r.latencies_ms.size());
  r.errors = errors.load();
  r.seconds = std::chrono::duration<double>(duration).count();
  r.self_cpu = cpu_after.self - cpu_before.self;
  r.children_cpu = cpu_after.children - cpu_before.children;
  for (const auto& [name, cpu] : cpu_after.by_child) r.child_cpu[name] = cpu - cpu_before.by_child[name];
  return r;
}

// Adds a slice to a run's totals.
void Merge(Result& into, Result&& slice) {
  into.latencies_ms.insert(into.latencies_ms.end(), slice.latencies_ms.begin(), slice.latencies_ms.end());
  into.calls += slice.calls;
  into.errors += slice.errors;
  into.seconds += slice.seconds;
  into.self_cpu += slice.self_cpu;
  into.children_cpu += slice.children_cpu;
  for (const auto& [name, cpu] : slice.child_cpu) into.child_cpu[name] += cpu;
}

// Throughput, percentiles and CPU per successful call from a run's totals. With
// `self_only`, the children's CPU is left out (idle while the echo runs).
void Summarize(Result& r, bool self_only) {
  std::sort(r.latencies_ms.begin(), r.latencies_ms.end());
  int64_t ok = r.calls - r.errors;
  r.per_second = r.seconds > 0 ? static_cast<double>(ok) / r.seconds : 0;
  if (ok > 0) {
    auto per_call = [ok](double seconds) { return seconds * 1e6 / static_cast<double>(ok); };
    r.self_us = per_call(r.self_cpu);
    if (!self_only) {
      r.children_us = per_call(r.children_cpu);
      for (const auto& [name, cpu] : r.child_cpu) r.child_us[name] = per_call(cpu);
    }
  }
  if (!r.latencies_ms.empty()) {
    r.p50_ms = r.latencies_ms[r.latencies_ms.size() / 2];
    r.p99_ms = r.latencies_ms[r.latencies_ms.size() * 99 / 100];
  }
}

class Echo final : public pmo::testing::v1::WidgetService::Service {
  grpc::Status GetWidget(grpc::ServerContext*, const pmo::testing::v1::GetWidgetRequest* req,
                         pmo::testing::v1::Widget* out) override {
    out->set_id(req->id());
    out->set_portfolio_id(req->portfolio_id());
    return grpc::Status::OK;
  }
};

// The bare echo server, up for the whole run; Call drives one request.
class EchoBaseline {
 public:
  EchoBaseline() {
    grpc::ServerBuilder b;
    pmo::TuneServerBuilder(b);  // the same server settings as every service
    int port = 0;
    b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    b.RegisterService(&echo_);
    server_ = b.BuildAndStart();
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
    stub_ = pmo::testing::v1::WidgetService::NewStub(channel);
  }
  ~EchoBaseline() { server_->Shutdown(std::chrono::system_clock::now()); }

  bool Call(int t) {
    grpc::ClientContext ctx;
    pmo::testing::v1::GetWidgetRequest req;
    req.set_id("w-" + std::to_string(t) + "-" + std::to_string(seq_[t]++));
    req.set_portfolio_id("bench");
    pmo::testing::v1::Widget w;
    return stub_->GetWidget(&ctx, req, &w).ok();
  }

 private:
  Echo echo_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<pmo::testing::v1::WidgetService::Stub> stub_;
  std::vector<int64_t> seq_ = std::vector<int64_t>(kConcurrency);
};

struct SideBySide {
  Result echo, intake;
};

SideBySide IntakeRun(const std::string& appendfsync, EchoBaseline& echo) {
  pmo::testing::RedisServer redis(appendfsync);
  pmo::testing::DevBroker broker(1, 3);
  pmo::testing::ServiceProcess svc(PMO_INTAKE_BIN, redis.url(), broker.bootstrap(), {{"PMO_LOG_LEVEL", "warn"}});
  auto channel = grpc::CreateChannel(svc.target(), grpc::InsecureChannelCredentials());
  auto stub = pmo::intake::v1::IntakeService::NewStub(channel);
  {
    grpc::ClientContext ctx;
    pmo::intake::v1::CreatePortfolioRequest req;
    req.set_portfolio_id("bench");
    auto* p = req.mutable_portfolio();
    p->set_name("Benchmark portfolio");
    p->set_currency("EUR");
    p->mutable_first_quarter()->set_year(2027);
    p->mutable_first_quarter()->set_quarter(1);
    p->mutable_last_quarter()->set_year(2030);
    p->mutable_last_quarter()->set_quarter(4);
    pmo::intake::v1::Portfolio out;
    if (!stub->CreatePortfolio(&ctx, req, &out).ok()) std::abort();
  }
  for (int t = 0; t < kConcurrency; ++t) {
    grpc::ClientContext ctx;
    pmo::intake::v1::SubmitInitiativeRequest req;
    req.set_initiative_id("init-" + std::to_string(t));
    auto* in = req.mutable_initiative();
    in->set_portfolio_id("bench");
    in->set_title("Initiative " + std::to_string(t));
    in->set_description("benchmark initiative");
    in->set_sponsor("sponsor");
    in->set_owner("owner");
    in->mutable_start_quarter()->set_year(2027);
    in->mutable_start_quarter()->set_quarter(1);
    in->mutable_end_quarter()->set_year(2030);
    in->mutable_end_quarter()->set_quarter(4);
    pmo::intake::v1::Initiative out;
    auto s = stub->SubmitInitiative(&ctx, req, &out);
    if (!s.ok()) {
      std::fprintf(stderr, "submit failed: %s\n", s.error_message().c_str());
      std::abort();
    }
  }
  const int64_t epoch_day = pmo::intake::domain::DaysSinceEpoch({2027, 1, 1});
  std::vector<int64_t> seq(kConcurrency);
  auto report = [&](int t) {
    // A new day on every call, so every report is newer than the one held and writes.
    int64_t i = seq[t]++;
    auto d = pmo::intake::domain::DateFromDaysSinceEpoch(epoch_day + i + 1);
    grpc::ClientContext ctx;
    pmo::intake::v1::ReportProgressRequest req;
    req.set_initiative_id("init-" + std::to_string(t));
    auto* rep = req.mutable_report();
    rep->mutable_as_of()->set_year(d.year);
    rep->mutable_as_of()->set_month(d.month);
    rep->mutable_as_of()->set_day(d.day);
    rep->set_percent_complete(static_cast<double>(i % 100));
    rep->set_delivery_confidence(0.7);
    rep->set_note("report " + std::to_string(i));
    pmo::intake::v1::Initiative out;
    return stub->ReportProgress(&ctx, req, &out).ok();
  };
  SideBySide out;
  const auto slice = std::chrono::duration_cast<std::chrono::milliseconds>(kDuration) / kSlices;
  for (int s = 0; s < kSlices; ++s) {
    // echo, intake, intake, echo, ...: neither always goes first.
    bool echo_first = s % 2 == 0;
    for (int k = 0; k < 2; ++k) {
      if ((k == 0) == echo_first) Merge(out.echo, Drive([&](int t) { return echo.Call(t); }, slice));
      else Merge(out.intake, Drive(report, slice));
    }
  }
  Result& r = out.intake;
  // Every successful call must have been a write: the versions add up to them.
  int64_t writes = 0;
  for (int t = 0; t < kConcurrency; ++t) {
    grpc::ClientContext ctx;
    pmo::intake::v1::GetInitiativeRequest req;
    req.set_initiative_id("init-" + std::to_string(t));
    pmo::intake::v1::Initiative out;
    if (stub->GetInitiative(&ctx, req, &out).ok()) writes += out.version() - 1;
  }
  if (writes != r.calls - r.errors) {
    std::fprintf(stderr, "versions add up to %lld writes, but %lld calls succeeded\n", static_cast<long long>(writes),
                 static_cast<long long>(r.calls - r.errors));
    r.errors += 1;
  }
  Summarize(out.echo, /*self_only=*/true);
  Summarize(out.intake, /*self_only=*/false);
  return out;
}

void Print(const char* name, const Result& r, const Result& echo) {
  std::printf("%-40s %9.0f calls/s  p50 %6.2f ms  p99 %6.2f ms  errors %lld  ratio to echo %.2f\n", name, r.per_second,
              r.p50_ms, r.p99_ms, static_cast<long long>(r.errors), echo.per_second > 0 ? r.per_second / echo.per_second : 0);
  double total = r.self_us + r.children_us, echo_total = echo.self_us + echo.children_us;
  std::string children;
  for (const auto& [child, us] : r.child_us) children += ", " + child + " " + std::to_string(static_cast<int>(us));
  std::printf("%-40s CPU per call %4.0f us (bench process %.0f%s)  echo/this %.2f\n", "", total, r.self_us,
              children.c_str(), total > 0 ? echo_total / total : 0);
}

}  // namespace

int main() {
  pmo::TuneProcess();  // as every service does: the echo and the client run in this process
  std::printf("intake ReportProgress benchmark: concurrency %d, %lld s per run in %d alternating slices beside the echo\n",
              kConcurrency, static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(kDuration).count()),
              kSlices);
  EchoBaseline echo;
  auto everysec = IntakeRun("everysec", echo);
  Print("bare gRPC echo (beside everysec)", everysec.echo, everysec.echo);
  Print("ReportProgress, appendfsync everysec", everysec.intake, everysec.echo);
  auto always = IntakeRun("always", echo);
  Print("bare gRPC echo (beside always)", always.echo, always.echo);
  Print("ReportProgress, appendfsync always", always.intake, always.echo);
  const double ratio = everysec.echo.per_second > 0 ? everysec.intake.per_second / everysec.echo.per_second : 0;
  bool met = ratio >= 0.5;
  std::printf("target: ratio >= 0.50 with everysec -> %.3f, %s\n", ratio, met ? "met" : "NOT met");
  return everysec.intake.errors == 0 && always.intake.errors == 0 && met ? 0 : 1;
}
