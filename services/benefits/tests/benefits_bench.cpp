// Benchmark of pmo-benefits (real redis-server, devbroker, outbox relay publishing as
// it goes), each figure beside a baseline measured in the same run:
//  1. measurements per second through pmo.ingest.benefit-measurements.v1 to the
//     published BenefitMeasured event, beside a bare devbroker produce → consume round
//     trip of as many records of the same size;
//  2. GetPortfolioValue p50/p99 on 20,000 benefits with 50 measurements each, beside a
//     bare GetBenefit call. The portfolio is seeded through the service: 2,000 intake
//     submissions promising 10 benefits each (intake's topic), then the history in
//     50-measurement RecordMeasurements batches from concurrent clients.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <thread>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/benefits/domain/calendar.h"
#include "pmo/common/proto_convert.h"
#include "pmo/benefits/v1/benefits.grpc.pb.h"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/common/envelope.h"
#include "pmo/intake/v1/events.pb.h"
#include "support.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace v1 = pmo::benefits::v1;
using pmo::benefits::domain::Date;

constexpr int kInitiatives = 2'000;
constexpr int kBenefitsPerInitiative = 10;
constexpr int kBenefits = kInitiatives * kBenefitsPerInitiative;  // 20,000
constexpr int kHistory = 50;                                      // measurements per benefit
constexpr int kIngest = 20'000;                                    // measurements through the topic
constexpr int kClients = 32;
constexpr int kValueCalls = 200;
constexpr int kGetCalls = 5'000;
constexpr char kRawTopic[] = "bench.raw.v1";

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

Date Today() {
  const absl::CivilDay d = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  return {static_cast<int32_t>(d.year()), d.month(), d.day()};
}

std::string BenefitId(int initiative, int k) {
  return "in-" + std::to_string(initiative) + ".metric-" + std::to_string(k);
}

struct Percentiles {
  double p50 = 0, p99 = 0;
};
Percentiles Of(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  if (ms.empty()) return {};
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

// Counts records of `topic` whose handler accepts them, from the beginning.
class Counter {
 public:
  Counter(const std::string& brokers, const std::string& topic, std::function<bool(const pmo::KafkaMessage&)> accept)
      : accept_(std::move(accept)) {
    pmo::ConsumerOptions co;
    co.brokers = brokers;
    co.group_id = "bench-" + topic + "-" + pmo::NewUuid();
    co.client_id = "bench";
    co.topics = {topic};
    auto c = pmo::Consumer::Create(
        co,
        [this](const pmo::KafkaMessage& m) {
          if (accept_(m)) {
            ++count_;
            last_ = Clock::now().time_since_epoch().count();
          }
          return absl::OkStatus();
        },
        nullptr);
    if (!c.ok()) {
      std::fprintf(stderr, "consumer: %s\n", c.status().ToString().c_str());
      std::abort();
    }
    consumer_ = std::move(*c);
    consumer_->Start();
  }
  ~Counter() { consumer_->Stop(5s); }
  int64_t count() const { return count_.load(); }
  Clock::time_point last() const { return Clock::time_point(Clock::duration(last_.load())); }
  bool assigned() const { return consumer_->assigned(); }

 private:
  std::function<bool(const pmo::KafkaMessage&)> accept_;
  std::atomic<int64_t> count_{0};
  std::atomic<int64_t> last_{0};
  std::unique_ptr<pmo::Consumer> consumer_;
};

std::unique_ptr<pmo::Producer> MakeProducer(const std::string& brokers) {
  auto p = pmo::Producer::Create({.brokers = brokers, .client_id = "bench", .linger_ms = 1,
                                  .message_timeout_ms = 60000, .extra = {}, .metrics = nullptr});
  if (!p.ok()) std::abort();
  return std::move(*p);
}

// Produces every record asynchronously and waits for the acknowledgements.
bool ProduceAll(pmo::Producer& producer, std::string_view topic,
                const std::vector<std::pair<std::string, std::string>>& records, const pmo::Headers& headers) {
  std::atomic<int> failed{0};
  for (const auto& [key, value] : records) {
    auto s = producer.Produce(topic, key, value, headers, [&](const absl::Status& st, int32_t, int64_t) {
      if (!st.ok()) ++failed;
    });
    if (!s.ok()) return false;
  }
  return producer.Flush(60000).ok() && failed.load() == 0;
}

pmo::intake::v1::InitiativeSubmitted Submission(int i, const Date& today) {
  pmo::intake::v1::InitiativeSubmitted e;
  auto* in = e.mutable_initiative();
  in->set_id("in-" + std::to_string(i));
  in->set_portfolio_id("bench");
  in->set_title("Initiative " + std::to_string(i));
  in->set_stage(pmo::intake::v1::STAGE_ACTIVE);
  in->set_version(1);
  auto* cost = in->mutable_business_case()->mutable_financial()->mutable_total_cost();
  cost->set_currency("EUR");
  cost->set_minor_units(5'000'000 + 1'000 * i);
  for (int k = 0; k < kBenefitsPerInitiative; ++k) {
    auto* b = in->add_benefits();
    const bool financial = k % 2 == 0;
    b->set_category(financial ? pmo::intake::v1::BENEFIT_CATEGORY_FINANCIAL : pmo::intake::v1::BENEFIT_CATEGORY_CUSTOMER);
    b->set_metric("metric " + std::to_string(k));
    b->set_unit("units");
    b->set_baseline(100);
    b->set_target(k % 3 == 0 ? 60 : 200);
    *b->mutable_target_date() = pmo::ToProto(pmo::benefits::domain::AddDays(today, 180));
    b->set_owner("owner " + std::to_string(k));
    b->set_indicator(pmo::intake::v1::INDICATOR_LAGGING);
    if (financial) {
      b->mutable_value_per_unit()->set_currency("EUR");
      b->mutable_value_per_unit()->set_minor_units(10'000);
    }
  }
  return e;
}

}  // namespace

int main() {
  const auto started = Clock::now();
  pmo::testing::RedisServer redis("everysec");
  pmo::testing::DevBroker broker(1, 3, {kRawTopic});
  pmo::testing::ServiceProcess svc(PMO_BENEFITS_BIN, redis.url(), broker.bootstrap(), {{"PMO_LOG_LEVEL", "warn"}});
  auto channel = grpc::CreateChannel(svc.target(), grpc::InsecureChannelCredentials());
  auto stub = v1::BenefitsService::NewStub(channel);
  auto producer = MakeProducer(broker.bootstrap());
  const Date today = Today();
  bool ok = true;

  // ---- seed: 2,000 submissions × 10 promised benefits, through intake's topic ----------
  {
    std::vector<std::pair<std::string, std::string>> records;
    for (int i = 0; i < kInitiatives; ++i) {
      auto env = pmo::MakeEnvelope(Submission(i, today),
                                   {.source = "pmo-intake", .subject = "in-" + std::to_string(i),
                                    .portfolio_id = "bench", .aggregate_version = 1, .correlation_id = "",
                                    .causation_id = ""});
      records.emplace_back(env.subject(), env.SerializeAsString());
    }
    auto t0 = Clock::now();
    if (!ProduceAll(*producer, pmo::topics::kIntakeEvents, records, {{"content-type", "application/protobuf"}})) {
      std::fprintf(stderr, "seeding submissions failed\n");
      return 1;
    }
    int count = 0;
    pmo::testing::WaitFor(
        [&] {
          grpc::ClientContext ctx;
          v1::GetPortfolioValueRequest req;
          req.set_portfolio_id("bench");
          v1::PortfolioValue out;
          count = stub->GetPortfolioValue(&ctx, req, &out).ok() ? out.total().benefit_count() : 0;
          return count == kBenefits;
        },
        180s, 250ms);
    if (count != kBenefits) {
      std::fprintf(stderr, "only %d of %d benefits registered\n", count, kBenefits);
      return 1;
    }
    std::printf("seeded %d benefits from %d submissions in %.1f s\n", kBenefits, kInitiatives, Seconds(Clock::now() - t0));
  }

  // ---- seed: 50 weekly measurements per benefit, RecordMeasurements from 32 clients ---------
  {
    auto t0 = Clock::now();
    std::atomic<int> next{0}, errors{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kClients; ++t)
      threads.emplace_back([&] {
        for (int n; (n = next++) < kBenefits;) {
          const int i = n / kBenefitsPerInitiative, k = n % kBenefitsPerInitiative;
          v1::RecordMeasurementsRequest req;
          req.set_benefit_id(BenefitId(i, k));
          const double target = k % 3 == 0 ? 60 : 200;
          for (int j = 0; j < kHistory; ++j) {
            auto* m = req.add_measurements();
            // From the baseline towards the target, with some noise.
            const double share = (0.3 + 0.01 * (n % 60)) * j / kHistory;
            m->set_value(100 + (target - 100) * share + std::sin(n + j) * 3);
            *m->mutable_as_of() =
                pmo::ToProto(pmo::benefits::domain::AddDays(today, -7 * (kHistory - j)));
            m->set_source_id("hist-" + std::to_string(j));
          }
          grpc::ClientContext ctx;
          ctx.set_deadline(std::chrono::system_clock::now() + 30s);
          v1::RecordMeasurementsResponse out;
          auto s = stub->RecordMeasurements(&ctx, req, &out);
          if (!s.ok() || out.applied() != kHistory) {
            if (errors++ < 3) std::fprintf(stderr, "seed %s: %s\n", req.benefit_id().c_str(), s.error_message().c_str());
          }
        }
      });
    for (auto& th : threads) th.join();
    const double secs = Seconds(Clock::now() - t0);
    std::printf("seeded %d measurements (%d × %d) in %.1f s: %.0f measurements/s in batches of %d\n",
                kBenefits * kHistory, kBenefits, kHistory, secs, kBenefits * kHistory / secs, kHistory);
    if (errors.load() != 0) {
      std::fprintf(stderr, "%d seeding calls failed\n", errors.load());
      return 1;
    }
  }

  // ---- GetPortfolioValue p99 beside a bare GetBenefit ------------------------------------
  std::vector<double> get_ms, value_ms;
  for (int n = 0; n < kGetCalls; ++n) {
    grpc::ClientContext ctx;
    v1::GetBenefitRequest req;
    req.set_benefit_id(BenefitId((n * 7919) % kInitiatives, n % kBenefitsPerInitiative));
    v1::Benefit out;
    auto t0 = Clock::now();
    auto s = stub->GetBenefit(&ctx, req, &out);
    get_ms.push_back(Seconds(Clock::now() - t0) * 1000);
    if (!s.ok() || out.realisation().measurement_count() != kHistory) ok = false;
  }
  v1::PortfolioValue value;
  for (int n = 0; n < kValueCalls; ++n) {
    grpc::ClientContext ctx;
    v1::GetPortfolioValueRequest req;
    req.set_portfolio_id("bench");
    auto t0 = Clock::now();
    auto s = stub->GetPortfolioValue(&ctx, req, &value);
    value_ms.push_back(Seconds(Clock::now() - t0) * 1000);
    if (!s.ok() || value.total().benefit_count() != kBenefits || value.by_initiative_size() != kInitiatives) ok = false;
  }
  const Percentiles get = Of(get_ms), val = Of(value_ms);
  int64_t counted = 0;
  for (const auto& c : value.total().benefits_by_status()) counted += c.count();
  std::printf("portfolio: %d benefits, %d monetised, planned %.2f EUR, realised %.2f EUR, realised ROI %.3f, "
              "benefits by status sum %lld\n",
              value.total().benefit_count(), value.total().monetised_count(),
              static_cast<double>(value.total().planned().minor_units()) / 100,
              static_cast<double>(value.total().realised().minor_units()) / 100, value.total().realised_roi(),
              static_cast<long long>(counted));
  if (counted != kBenefits) ok = false;
  std::printf("%-52s p50 %7.3f ms  p99 %7.3f ms  (%d calls)\n", "GetBenefit (baseline)", get.p50, get.p99, kGetCalls);
  std::printf("%-52s p50 %7.3f ms  p99 %7.3f ms  (%d calls)  p99 ratio to GetBenefit %.1f\n",
              "GetPortfolioValue, 20,000 benefits × 50 measurements", val.p50, val.p99, kValueCalls,
              get.p99 > 0 ? val.p99 / get.p99 : 0);

  // ---- ingest throughput beside a raw devbroker round trip --------------------------------
  const std::string ingest_topic(pmo::topics::kIngestBenefitMeasurements);
  std::vector<std::pair<std::string, std::string>> ingest;
  ingest.reserve(kIngest);
  for (int n = 0; n < kIngest; ++n) {
    const int i = n / kBenefitsPerInitiative, k = n % kBenefitsPerInitiative;
    v1::RecordMeasurementRequest req;
    req.set_benefit_id(BenefitId(i % kInitiatives, k));
    req.set_value(150 + n % 7);
    *req.mutable_as_of() = pmo::ToProto(today);
    req.set_source_id("live-" + std::to_string(n));
    auto env = pmo::MakeEnvelope(req, {.source = "meter", .subject = req.benefit_id(), .portfolio_id = "bench",
                                       .aggregate_version = 0, .correlation_id = "", .causation_id = ""});
    ingest.emplace_back(req.benefit_id(), env.SerializeAsString());
  }
  // Baseline: the same records through a scratch topic, produced and consumed raw.
  double raw_per_second = 0;
  {
    Counter raw(broker.bootstrap(), kRawTopic, [](const pmo::KafkaMessage&) { return true; });
    pmo::testing::WaitFor([&] { return raw.assigned(); }, 30s);
    auto t0 = Clock::now();
    if (!ProduceAll(*producer, kRawTopic, ingest, {{"content-type", "application/protobuf"}})) ok = false;
    if (!pmo::testing::WaitFor([&] { return raw.count() >= kIngest; }, 120s, 1ms)) ok = false;
    raw_per_second = kIngest / Seconds(raw.last() - t0);
    std::printf("%-52s %9.0f records/s\n", "devbroker produce → consume (baseline)", raw_per_second);
  }
  {
    Counter measured(broker.bootstrap(), std::string(pmo::topics::kBenefitsEvents), [&](const pmo::KafkaMessage& m) {
      auto env = pmo::DecodeEnvelope(m);
      if (!env.ok() || env->type() != "pmo.benefits.v1.BenefitMeasured") return false;
      auto e = pmo::UnpackPayload<v1::BenefitMeasured>(*env);
      return e.ok() && e->source() == ingest_topic;
    });
    pmo::testing::WaitFor([&] { return measured.assigned(); }, 30s);
    auto t0 = Clock::now();
    if (!ProduceAll(*producer, ingest_topic, ingest, {{"content-type", "application/protobuf"}})) ok = false;
    if (!pmo::testing::WaitFor([&] { return measured.count() >= kIngest; }, 180s, 1ms)) {
      std::fprintf(stderr, "only %lld of %d measurements published\n", static_cast<long long>(measured.count()), kIngest);
      ok = false;
    }
    const double per_second = measured.count() / Seconds(measured.last() - t0);
    std::printf("%-52s %9.0f measurements/s  ratio to raw round trip %.3f\n",
                "ingest topic → BenefitMeasured published", per_second,
                raw_per_second > 0 ? per_second / raw_per_second : 0);
  }
  // Each live measurement applied exactly once: 51 measurements on every benefit touched.
  for (int n = 0; n < kIngest; n += 997) {
    grpc::ClientContext ctx;
    v1::GetBenefitRequest req;
    req.set_benefit_id(BenefitId(n / kBenefitsPerInitiative % kInitiatives, n % kBenefitsPerInitiative));
    v1::Benefit out;
    if (!stub->GetBenefit(&ctx, req, &out).ok() || out.realisation().measurement_count() != kHistory + 1) {
      std::fprintf(stderr, "%s has %d measurements\n", req.benefit_id().c_str(), out.realisation().measurement_count());
      ok = false;
    }
  }
  const bool met = val.p99 <= 250;
  std::printf("target: GetPortfolioValue p99 <= 250 ms -> %s; total run %.0f s\n", met ? "met" : "NOT met",
              Seconds(Clock::now() - started));
  return ok && met ? 0 : 1;
}
