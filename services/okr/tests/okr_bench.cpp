// Benchmark: (1) check-ins per second from the ingest topic to a published
// KeyResultCheckedIn through pmo-okr (real redis-server, devbroker, outbox relay), beside
// the raw devbroker produce→consume round trip of as many records in the same run;
// (2) GetAlignmentTree p50/p99 for a portfolio of 500 objectives, 2,000 key results and
// 10,000 links (the links made from 2,000 intake submissions), beside a bare gRPC echo
// and GetObjective on the same portfolio. Prints the figures and the ratios.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

#include "services/okr/domain/calendar.h"
#include "pmo/common/envelope.h"
#include "pmo/common/kafka.h"
#include "pmo/common/service_host.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/okr/v1/okr.grpc.pb.h"
#include "pmo/testing/v1/widgets.grpc.pb.h"
#include "support.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace v1 = pmo::okr::v1;

constexpr int kCheckIns = 10'000;
constexpr int kCheckInKeyResults = 200;
constexpr int kObjectivesPerLevel[] = {5, 45, 150, 300};  // 500 objectives
constexpr int kKeyResults = 2'000;
constexpr int kInitiatives = 2'000;
constexpr int kLinksPerInitiative = 5;  // 10,000 links
constexpr int kTreeCalls = 200;
constexpr char kRawTopic[] = "pmo.bench.raw.v1";

int failures = 0;
void Fail(const std::string& what) {
  std::fprintf(stderr, "FAILED: %s\n", what.c_str());
  ++failures;
}

// Runs fn(i) for i in [0, n) on `threads` threads.
void ParallelFor(int n, int threads, const std::function<void(int)>& fn) {
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (int i = next++; i < n; i = next++) fn(i);
    });
  for (auto& th : pool) th.join();
}

struct Latency {
  double p50_ms = 0, p99_ms = 0;
};

Latency Measure(int calls, const std::function<bool()>& call) {
  std::vector<double> ms;
  for (int i = 0; i < calls; ++i) {
    auto start = Clock::now();
    if (!call()) Fail("a measured call failed");
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

// Counts records on `topic` whose ce_type header is `type` (any, when empty) from
// the start of the log, on its own consumer group.
class Counter {
 public:
  Counter(const std::string& brokers, const std::string& topic, std::string type) : type_(std::move(type)) {
    pmo::ConsumerOptions o;
    o.brokers = brokers;
    o.group_id = "bench-" + topic + "-" + pmo::NewUuid();
    o.topics = {topic};
    o.client_id = "bench";
    auto c = pmo::Consumer::Create(
        o,
        [this](const pmo::KafkaMessage& m) {
          if (type_.empty() || m.Header("ce_type").value_or("") == type_) {
            if (++count_ == 1) first_ = Clock::now();
            last_ = Clock::now();
          }
          return absl::OkStatus();
        },
        nullptr);
    if (!c.ok()) std::abort();
    consumer_ = std::move(*c);
    consumer_->Start();
    if (!pmo::testing::WaitFor([&] { return consumer_->assigned(); }, 30s)) Fail("consumer never assigned");
  }
  ~Counter() { consumer_->Stop(5s); }
  int64_t count() const { return count_.load(); }
  Clock::time_point last() const { return last_; }

 private:
  std::string type_;
  std::atomic<int64_t> count_{0};
  Clock::time_point first_{}, last_{};
  std::unique_ptr<pmo::Consumer> consumer_;
};

std::unique_ptr<pmo::Producer> MakeProducer(const std::string& brokers) {
  auto p = pmo::Producer::Create({.brokers = brokers, .client_id = "bench", .linger_ms = 1,
                                  .message_timeout_ms = 60000, .extra = {}, .metrics = nullptr});
  if (!p.ok()) std::abort();
  return std::move(*p);
}

// Produces every record asynchronously; returns once all are acknowledged.
void ProduceAll(pmo::Producer& producer, std::string_view topic,
                const std::vector<std::pair<std::string, pmo::events::v1::Envelope>>& records) {
  for (const auto& [key, env] : records) {
    auto s = producer.Produce(topic, key, env.SerializeAsString(), pmo::CloudEventHeaders(env),
                              [](const absl::Status& st, int32_t, int64_t) {
                                if (!st.ok()) Fail("delivery: " + st.ToString());
                              });
    if (!s.ok()) Fail("produce: " + s.ToString());
  }
  if (!producer.Flush(60000).ok()) Fail("flush");
}

v1::Objective ObjectiveOf(const std::string& portfolio, int level, const std::string& parent) {
  v1::Objective o;
  o.set_portfolio_id(portfolio);
  o.set_title("Objective");
  o.set_level(static_cast<v1::Level>(level + 1));
  o.set_parent_id(parent);
  o.set_owner("owner");
  o.mutable_period()->set_year(2027);
  o.mutable_period()->set_quarter(level == 0 ? 0 : 1);
  o.set_priority(1 + level % 3);
  o.set_status(v1::OBJECTIVE_STATUS_ACTIVE);
  return o;
}

v1::KeyResult KeyResultOf(const std::string& objective_id, int i) {
  v1::KeyResult kr;
  kr.set_objective_id(objective_id);
  kr.set_metric("metric " + std::to_string(i));
  kr.set_unit("%");
  kr.set_baseline(0);
  kr.set_target(100);
  kr.set_direction(i % 2 ? v1::DIRECTION_INCREASE : v1::DIRECTION_MAINTAIN);
  kr.set_tolerance(5);
  kr.mutable_due_date()->set_year(2027);
  kr.mutable_due_date()->set_month(12);
  kr.mutable_due_date()->set_day(31);
  kr.set_owner("owner");
  return kr;
}

// Creates a cascade of objectives (level by level, concurrently) and key results spread
// over them; returns the key result ids.
std::vector<std::string> Seed(v1::OkrService::Stub& stub, const std::string& portfolio, const int per_level[4],
                              int key_results) {
  std::vector<std::vector<std::string>> levels(4);
  for (int level = 0; level < 4; ++level) {
    for (int i = 0; i < per_level[level]; ++i) levels[level].push_back(portfolio + "-o" + std::to_string(level) + "-" + std::to_string(i));
    ParallelFor(per_level[level], 16, [&](int i) {
      grpc::ClientContext ctx;
      v1::CreateObjectiveRequest req;
      const std::string parent = level == 0 ? "" : levels[level - 1][i % levels[level - 1].size()];
      *req.mutable_objective() = ObjectiveOf(portfolio, level, parent);
      req.set_objective_id(levels[level][i]);
      v1::Objective out;
      auto s = stub.CreateObjective(&ctx, req, &out);
      if (!s.ok()) Fail("create objective: " + s.error_message());
    });
  }
  std::vector<std::string> all;
  for (auto& l : levels) all.insert(all.end(), l.begin(), l.end());
  std::vector<std::string> ids(key_results);
  ParallelFor(key_results, 16, [&](int i) {
    ids[i] = portfolio + "-kr" + std::to_string(i);
    grpc::ClientContext ctx;
    v1::CreateKeyResultRequest req;
    *req.mutable_key_result() = KeyResultOf(all[i % all.size()], i);
    req.set_key_result_id(ids[i]);
    v1::KeyResult out;
    auto s = stub.CreateKeyResult(&ctx, req, &out);
    if (!s.ok()) Fail("create key result: " + s.error_message());
  });
  return ids;
}

class Echo final : public pmo::testing::v1::WidgetService::Service {
  grpc::Status GetWidget(grpc::ServerContext*, const pmo::testing::v1::GetWidgetRequest* req,
                         pmo::testing::v1::Widget* out) override {
    out->set_id(req->id());
    out->set_portfolio_id(req->portfolio_id());
    return grpc::Status::OK;
  }
};

}  // namespace

int main() {
  pmo::TuneProcess();  // as every service does: baselines run in this process
  pmo::testing::RedisServer redis("everysec");
  pmo::testing::DevBroker broker(1, 3, {kRawTopic});
  pmo::testing::ServiceProcess svc(PMO_OKR_BIN, redis.url(), broker.bootstrap(), {{"PMO_LOG_LEVEL", "warn"}});
  auto channel = grpc::CreateChannel(svc.target(), grpc::InsecureChannelCredentials());
  auto stub = v1::OkrService::NewStub(channel);
  auto producer = MakeProducer(broker.bootstrap());

  // ---- (1) check-ins through the ingest topic ------------------------------------
  const int small[4] = {1, 4, 16, 32};
  auto krs = Seed(*stub, "ck", small, kCheckInKeyResults);
  std::vector<std::pair<std::string, pmo::events::v1::Envelope>> records;
  const int64_t epoch = pmo::okr::domain::DaysSinceEpoch({2027, 1, 1});
  for (int i = 0; i < kCheckIns; ++i) {
    v1::CheckInRequest req;
    const std::string& kr = krs[i % kCheckInKeyResults];
    req.set_key_result_id(kr);
    req.set_value(i % 100);
    req.set_confidence(0.6);
    req.set_note("bench");
    auto d = pmo::okr::domain::DateFromDaysSinceEpoch(epoch + i / kCheckInKeyResults);
    req.mutable_as_of()->set_year(d.year);
    req.mutable_as_of()->set_month(d.month);
    req.mutable_as_of()->set_day(d.day);
    records.emplace_back(kr, pmo::MakeEnvelope(req, {.source = "bench", .subject = kr, .portfolio_id = "ck",
                                                      .aggregate_version = 0, .correlation_id = "", .causation_id = ""}));
  }
  double raw_per_s = 0;
  {
    Counter raw(broker.bootstrap(), kRawTopic, "");
    auto start = Clock::now();
    ProduceAll(*producer, kRawTopic, records);
    if (!pmo::testing::WaitFor([&] { return raw.count() >= kCheckIns; }, 120s, 1ms)) Fail("raw round trip incomplete");
    raw_per_s = kCheckIns / std::chrono::duration<double>(raw.last() - start).count();
  }
  double okr_per_s = 0;
  {
    Counter checked_in(broker.bootstrap(), std::string(pmo::topics::kOkrEvents), "pmo.okr.v1.KeyResultCheckedIn");
    auto start = Clock::now();
    ProduceAll(*producer, pmo::topics::kIngestKrCheckins, records);
    if (!pmo::testing::WaitFor([&] { return checked_in.count() >= kCheckIns; }, 180s, 1ms))
      Fail("only " + std::to_string(checked_in.count()) + " KeyResultCheckedIn of " + std::to_string(kCheckIns));
    okr_per_s = kCheckIns / std::chrono::duration<double>(checked_in.last() - start).count();
  }
  int64_t recorded = 0;
  for (const auto& kr : krs) {
    grpc::ClientContext ctx;
    v1::GetKeyResultRequest req;
    req.set_key_result_id(kr);
    v1::KeyResult out;
    if (stub->GetKeyResult(&ctx, req, &out).ok()) recorded += out.check_ins();
  }
  if (recorded != kCheckIns) Fail("key results hold " + std::to_string(recorded) + " check-ins");

  // ---- (2) GetAlignmentTree on a big portfolio ------------------------------------
  auto seed_start = Clock::now();
  auto big = Seed(*stub, "big", kObjectivesPerLevel, kKeyResults);
  std::vector<std::pair<std::string, pmo::events::v1::Envelope>> submissions;
  for (int i = 0; i < kInitiatives; ++i) {
    pmo::intake::v1::InitiativeSubmitted e;
    auto* in = e.mutable_initiative();
    in->set_id("in-" + std::to_string(i));
    in->set_portfolio_id("big");
    in->set_stage(i % 4 ? pmo::intake::v1::STAGE_ACTIVE : pmo::intake::v1::STAGE_SUBMITTED);
    in->set_version(1);
    for (int k = 0; k < kLinksPerInitiative; ++k) {
      auto* c = in->mutable_business_case()->mutable_strategic()->add_key_results();
      c->set_key_result_id(big[(i * kLinksPerInitiative + k) % kKeyResults]);
      c->set_contribution_weight(0.2);
    }
    submissions.emplace_back(in->id(), pmo::MakeEnvelope(e, {.source = "pmo-intake", .subject = in->id(),
                                                             .portfolio_id = "big", .aggregate_version = 1,
                                                             .correlation_id = "", .causation_id = ""}));
  }
  ProduceAll(*producer, pmo::topics::kIntakeEvents, submissions);
  v1::GetAlignmentTreeRequest tree_req;
  tree_req.set_portfolio_id("big");
  v1::AlignmentTree tree;
  auto tree_call = [&] {
    grpc::ClientContext ctx;
    tree.Clear();
    return stub->GetAlignmentTree(&ctx, tree_req, &tree).ok();
  };
  if (!pmo::testing::WaitFor([&] { return tree_call() && tree.links() == kInitiatives * kLinksPerInitiative; }, 120s, 100ms))
    Fail("the big portfolio has " + std::to_string(tree.links()) + " links");
  const double seed_s = std::chrono::duration<double>(Clock::now() - seed_start).count();
  if (tree.objectives() != 500 || tree.key_results() != kKeyResults) Fail("the big portfolio is incomplete");
  Latency tree_latency = Measure(kTreeCalls, tree_call);
  const size_t tree_bytes = tree.ByteSizeLong();

  v1::GetObjectiveRequest get;
  get.set_objective_id("big-o0-0");
  Latency get_latency = Measure(kTreeCalls, [&] {
    grpc::ClientContext ctx;
    v1::Objective out;
    return stub->GetObjective(&ctx, get, &out).ok();
  });

  Echo echo;
  grpc::ServerBuilder b;
  pmo::TuneServerBuilder(b);
  int port = 0;
  b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  b.RegisterService(&echo);
  auto server = b.BuildAndStart();
  auto echo_stub = pmo::testing::v1::WidgetService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  Latency echo_latency = Measure(kTreeCalls, [&] {
    grpc::ClientContext ctx;
    pmo::testing::v1::GetWidgetRequest req;
    req.set_id("w");
    pmo::testing::v1::Widget w;
    return echo_stub->GetWidget(&ctx, req, &w).ok();
  });
  server->Shutdown(std::chrono::system_clock::now());

  std::printf("okr benchmark (redis appendfsync everysec, devbroker 1 broker x 3 partitions)\n");
  std::printf("%-58s %9.0f records/s\n", "raw devbroker produce->consume (baseline)", raw_per_s);
  std::printf("%-58s %9.0f check-ins/s  ratio to raw %.2f\n",
              "ingest check-in -> KeyResultCheckedIn published", okr_per_s, okr_per_s / raw_per_s);
  std::printf("big portfolio: 500 objectives, %d key results, %d links, seeded in %.1f s; tree %.0f KiB\n",
              kKeyResults, kInitiatives * kLinksPerInitiative, seed_s, static_cast<double>(tree_bytes) / 1024);
  std::printf("%-58s p50 %7.2f ms  p99 %7.2f ms\n", "bare gRPC echo (baseline)", echo_latency.p50_ms,
              echo_latency.p99_ms);
  std::printf("%-58s p50 %7.2f ms  p99 %7.2f ms\n", "GetObjective (loads the portfolio, rolls up)", get_latency.p50_ms,
              get_latency.p99_ms);
  std::printf("%-58s p50 %7.2f ms  p99 %7.2f ms  p99 ratio to echo %.0f, to GetObjective %.2f\n",
              "GetAlignmentTree", tree_latency.p50_ms, tree_latency.p99_ms,
              tree_latency.p99_ms / echo_latency.p99_ms, tree_latency.p99_ms / get_latency.p99_ms);
  return failures == 0 ? 0 : 1;
}
