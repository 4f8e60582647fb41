#include "pmo/common/service_host.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/support/server_interceptor.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/str_split.h"
#include "pmo/common/clock.h"
#include "pmo/common/grpc_status.h"
#include "pmo/common/log.h"
#include "pmo/common/relay.h"

namespace pmo {
namespace {

using Steady = std::chrono::steady_clock;

// Counts and times every call by service, method and code, and gives every call a
// correlation id: the client's, or a new one, visible to the handler as client
// metadata and echoed back in the initial metadata.
struct CallSeries {
  prometheus::Counter* handled;
  prometheus::Histogram* seconds;
};

constexpr int kGrpcCodes = 17;  // OK .. UNAUTHENTICATED

// One method's series, one per status code, made on the code's first call. Every call
// of the method shares this; it is resolved once per call by the method's path.
class MethodSeries {
 public:
  MethodSeries(Metrics* metrics, std::string_view path) : metrics_(metrics) {
    // "/pmo.intake.v1.IntakeService/SubmitInitiative"
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    auto slash = path.find('/');
    service_ = std::string(path.substr(0, slash));
    method_ = slash == std::string_view::npos ? "" : std::string(path.substr(slash + 1));
  }

  const CallSeries& Get(grpc::StatusCode code) {
    int c = static_cast<int>(code);
    std::lock_guard lock(mu_);
    CallSeries* known = c >= 0 && c < kGrpcCodes ? &by_code_[c] : nullptr;
    if (known && known->handled) return *known;
    prometheus::Labels labels = {{"grpc_service", service_}, {"grpc_method", method_}, {"grpc_code", CodeName(code)}};
    CallSeries made{&metrics_->grpc_handled.Add(labels),
                    &metrics_->grpc_seconds.Add(labels, Metrics::LatencyBuckets())};
    if (known) return *known = made;
    return other_.emplace(c, made).first->second;  // a code beyond the known ones
  }

 private:
  Metrics* metrics_;
  std::string service_, method_;
  std::mutex mu_;
  std::array<CallSeries, kGrpcCodes> by_code_{};
  std::unordered_map<int, CallSeries> other_;
};

class SeriesCache {
 public:
  explicit SeriesCache(Metrics* metrics) : metrics_(metrics) {}
  MethodSeries* ForMethod(const char* path) {
    std::string_view key = path ? path : "";
    std::lock_guard lock(mu_);
    auto it = methods_.find(key);
    if (it == methods_.end())
      it = methods_.emplace(std::string(key), std::make_unique<MethodSeries>(metrics_, key)).first;
    return it->second.get();
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  Metrics* metrics_;
  std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<MethodSeries>, Hash, std::equal_to<>> methods_;
};

class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(MethodSeries* series, std::atomic<int>* in_flight) : series_(series), in_flight_(in_flight) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      start_ = Steady::now();
      ++*in_flight_;
      counted_ = true;
      auto* md = methods->GetRecvInitialMetadata();
      auto it = md->find(grpc::string_ref(kCorrelationHeader.data(), kCorrelationHeader.size()));
      if (it != md->end()) {
        correlation_id_.assign(it->second.data(), it->second.size());
      } else {
        correlation_id_ = NewUuid();
        // The strings live as long as this interceptor, i.e. the whole call.
        md->emplace(grpc::string_ref(kCorrelationHeader.data(), kCorrelationHeader.size()),
                    grpc::string_ref(correlation_id_));
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (!correlation_id_.empty())
        methods->GetSendInitialMetadata()->emplace(std::string(kCorrelationHeader), correlation_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::Status status = methods->GetSendStatus();
      double seconds = std::chrono::duration<double>(Steady::now() - start_).count();
      const auto& series = series_->Get(status.error_code());
      series.handled->Increment();
      series.seconds->Observe(seconds);
      if (counted_) --*in_flight_;
      counted_ = false;
    }
    methods->Proceed();
  }

 private:
  MethodSeries* series_;
  std::atomic<int>* in_flight_;
  bool counted_ = false;
  std::string correlation_id_;
  Steady::time_point start_ = Steady::now();
};

class CallInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  CallInterceptorFactory(Metrics* metrics, std::atomic<int>* in_flight) : series_(metrics), in_flight_(in_flight) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return new CallInterceptor(series_.ForMethod(info->method()), in_flight_);
  }

 private:
  SeriesCache series_;
  std::atomic<int>* in_flight_;
};

std::string ShortName(const std::string& service) {
  constexpr std::string_view kPrefix = "pmo-";
  return service.starts_with(kPrefix) ? service.substr(kPrefix.size()) : service;
}

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "relay";
  return buf;
}

}  // namespace

void TuneServerBuilder(grpc::ServerBuilder& builder) {
  int cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::NUM_CQS, cpus);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 2);
  // Enough idle pollers that a burst of concurrent calls does not end in thread exits.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 64);
}

void TuneProcess() { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); }

CallContext ContextOf(const grpc::ServerContextBase& context) {
  std::string id = CorrelationId(context);
  log::SetThreadCorrelationId(id);
  return {id, id};
}

std::string CorrelationId(const grpc::ServerContextBase& context) {
  const auto& md = context.client_metadata();
  auto it = md.find(grpc::string_ref(kCorrelationHeader.data(), kCorrelationHeader.size()));
  if (it == md.end()) return NewUuid();
  return std::string(it->second.data(), it->second.size());
}

ServiceHost::ServiceHost(ServiceConfig config) : config_(std::move(config)) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  TuneProcess();
  if (config_.consumer_group.empty()) config_.consumer_group = config_.service_name;
  if (config_.relay_name.empty()) config_.relay_name = HostName();
}

ServiceHost::~ServiceHost() {
  if (!stopping_.load() && server_) Shutdown();
  // The producer goes first: destroying it fails what is still queued, and those
  // delivery reports call back into the relay, which must still exist.
  producer_.reset();
  workers_.clear();
  server_.reset();
  // The metrics endpoint (civetweb) takes seconds to join its threads; after a
  // completed shutdown the process is ending, so it is left to the exit.
  if (stopping_.load()) (void)metrics_.release();
  spdlog::default_logger_raw()->flush();
}

absl::Status ServiceHost::Init() {
  log::Init(config_.service_name, config_.log_level);
  metrics_ = std::make_unique<Metrics>(config_.service_name);
  if (auto s = metrics_->Expose("0.0.0.0", config_.metrics_port); !s.ok()) return s;
  auto ep = ParseRedisUrl(config_.redis_url);
  if (!ep.ok()) return ep.status();
  RedisPool::Options ro;
  ro.endpoint = *ep;
  ro.pool_size = config_.redis_pool_size;
  ro.metrics = metrics_.get();
  redis_ = std::make_unique<RedisPool>(ro);
  ProducerOptions po;
  po.brokers = config_.kafka_brokers;
  po.client_id = config_.service_name;
  po.linger_ms = config_.kafka_linger_ms;
  po.metrics = metrics_.get();
  auto producer = Producer::Create(po);
  if (!producer.ok()) return producer.status();
  producer_ = std::move(*producer);
  outbox_ = std::make_unique<Outbox>(*redis_, "pmo:" + ShortName(config_.service_name) + ":outbox",
                                     /*group_commit=*/true);
  return absl::OkStatus();
}

void ServiceHost::AddService(grpc::Service* service) { services_.push_back(service); }
void ServiceHost::AddWorker(std::unique_ptr<Worker> worker) { workers_.push_back(std::move(worker)); }

absl::Status ServiceHost::Start() {
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat(config_.grpc_host, ":", config_.grpc_port), grpc::InsecureServerCredentials(),
                           &grpc_port_);
  TuneServerBuilder(builder);
  builder.SetMaxReceiveMessageSize(config_.grpc_max_message_bytes);
  builder.SetMaxSendMessageSize(config_.grpc_max_message_bytes);
  builder.RegisterService(&health_service_);
  for (auto* s : services_) builder.RegisterService(s);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<CallInterceptorFactory>(metrics_.get(), &in_flight_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (!server_ || grpc_port_ == 0)
    return absl::UnavailableError(absl::StrCat("cannot listen for gRPC on ", config_.grpc_host, ":", config_.grpc_port));
  SetServing(false);  // until the first dependency check passes

  RelayOptions ro;
  ro.stream = outbox_->stream();
  ro.consumer = config_.relay_name;
  ro.lease_ms = config_.outbox_lease_ms;
  workers_.insert(workers_.begin(), std::make_unique<OutboxRelay>(*redis_, *producer_, ro, metrics_.get()));
  for (auto& w : workers_) w->Start();
  health_ = std::thread([this] { HealthLoop(); });
  log::Info("service started", {{"grpc_port", grpc_port_}, {"metrics_port", metrics_->port()},
                                {"redis_url", config_.redis_url}, {"kafka_brokers", config_.kafka_brokers}});
  return absl::OkStatus();
}

void ServiceHost::SetServing(bool serving) {
  bool was = serving_.exchange(serving);
  auto status = serving ? HealthService::Status::HealthCheckResponse_ServingStatus_SERVING
                        : HealthService::Status::HealthCheckResponse_ServingStatus_NOT_SERVING;
  health_service_.Set("", status);
  health_service_.Set(config_.service_name, status);
  if (was != serving) log::Info(serving ? "health: SERVING" : "health: NOT_SERVING");
}

void ServiceHost::HealthLoop() {
  while (!stopping_.load()) {
    absl::Status redis = redis_->Ping();
    absl::Status kafka = producer_->CheckReachable(std::min(config_.health_interval_ms, 2000));
    metrics_->dependency_up.Add({{"dependency", "redis"}}).Set(redis.ok() ? 1 : 0);
    metrics_->dependency_up.Add({{"dependency", "kafka"}}).Set(kafka.ok() ? 1 : 0);
    if (!redis.ok() && serving_) log::Warn("redis unreachable", {{"reason", redis.ToString()}});
    if (!kafka.ok() && serving_) log::Warn("kafka unreachable", {{"reason", kafka.ToString()}});
    if (!stopping_.load()) SetServing(redis.ok() && kafka.ok());
    std::unique_lock lock(health_mu_);
    health_cv_.wait_for(lock, std::chrono::milliseconds(config_.health_interval_ms), [&] { return stopping_.load(); });
  }
}

int ServiceHost::Wait() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  while (!shutdown_requested_.load()) {
    timespec ts{0, 100 * 1000 * 1000};
    int sig = sigtimedwait(&set, nullptr, &ts);
    if (sig == SIGTERM || sig == SIGINT) {
      log::Info("signal received, shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
                                                    {"bound_ms", config_.shutdown_timeout_ms}});
      break;
    }
  }
  return Shutdown();
}

int ServiceHost::Shutdown() {
  if (stopping_.exchange(true)) return 0;
  auto start = Steady::now();
  // The phases aim at 90 % of the bound, leaving the rest for process teardown.
  auto bound = std::chrono::milliseconds(config_.shutdown_timeout_ms * 9 / 10);
  auto left = [&] {
    return std::max(std::chrono::milliseconds(100),
                    std::chrono::duration_cast<std::chrono::milliseconds>(bound - (Steady::now() - start)));
  };
  // Last resort: if something hangs past the bound, leave anyway. Unpublished events
  // are still in the outbox and uncommitted offsets are consumed again.
  std::atomic<bool> done{false};
  std::thread watchdog([&] {
    while (!done.load() && Steady::now() - start < std::chrono::milliseconds(config_.shutdown_timeout_ms))
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!done.load()) {
      log::Error("shutdown exceeded its bound, exiting", {{"bound_ms", config_.shutdown_timeout_ms}});
      spdlog::default_logger_raw()->flush();
      _exit(1);
    }
  });
  SetServing(false);
  health_service_.Shutdown();
  health_cv_.notify_all();
  if (health_.joinable()) health_.join();
  if (server_) {
    // Health already says NOT_SERVING, so balancers stop sending. Calls in flight get up
    // to half the bound to finish; then the server stops at once. (Shutdown with a
    // deadline alone would wait for idle client connections until that deadline.)
    auto drain_until = Steady::now() + left() / 2;
    while (in_flight_.load() > 0 && Steady::now() < drain_until) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (in_flight_.load() > 0) log::Warn("calls still in flight are cancelled", {{"count", in_flight_.load()}});
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(50));
    server_->Wait();
    log::Info("gRPC server stopped", {{"elapsed_ms", std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start).count()}});
  }
  for (auto it = workers_.rbegin(); it != workers_.rend(); ++it) {
    auto budget = left() / static_cast<int>(std::distance(it, workers_.rend()) + 1);
    (*it)->Stop(budget);
    log::Info("worker stopped", {{"worker", (*it)->name()},
                                 {"elapsed_ms", std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start).count()}});
  }
  int code = 0;
  if (producer_) {
    if (auto s = producer_->Flush(static_cast<int>(left().count())); !s.ok())
      log::Warn("producer not fully flushed; the outbox keeps those events", {{"reason", s.ToString()}});
  }
  done = true;
  watchdog.join();
  log::Info("shutdown complete",
            {{"elapsed_ms", std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - start).count()}});
  spdlog::default_logger_raw()->flush();
  return code;
}

}  // namespace pmo
