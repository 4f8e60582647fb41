#include "support.h"

#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <set>
#include <cstdio>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "pmo/common/redis.h"

extern char** environ;

namespace pmo::testing {

bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
             std::chrono::milliseconds step) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(step);
  }
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "pmo-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}
TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

// ---- Process -------------------------------------------------------------------

Process::Process(Options options) : options_(std::move(options)) {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (auto& [k, v] : options_.env) env[k] = v;
  std::vector<std::string> env_strings;
  for (auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  for (auto& a : options_.argv) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pipefd[2] = {-1, -1};
  if (options_.stdin_pipe && pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (options_.log.empty()) options_.log = "/dev/null";
  std::string log_path = options_.log.string();
  pid_t parent = getpid();
  // fork + exec rather than posix_spawn, to ask for SIGKILL when the test process dies:
  // a crashed or timed-out test must not leave redis-server or a broker behind. Only
  // async-signal-safe calls run between fork and exec.
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    int in = options_.stdin_pipe ? pipefd[0] : open("/dev/null", O_RDONLY);
    int out = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0) _exit(127);
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    // Signals blocked by the test process (a service host blocks SIGTERM) must not
    // stay blocked in the child.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  if (options_.stdin_pipe) {
    close(pipefd[0]);
    stdin_fd_ = pipefd[1];
  }

}

Process::~Process() {
  if (running()) {
    kill(pid_, SIGKILL);
    WaitExit(std::chrono::seconds(5));
  }
  if (stdin_fd_ >= 0) close(stdin_fd_);
}

bool Process::running() {
  if (exit_code_) return false;
  int status;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return r == 0;
}

void Process::Signal(int sig) {
  if (running()) kill(pid_, sig);
}

std::optional<int> Process::WaitExit(std::chrono::milliseconds timeout) {
  WaitFor([&] { return !running(); }, timeout, 5ms);
  return exit_code_;
}

void Process::WriteLine(const std::string& line) {
  std::string l = line + "\n";
  if (stdin_fd_ < 0 || write(stdin_fd_, l.data(), l.size()) != static_cast<ssize_t>(l.size()))
    throw std::runtime_error("cannot write to child's stdin");
}

std::string Process::Log() const {
  std::ifstream in(options_.log);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---- RedisServer -----------------------------------------------------------------

RedisServer::RedisServer(std::string appendfsync) : port_(FreePort()), appendfsync_(std::move(appendfsync)) { Start(); }
RedisServer::~RedisServer() { Stop(); }

void RedisServer::Start() {
  Stop();
  ++starts_;
  proc_ = std::make_unique<Process>(Process::Options{
      .argv = {PMO_REDIS_SERVER_BIN, "--port", std::to_string(port_), "--bind", "127.0.0.1", "--dir",
               dir_.path().string(), "--appendonly", "yes", "--appendfsync", appendfsync_, "--save", "",
               "--daemonize", "no", "--protected-mode", "no"},
      .env = {},
      .log = dir_.path() / ("redis-" + std::to_string(starts_) + ".log"),
      .stdin_pipe = false});
  bool up = WaitFor([&] { return Cmd({"PING"}).ok(); }, 10s, 10ms);
  if (!up) throw std::runtime_error("redis-server did not start: " + proc_->Log());
}

void RedisServer::Stop() {
  if (!proc_) return;
  proc_->Signal(SIGKILL);
  proc_->WaitExit(5s);
  proc_.reset();
}

std::string RedisServer::url(int db) const { return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(db); }

absl::StatusOr<std::string> RedisServer::Cmd(const std::vector<std::string>& args) {
  RedisPool::Options o;
  o.endpoint.port = port_;
  o.pool_size = 1;
  o.connect_timeout_ms = 200;
  RedisPool pool(o);
  auto r = pool.Command(args);
  if (!r.ok()) return r.status();
  if (r->is_integer()) return std::to_string(r->integer());
  return std::string(r->str());
}

// ---- DevBroker -------------------------------------------------------------------

DevBroker::DevBroker(int brokers, int partitions, std::vector<std::string> extra_topics) {
  auto file = dir_.path() / "bootstrap";
  std::vector<std::string> argv = {PMO_DEVBROKER_BIN, "--brokers", std::to_string(brokers), "--partitions",
                                   std::to_string(partitions), "--bootstrap-file", file.string()};
  for (auto& t : extra_topics) {
    argv.push_back("--topic");
    argv.push_back(t);
  }
  proc_ = std::make_unique<Process>(Process::Options{.argv = argv, .env = {}, .log = dir_.path() / "devbroker.log", .stdin_pipe = true});
  if (!WaitFor([&] { return std::filesystem::exists(file); }, 10s))
    throw std::runtime_error("pmo-devbroker did not start: " + proc_->Log());
  std::ifstream in(file);
  std::getline(in, bootstrap_);
}

DevBroker::~DevBroker() {
  proc_->Signal(SIGTERM);
  if (!proc_->WaitExit(5s)) proc_->Signal(SIGKILL);
}

std::string DevBroker::Control(const std::string& command) {
  proc_->WriteLine(command);
  ++answers_;
  std::string last;
  bool answered = WaitFor(
      [&] {
        std::istringstream in(proc_->Log());
        std::string line;
        int n = 0;
        while (std::getline(in, line))
          if (line == "ok" || line.rfind("error:", 0) == 0) {
            ++n;
            last = line;
          }
        return n >= answers_;
      },
      5s);
  if (!answered) throw std::runtime_error("devbroker did not answer '" + command + "'");
  return last;
}

// ---- Kafka reader ---------------------------------------------------------------

std::vector<KafkaMessage> ReadTopic(const std::string& brokers, const std::string& topic, size_t at_least,
                                    std::chrono::milliseconds timeout) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "group.id", "pmo-test-reader", err, sizeof err);  // required, not used (assign)
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof err);
  rd_kafka_conf_set(conf, "fetch.wait.max.ms", "10", err, sizeof err);
  rd_kafka_conf_set(conf, "enable.partition.eof", "true", err, sizeof err);
  rd_kafka_conf_set(conf, "log_level", "2", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  int partitions = 0;
  if (rd_kafka_metadata(rk, 0, rkt, &md, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1)
    partitions = md->topics[0].partition_cnt;
  if (md) rd_kafka_metadata_destroy(md);
  rd_kafka_topic_destroy(rkt);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p)
    rd_kafka_topic_partition_list_add(list, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(rk, list);
  rd_kafka_topic_partition_list_destroy(list);
  std::vector<KafkaMessage> out;
  std::set<int32_t> at_end;  // partitions read to their end since the last record
  auto deadline = std::chrono::steady_clock::now() + timeout;
  // Until at least `at_least` records were read and every partition is at its end, so
  // the result is the whole topic (duplicates included), not a prefix of it.
  while ((out.size() < at_least || static_cast<int>(at_end.size()) < partitions) &&
         std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(rk, 50);
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      at_end.insert(m->partition);
    } else if (!m->err) {
      at_end.erase(m->partition);
      KafkaMessage msg = ToKafkaMessage(m);
      out.push_back(std::move(msg));
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
  return out;
}

CommandResult Run(const std::string& shell_command) {
  CommandResult r{-1, ""};
  FILE* p = popen((shell_command + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// ---- ServiceProcess --------------------------------------------------------------

ServiceProcess::ServiceProcess(const std::string& binary, const std::string& redis_url, const std::string& brokers,
                               std::map<std::string, std::string> env, std::filesystem::path log) {
  env["PMO_REDIS_URL"] = redis_url;
  env["PMO_KAFKA_BROKERS"] = brokers;
  env.try_emplace("PMO_GRPC_PORT", "0");
  env.try_emplace("PMO_METRICS_PORT", "0");
  env.try_emplace("PMO_GRPC_HOST", "127.0.0.1");
  env.try_emplace("PMO_HEALTH_INTERVAL_MS", "200");
  if (log.empty()) log = dir_.path() / "service.log";
  proc_ = std::make_unique<Process>(Process::Options{.argv = {binary}, .env = env, .log = log, .stdin_pipe = false});
  std::regex re("listening grpc=(\\d+) metrics=(\\d+)");
  bool started = WaitFor(
      [&] {
        std::smatch m;
        std::string text = proc_->Log();
        if (!std::regex_search(text, m, re)) return !proc_->running();
        grpc_port_ = std::stoi(m[1]);
        metrics_port_ = std::stoi(m[2]);
        return true;
      },
      15s);
  if (!started || grpc_port_ == 0)
    throw std::runtime_error(binary + " did not start:\n" + proc_->Log());
}

std::unique_ptr<RedisPool> PoolOn(const RedisServer& redis, int db, int pool_size) {
  RedisPool::Options o;
  o.endpoint.port = redis.port();
  o.endpoint.db = db;
  o.pool_size = pool_size;
  return std::make_unique<RedisPool>(o);
}

absl::StatusOr<std::vector<OutboxedEvent>> ReadOutbox(RedisPool& pool, const std::string& stream) {
  auto entries = pool.Command({"XRANGE", stream, "-", "+"});
  if (!entries.ok()) return entries.status();
  std::vector<OutboxedEvent> out;
  for (size_t i = 0; i < entries->size(); ++i) {
    auto fields = entries->at(i).at(1);
    OutboxedEvent e;
    for (size_t f = 0; f + 1 < fields.size(); f += 2) {
      const std::string_view name = fields.at(f).str(), value = fields.at(f + 1).str();
      if (name == "t") e.topic = std::string(value);
      if (name == "k") e.key = std::string(value);
      if (name == "v" && !e.envelope.ParseFromArray(value.data(), static_cast<int>(value.size())))
        return absl::DataLossError("outbox entry " + std::string(entries->at(i).at(0).str()) + " is not an envelope");
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace pmo::testing
