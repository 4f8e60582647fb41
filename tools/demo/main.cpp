// pmo-demo: seeds a realistic demo portfolio into a running suite through the
// services' public gRPC APIs, and streams delivery data into the Kafka ingest topics.
//
//   pmo-demo seed   [--portfolio demo]            strategy, model, 40 initiatives, gates,
//                                                 history, two scenarios, an open review
//   pmo-demo stream [--rate 2] [--duration 0]     progress, check-ins and measurements
//                                                 until Ctrl-C (or the duration)
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <iostream>

#include <CLI/CLI.hpp>

#include "demo_data.h"
#include "pmo/base/calendar.h"
#include "seed.h"
#include "stream.h"

namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

void Log(const std::string& line) {
  std::printf("pmo-demo: %s\n", line.c_str());
  std::fflush(stdout);
}

pmo::calendar::Date Today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pmo-demo — seed a demo portfolio and stream delivery data into the suite"};
  app.require_subcommand(1);
  std::string portfolio = "demo";
  std::string today_text;
  pmo::demo::Endpoints endpoints;
  app.add_option("--portfolio", portfolio, "portfolio id")->capture_default_str();
  app.add_option("--today", today_text, "the demo's today, yyyy-mm-dd (default: the current UTC date)");
  app.add_option("--intake", endpoints.intake, "intake gRPC address")->envname("PMO_INTAKE_ADDR")->capture_default_str();
  app.add_option("--scoring", endpoints.scoring, "scoring gRPC address")->envname("PMO_SCORING_ADDR")->capture_default_str();
  app.add_option("--okr", endpoints.okr, "okr gRPC address")->envname("PMO_OKR_ADDR")->capture_default_str();
  app.add_option("--benefits", endpoints.benefits, "benefits gRPC address")->envname("PMO_BENEFITS_ADDR")
      ->capture_default_str();
  app.add_option("--reporting", endpoints.reporting, "reporting gRPC address")->envname("PMO_REPORTING_ADDR")
      ->capture_default_str();

  auto* seed = app.add_subcommand("seed", "seed the demo portfolio through the services' gRPC APIs");
  int timeout_s = 90;
  seed->add_option("--timeout", timeout_s, "seconds to wait for a service to catch up")->capture_default_str()
      ->check(CLI::PositiveNumber);

  auto* stream = app.add_subcommand("stream", "stream progress, check-ins and measurements into the ingest topics");
  std::string brokers;
  double rate = 2.0;
  double duration_s = 0;
  stream->add_option("--brokers", brokers, "Kafka bootstrap list")->envname("PMO_KAFKA_BROKERS")->required();
  stream->add_option("--rate", rate, "ticks per second (three records each)")->capture_default_str()
      ->check(CLI::PositiveNumber);
  stream->add_option("--duration", duration_s, "seconds to stream (0: until Ctrl-C)")->capture_default_str()
      ->check(CLI::NonNegativeNumber);

  CLI11_PARSE(app, argc, argv);

  pmo::calendar::Date today = Today();
  if (!today_text.empty()) {
    auto parsed = pmo::calendar::ParseDate(today_text);
    if (!parsed.ok()) {
      std::cerr << "pmo-demo: --today: " << parsed.status().message() << "\n";
      return 2;
    }
    today = *parsed;
  }
  const pmo::demo::Plan plan = pmo::demo::MakePlan(portfolio, today);

  if (*seed) {
    pmo::demo::SeedOptions options{.endpoints = endpoints, .catch_up_timeout = std::chrono::seconds(timeout_s),
                                   .log = Log};
    auto r = pmo::demo::Seed(plan, options);
    if (!r.ok()) {
      std::cerr << "pmo-demo: seed failed: " << r.status().ToString() << "\n";
      return 1;
    }
    if (!r->already_seeded)
      Log("seeded portfolio '" + portfolio + "': " + std::to_string(r->initiatives) + " initiatives, review " +
          r->review_id);
    return 0;
  }

  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  pmo::demo::StreamOptions options;
  options.brokers = brokers;
  options.ticks_per_second = rate;
  options.duration = std::chrono::milliseconds(static_cast<int64_t>(duration_s * 1000));
  options.run_id = "demo-" + std::to_string(std::time(nullptr));
  options.stop = &g_stop;
  options.log = Log;
  Log("streaming into the ingest topics at " + std::to_string(rate * 3).substr(0, 4) + " records/s" +
      (duration_s > 0 ? " for " + std::to_string(static_cast<int>(duration_s)) + " s" : " until stopped"));
  auto r = pmo::demo::Stream(plan, options);
  if (!r.ok()) {
    std::cerr << "pmo-demo: stream failed: " << r.status().ToString() << "\n";
    return 1;
  }
  Log("streamed " + std::to_string(r->records) + " records in " + std::to_string(r->ticks) + " ticks (" +
      std::to_string(r->json_records) + " as JSON)");
  return 0;
}
