// Benchmark (label bench), real redis-server, pmo-devbroker, pmo-intake and pmo-reporting:
//  1. Absorption: events per second the projections absorb. 40,000 events of the kinds
//     that stream in (benefit measurements, progress reports, check-ins, scores) are
//     published first; pmo-reporting then starts and the time to apply all of them
//     (its events-projected counter) is measured, beside a bare consumer reading the
//     same records in the same run. Target: >= 5,000 events/s.
//  2. Freshness: ReportProgress calls to pmo-intake at a steady 200/s for 10 s; for each,
//     the time from intake accepting the write (the event's occurred_at) to its change on
//     reporting's SSE stream, p50/p99, beside one raw produce -> consume hop on the same
//     broker at the same rate with the suite's client settings. Target: p99 <= 3x the raw hop.
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <algorithm>
#include <cmath>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

#include "nlohmann/json.hpp"
#include "pmo/benefits/v1/events.pb.h"
#include "pmo/base/calendar.h"
#include "pmo/common/envelope.h"
#include "pmo/intake/v1/events.pb.h"
#include "pmo/intake/v1/intake.grpc.pb.h"
#include "pmo/okr/v1/events.pb.h"
#include "pmo/scoring/v1/events.pb.h"
#include "support.h"

namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;
constexpr int kEvents = 40'000;
constexpr int kRate = 200;
constexpr auto kFreshnessRun = 10s;
// Samples start after a warm-up at the same rate: connections, partition assignment and
// first fetches are not what the figure is about.
constexpr auto kWarmUp = 3s;

double NowMsPrecise() {
  return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

double Projected(int metrics_port) {
  httplib::Client cli("127.0.0.1", metrics_port);
  auto r = cli.Get("/metrics");
  if (!r || r->status != 200) return 0;
  double sum = 0;
  size_t pos = 0;
  const std::string name = "pmo_reporting_events_projected_total{";
  while ((pos = r->body.find(name, pos)) != std::string::npos) {
    size_t end = r->body.find('\n', pos);
    size_t space = r->body.rfind(' ', end);
    sum += std::strtod(r->body.c_str() + space + 1, nullptr);
    pos = end;
  }
  return sum;
}

pmo::events::v1::Envelope Wrap(const google::protobuf::Message& m, const std::string& subject, int64_t version) {
  return pmo::MakeEnvelope(m, {.source = "bench", .subject = subject, .portfolio_id = "bench",
                               .aggregate_version = version, .correlation_id = "", .causation_id = ""});
}

// The mixed stream: 500 initiatives, 2,000 benefits, 200 key results.
std::vector<std::pair<std::string, pmo::events::v1::Envelope>> Stream() {
  std::vector<std::pair<std::string, pmo::events::v1::Envelope>> out;
  out.reserve(kEvents);
  for (int i = 0; out.size() < static_cast<size_t>(kEvents); ++i) {
    std::string ini = "ini-" + std::to_string(i % 500);
    int64_t v = i / 500 + 1;
    switch (i % 4) {
      case 0: {
        pmo::benefits::v1::BenefitMeasured m;
        auto* b = m.mutable_benefit();
        b->set_benefit_id("ben-" + std::to_string(i % 2000));
        b->set_initiative_id("ini-" + std::to_string(i % 2000 % 500));
        b->set_portfolio_id("bench");
        b->set_version(i / 2000 + 1);
        b->set_status(pmo::benefits::v1::BENEFIT_STATUS_ON_TRACK);
        b->mutable_realisation()->set_measurement_count(static_cast<int>(i / 2000 + 1));
        b->mutable_realisation()->set_share(0.5);
        out.emplace_back(std::string(pmo::topics::kBenefitsEvents), Wrap(m, b->benefit_id(), b->version()));
        break;
      }
      case 1: {
        pmo::intake::v1::ProgressReported p;
        auto* in = p.mutable_initiative();
        in->set_id(ini);
        in->set_portfolio_id("bench");
        in->set_title("Initiative " + ini);
        in->set_stage(pmo::intake::v1::STAGE_ACTIVE);
        in->set_version(v);
        in->mutable_latest_progress()->set_percent_complete(static_cast<double>(v % 100));
        out.emplace_back(std::string(pmo::topics::kIntakeEvents), Wrap(p, ini, v));
        break;
      }
      case 2: {
        pmo::okr::v1::KeyResultCheckedIn c;
        c.set_key_result_id("kr-" + std::to_string(i % 200));
        c.set_portfolio_id("bench");
        c.set_version(i / 200 + 1);
        c.set_confidence(0.7);
        c.set_as_of("2027-01-01");
        c.set_source_id("s-" + std::to_string(i));
        c.set_key_result_progress(0.4);
        out.emplace_back(std::string(pmo::topics::kOkrEvents), Wrap(c, c.key_result_id(), c.version()));
        break;
      }
      default: {
        pmo::scoring::v1::InitiativeScored s;
        s.mutable_score()->set_initiative_id(ini);
        s.mutable_score()->set_portfolio_id("bench");
        s.mutable_score()->set_score(50 + i % 50);
        s.mutable_score()->set_rank(i % 500 + 1);
        out.emplace_back(std::string(pmo::topics::kScoringEvents), Wrap(s, ini, v));
        break;
      }
    }
  }
  return out;
}

struct Absorption {
  double reporting_per_s = 0;
  double raw_per_s = 0;
};

Absorption MeasureAbsorption() {
  pmo::testing::RedisServer redis;
  pmo::testing::DevBroker broker(1, 3);
  auto producer = std::move(*pmo::Producer::Create({.brokers = broker.bootstrap(), .client_id = "bench",
                                                    .linger_ms = 5, .message_timeout_ms = 60000, .extra = {},
                                                    .metrics = nullptr}));
  for (const auto& [topic, env] : Stream()) {
    auto s = producer->Produce(topic, env.subject(), env.SerializeAsString(), pmo::CloudEventHeaders(env), nullptr);
    if (!s.ok()) std::abort();
  }
  if (!producer->Flush(60000).ok()) std::abort();

  Absorption a;
  // Baseline: a bare consumer of the same topics, doing nothing with the records.
  {
    std::atomic<int> seen{0};
    auto start = SteadyClock::now();
    pmo::ConsumerOptions co;
    co.brokers = broker.bootstrap();
    co.group_id = "raw";
    co.topics = {std::string(pmo::topics::kIntakeEvents), std::string(pmo::topics::kScoringEvents),
                 std::string(pmo::topics::kOkrEvents), std::string(pmo::topics::kBenefitsEvents)};
    auto consumer = std::move(*pmo::Consumer::Create(
        co,
        [&](const pmo::KafkaMessage&) {
          ++seen;
          return absl::OkStatus();
        },
        producer.get()));
    consumer->Start();
    if (!pmo::testing::WaitFor([&] { return seen.load() >= kEvents; }, 120s, 5ms)) std::abort();
    a.raw_per_s = kEvents / std::chrono::duration<double>(SteadyClock::now() - start).count();
    consumer->Stop(5s);
  }
  {
    auto start = SteadyClock::now();
    pmo::testing::ServiceProcess svc(PMO_REPORTING_BIN, redis.url(), broker.bootstrap(),
                                     {{"PMO_HTTP_PORT", "0"}, {"PMO_LOG_LEVEL", "warn"}});
    if (!pmo::testing::WaitFor([&] { return Projected(svc.metrics_port()) >= kEvents; }, 300s, 20ms)) {
      std::fprintf(stderr, "reporting applied only %.0f of %d events\n", Projected(svc.metrics_port()), kEvents);
      std::abort();
    }
    a.reporting_per_s = kEvents / std::chrono::duration<double>(SteadyClock::now() - start).count();
  }
  return a;
}

struct Freshness {
  double p50 = 0, p99 = 0;
  size_t samples = 0;
  // Intake's write to the read model, and the read model to the stream's reader.
  double to_apply_p50 = 0, to_apply_p99 = 0, to_stream_p99 = 0;
};

Freshness RawHop(const std::string& brokers, pmo::Producer& producer) {
  std::mutex mu;
  std::vector<double> lat;
  pmo::ConsumerOptions co;
  co.brokers = brokers;
  co.group_id = "hop";
  co.topics = {"bench.hop"};
  co.auto_offset_reset = "latest";
  auto consumer = std::move(*pmo::Consumer::Create(
      co,
      [&](const pmo::KafkaMessage& m) {
        double now = NowMsPrecise();
        double sent = std::strtod(m.value.c_str(), nullptr);
        std::lock_guard lock(mu);
        if (m.key.rfind("m", 0) == 0) lat.push_back(now - sent);
        return absl::OkStatus();
      },
      &producer));
  consumer->Start();
  if (!pmo::testing::WaitFor([&] { return consumer->assigned(); }, 30s)) std::abort();
  auto next = SteadyClock::now();
  auto measure_from = next + kWarmUp;
  auto end = measure_from + kFreshnessRun;
  int n = 0, i = 0;
  while (SteadyClock::now() < end) {
    std::this_thread::sleep_until(next);  // pacing the load generator, not waiting for a result
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", NowMsPrecise());
    bool measured = SteadyClock::now() >= measure_from;
    if (measured) ++n;
    (void)producer.Produce("bench.hop", (measured ? "m" : "w") + std::to_string(i++), buf, {}, nullptr);
    next += std::chrono::microseconds(1'000'000 / kRate);
  }
  pmo::testing::WaitFor(
      [&] {
        std::lock_guard lock(mu);
        return static_cast<int>(lat.size()) >= n;
      },
      10s);
  consumer->Stop(5s);
  std::lock_guard lock(mu);
  return {Percentile(lat, 0.5), Percentile(lat, 0.99), lat.size()};
}

Freshness IntakeToStream(pmo::testing::RedisServer& redis, pmo::testing::DevBroker& broker) {
  pmo::testing::ServiceProcess intake(PMO_INTAKE_BIN, redis.url(), broker.bootstrap(), {{"PMO_LOG_LEVEL", "warn"}});
  int http_port = pmo::testing::FreePort();
  pmo::testing::ServiceProcess reporting(PMO_REPORTING_BIN, redis.url(), broker.bootstrap(),
                                         {{"PMO_HTTP_PORT", std::to_string(http_port)}, {"PMO_LOG_LEVEL", "warn"}});
  auto stub = pmo::intake::v1::IntakeService::NewStub(
      grpc::CreateChannel(intake.target(), grpc::InsecureChannelCredentials()));
  {
    grpc::ClientContext ctx;
    pmo::intake::v1::CreatePortfolioRequest req;
    req.set_portfolio_id("fresh");
    auto* p = req.mutable_portfolio();
    p->set_name("Freshness");
    p->set_currency("EUR");
    p->mutable_first_quarter()->set_year(2027);
    p->mutable_first_quarter()->set_quarter(1);
    p->mutable_last_quarter()->set_year(2030);
    p->mutable_last_quarter()->set_quarter(4);
    pmo::intake::v1::Portfolio out;
    if (!stub->CreatePortfolio(&ctx, req, &out).ok()) std::abort();
  }
  constexpr int kInitiatives = 20;
  for (int t = 0; t < kInitiatives; ++t) {
    grpc::ClientContext ctx;
    pmo::intake::v1::SubmitInitiativeRequest req;
    req.set_initiative_id("f-" + std::to_string(t));
    auto* in = req.mutable_initiative();
    in->set_portfolio_id("fresh");
    in->set_title("Initiative " + std::to_string(t));
    in->set_description("freshness");
    in->set_sponsor("sponsor");
    in->set_owner("owner");
    in->mutable_start_quarter()->set_year(2027);
    in->mutable_start_quarter()->set_quarter(1);
    in->mutable_end_quarter()->set_year(2030);
    in->mutable_end_quarter()->set_quarter(4);
    pmo::intake::v1::Initiative out;
    if (!stub->SubmitInitiative(&ctx, req, &out).ok()) std::abort();
  }

  // The stream reader: every ProgressReported change, its age on arrival.
  std::mutex mu;
  std::vector<double> lat, to_apply, to_stream;
  std::atomic<bool> stop{false}, connected{false};
  std::atomic<double> measure_from_ms{1e300};
  std::atomic<int> seen{0};
  std::thread reader([&] {
    httplib::Client cli("127.0.0.1", http_port);
    cli.set_read_timeout(30, 0);
    std::string buffer;
    cli.Get("/api/v1/portfolios/fresh/stream", [&](const char* data, size_t len) {
      double now = NowMsPrecise();
      buffer.append(data, len);
      connected = true;
      size_t pos;
      while ((pos = buffer.find("\n\n")) != std::string::npos) {
        std::string block = buffer.substr(0, pos);
        buffer.erase(0, pos + 2);
        auto d = block.find("data: ");
        if (d == std::string::npos) continue;
        auto j = nlohmann::json::parse(block.substr(d + 6), nullptr, false);
        if (j.is_discarded() || j.value("type", "") != "ProgressReported") continue;
        double occurred = static_cast<double>(j.value("occurredAtMs", int64_t{0}));
        ++seen;
        if (occurred < measure_from_ms.load()) continue;  // warm-up
        double applied = static_cast<double>(j.value("appliedAtMs", int64_t{0}));
        std::lock_guard lock(mu);
        lat.push_back(now - occurred);
        to_apply.push_back(applied - occurred);
        if (std::getenv("PMO_BENCH_TRACE") && applied - occurred > 20)
          std::fprintf(stderr, "slow: occurred %.0f applied +%.0f ms\n", occurred, applied - occurred);
        to_stream.push_back(now - applied);
      }
      return !stop.load();
    });
  });
  if (!pmo::testing::WaitFor([&] { return connected.load(); }, 30s)) std::abort();

  const int64_t epoch_day = pmo::calendar::DaysSinceEpoch({2027, 1, 1});
  int writes = 0, all = 0;
  bool measuring = false;
  auto report = [&] {
    int t = all % kInitiatives;
    auto d = pmo::calendar::DateFromDaysSinceEpoch(epoch_day + all / kInitiatives + 1);
    grpc::ClientContext ctx;
    pmo::intake::v1::ReportProgressRequest req;
    req.set_initiative_id("f-" + std::to_string(t));
    auto* rep = req.mutable_report();
    rep->mutable_as_of()->set_year(d.year);
    rep->mutable_as_of()->set_month(d.month);
    rep->mutable_as_of()->set_day(d.day);
    rep->set_percent_complete(static_cast<double>(all % 100));
    ++all;
    pmo::intake::v1::Initiative out;
    return stub->ReportProgress(&ctx, req, &out).ok();
  };
  // The path is live (reporting's consumer group joined and assigned) once one write
  // reaches the stream; the warm-up starts then.
  if (!report() || !pmo::testing::WaitFor([&] { return seen.load() > 0; }, 60s)) {
    std::fprintf(stderr, "no write reached the stream\n");
    std::abort();
  }
  auto next = SteadyClock::now();
  auto measure_from = next + kWarmUp;
  auto end = measure_from + kFreshnessRun;
  while (SteadyClock::now() < end) {
    std::this_thread::sleep_until(next);  // pacing the load generator
    if (!measuring && SteadyClock::now() >= measure_from) {
      measuring = true;
      // Whole milliseconds, as occurred_at is compared in them.
      measure_from_ms = std::floor(NowMsPrecise());
    }
    if (report() && measuring) ++writes;
    next += std::chrono::microseconds(1'000'000 / kRate);
  }
  pmo::testing::WaitFor(
      [&] {
        std::lock_guard lock(mu);
        return static_cast<int>(lat.size()) >= writes;
      },
      30s);
  stop = true;
  reader.join();
  std::lock_guard lock(mu);
  if (static_cast<int>(lat.size()) < writes)
    std::fprintf(stderr, "only %zu of %d writes reached the stream\n", lat.size(), writes);
  return {Percentile(lat, 0.5), Percentile(lat, 0.99), lat.size(), Percentile(to_apply, 0.5),
          Percentile(to_apply, 0.99), Percentile(to_stream, 0.99)};
}

}  // namespace

int main() {
  std::printf("reporting benchmark\n");
  Absorption a = MeasureAbsorption();
  std::printf("absorption: %d events  reporting %.0f events/s  bare consumer %.0f records/s  ratio %.2f  "
              "(target >= 5000/s: %s)\n",
              kEvents, a.reporting_per_s, a.raw_per_s, a.reporting_per_s / a.raw_per_s,
              a.reporting_per_s >= 5000 ? "met" : "NOT met");

  pmo::testing::RedisServer redis;
  pmo::testing::DevBroker broker(1, 3);
  auto producer = std::move(*pmo::Producer::Create({.brokers = broker.bootstrap(), .client_id = "hop",
                                                    .linger_ms = 1, .message_timeout_ms = 30000, .extra = {},
                                                    .metrics = nullptr}));
  Freshness hop = RawHop(broker.bootstrap(), *producer);
  Freshness fresh = IntakeToStream(redis, broker);
  std::printf("raw produce->consume hop at %d/s: p50 %.2f ms  p99 %.2f ms  (%zu records)\n", kRate, hop.p50, hop.p99,
              hop.samples);
  std::printf("intake write -> reporting SSE at %d/s: p50 %.2f ms  p99 %.2f ms  (%zu changes)  p99 ratio to hop %.2f  "
              "(target <= 3: %s)\n",
              kRate, fresh.p50, fresh.p99, fresh.samples, hop.p99 > 0 ? fresh.p99 / hop.p99 : 0,
              fresh.p99 <= 3 * hop.p99 ? "met" : "NOT met");
  std::printf("  of which intake write -> reporting read model: p50 %.2f ms  p99 %.2f ms; read model -> stream reader "
              "p99 %.2f ms\n",
              fresh.to_apply_p50, fresh.to_apply_p99, fresh.to_stream_p99);
  bool ok = a.reporting_per_s >= 5000 && fresh.samples > 0 && fresh.p99 <= 3 * hop.p99;
  return ok ? 0 : 1;
}
