// pmo-devbroker: a Kafka-protocol broker for local runs and tests, built on librdkafka's
// mock cluster. Any Kafka client (the services, kcat) talks to it as to Apache Kafka.
// The log lives in memory: after a restart topics start empty (see docs/platform.md).
//
// Control (for fault tests): lines on stdin —
//   down <broker-id>          stop a broker (connections refused) until "up"
//   up <broker-id>            start it again
//   leader <topic> <partition|*> <broker-id>   move partition leadership
//   rtt <broker-id> <ms>      add round-trip latency
// Each command answers "ok" or "error: ..." on stdout.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "pmo/common/kafka.h"

namespace {

std::string Apply(rd_kafka_mock_cluster_t* mc, int partitions, const std::string& line) {
  std::istringstream in(line);
  std::string cmd;
  in >> cmd;
  auto result = [](rd_kafka_resp_err_t err) {
    return err ? std::string("error: ") + rd_kafka_err2str(err) : std::string("ok");
  };
  if (cmd == "down" || cmd == "up") {
    int id;
    if (!(in >> id)) return "error: usage: " + cmd + " <broker-id>";
    return result(cmd == "down" ? rd_kafka_mock_broker_set_down(mc, id) : rd_kafka_mock_broker_set_up(mc, id));
  }
  if (cmd == "leader") {
    std::string topic, part;
    int id;
    if (!(in >> topic >> part >> id)) return "error: usage: leader <topic> <partition|*> <broker-id>";
    if (part == "*") {
      for (int p = 0; p < partitions; ++p)
        if (auto err = rd_kafka_mock_partition_set_leader(mc, topic.c_str(), p, id)) return result(err);
      return "ok";
    }
    return result(rd_kafka_mock_partition_set_leader(mc, topic.c_str(), std::stoi(part), id));
  }
  if (cmd == "rtt") {
    int id, ms;
    if (!(in >> id >> ms)) return "error: usage: rtt <broker-id> <ms>";
    return result(rd_kafka_mock_broker_set_rtt(mc, id, ms));
  }
  return "error: unknown command '" + cmd + "' (down, up, leader, rtt)";
}

}  // namespace

int main(int argc, char** argv) {
  int brokers = 3;
  int partitions = 3;
  int replication = 1;
  std::string bootstrap_file;
  std::vector<std::string> extra_topics;
  CLI::App app{"pmo-devbroker — a local Kafka-protocol broker (librdkafka mock cluster)"};
  app.add_option("--brokers", brokers, "number of brokers")->envname("PMO_DEVBROKER_BROKERS")->capture_default_str()
      ->check(CLI::Range(1, 16));
  app.add_option("--partitions", partitions, "partitions per topic")->envname("PMO_DEVBROKER_PARTITIONS")
      ->capture_default_str()->check(CLI::Range(1, 256));
  app.add_option("--replication", replication, "replication factor")->capture_default_str()->check(CLI::Range(1, 16));
  app.add_option("--bootstrap-file", bootstrap_file, "write the bootstrap list to this file once ready");
  app.add_option("--topic", extra_topics, "create this topic too (repeatable)");
  CLI11_PARSE(app, argc, argv);
  if (replication > brokers) {
    std::cerr << "error: --replication " << replication << " exceeds --brokers " << brokers << "\n";
    return 2;
  }

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    std::cerr << "error: " << err << "\n";
    return 1;
  }
  rd_kafka_mock_cluster_t* mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) {
    std::cerr << "error: cannot start the mock cluster\n";
    return 1;
  }
  std::vector<std::string> all_topics;
  for (auto t : pmo::topics::kAll) all_topics.emplace_back(t);
  all_topics.insert(all_topics.end(), extra_topics.begin(), extra_topics.end());
  for (const auto& t : all_topics) {
    if (auto e = rd_kafka_mock_topic_create(mc, t.c_str(), partitions, replication)) {
      std::cerr << "error: create topic " << t << ": " << rd_kafka_err2str(e) << "\n";
      return 1;
    }
  }
  std::string bootstraps = rd_kafka_mock_cluster_bootstraps(mc);
  if (!bootstrap_file.empty()) {
    // Written then renamed, so a reader never sees half a list.
    std::string tmp = bootstrap_file + ".tmp";
    std::ofstream(tmp) << bootstraps << "\n";
    if (std::rename(tmp.c_str(), bootstrap_file.c_str()) != 0) {
      std::cerr << "error: cannot write " << bootstrap_file << "\n";
      return 1;
    }
  }
  std::cout << "bootstrap " << bootstraps << "\n"
            << "brokers " << brokers << " partitions " << partitions << " topics " << all_topics.size() << std::endl;

  std::atomic<bool> stop{false};
  std::thread control([&] {
    std::string line;
    while (!stop.load() && std::getline(std::cin, line)) {
      if (line.empty()) continue;
      std::cout << Apply(mc, partitions, line) << std::endl;
    }
  });
  control.detach();  // blocked on stdin; ends with the process

  int sig = 0;
  sigwait(&set, &sig);
  stop = true;
  std::cout << "stopping on signal " << sig << std::endl;
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
