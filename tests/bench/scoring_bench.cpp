// Benchmark: scoring at portfolio scale. Prints
//  - full re-score + re-rank of 100,000 initiatives through pmo-scoring (a model change),
//    beside scoring the same initiatives in memory with the domain alone (the baseline);
//  - GetRanking p50/p99 on that portfolio, beside a bare gRPC echo measured the same way;
//  - RunScenario on generated instances of 200, 1,000 and 5,000 candidates (4 quarters x
//    5 skills, dependencies, WIP): status, gap, solve time, and the gain over greedy.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>

#include "services/scoring/domain/ranking.h"
#include "services/scoring/domain/scenario.h"
#include "services/scoring/domain/scorer.h"
#include "pmo/common/redis.h"
#include "pmo/common/service_host.h"
#include "pmo/intake/v1/intake.pb.h"
#include "pmo/scoring/v1/scoring.grpc.pb.h"
#include "pmo/testing/v1/widgets.grpc.pb.h"
#include "support.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
constexpr int kInitiatives = 100'000;
const char* kCriteria[] = {"value", "reach", "risk", "effort", "urgency"};

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

pmo::intake::v1::Initiative MakeInitiative(int i, std::mt19937& rng) {
  std::uniform_real_distribution<double> rating(0, 10);
  pmo::intake::v1::Initiative in;
  in.set_id("init-" + std::to_string(i));
  in.set_portfolio_id("big");
  in.set_title("Initiative " + std::to_string(i));
  in.set_stage(pmo::intake::v1::STAGE_SUBMITTED);
  in.set_version(1);
  for (const char* c : kCriteria) (*in.mutable_ratings())[c] = std::round(rating(rng) * 10) / 10;
  return in;
}

pmo::scoring::v1::ScoringModel Model(int variant) {
  pmo::scoring::v1::ScoringModel m;
  m.set_portfolio_id("big");
  m.set_type(pmo::scoring::v1::MODEL_TYPE_WEIGHTED_SUM);
  const pmo::scoring::v1::Category cats[] = {pmo::scoring::v1::CATEGORY_VALUE, pmo::scoring::v1::CATEGORY_VALUE,
                                             pmo::scoring::v1::CATEGORY_RISK, pmo::scoring::v1::CATEGORY_COST,
                                             pmo::scoring::v1::CATEGORY_URGENCY};
  for (int i = 0; i < 5; ++i) {
    auto* c = m.add_criteria();
    c->set_key(kCriteria[i]);
    c->set_name(kCriteria[i]);
    c->set_category(cats[i]);
    c->set_weight(1 + (i + variant) % 5);
    c->set_direction(i == 2 || i == 3 ? pmo::scoring::v1::DIRECTION_LOWER_IS_BETTER
                                      : pmo::scoring::v1::DIRECTION_HIGHER_IS_BETTER);
    c->mutable_scale()->set_min(0);
    c->mutable_scale()->set_max(10);
  }
  return m;
}

std::pair<double, double> Percentiles(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v[v.size() * 99 / 100]};
}

class Echo final : public pmo::testing::v1::WidgetService::Service {
  grpc::Status GetWidget(grpc::ServerContext*, const pmo::testing::v1::GetWidgetRequest* r,
                         pmo::testing::v1::Widget* out) override {
    out->set_id(r->id());
    return grpc::Status::OK;
  }
};

void RankingAndRescore() {
  pmo::testing::RedisServer redis;
  pmo::testing::DevBroker broker(1, 3);
  pmo::testing::ServiceProcess svc(PMO_SCORING_BIN, redis.url(), broker.bootstrap(), {{"PMO_LOG_LEVEL", "warn"}});
  // The read model scoring keeps of intake's initiatives, loaded directly (as if
  // 100,000 InitiativeSubmitted events had been consumed).
  pmo::RedisPool::Options o;
  o.endpoint.port = redis.port();
  pmo::RedisPool pool(o);
  std::mt19937 rng(7);
  std::vector<pmo::intake::v1::Initiative> all;
  for (int from = 0; from < kInitiatives; from += 1000) {
    std::vector<pmo::RedisArgs> cmds;
    for (int i = from; i < from + 1000; ++i) {
      all.push_back(MakeInitiative(i, rng));
      cmds.push_back({"HSET", "pmo:scoring:{big}:initiative:" + all.back().id(), "version", "1", "data",
                      all.back().SerializeAsString()});
      cmds.push_back({"SADD", "pmo:scoring:{big}:initiatives", all.back().id()});
    }
    if (!pool.Pipeline(cmds).ok()) std::abort();
  }
  auto stub = pmo::scoring::v1::ScoringService::NewStub(
      grpc::CreateChannel(svc.target(), grpc::InsecureChannelCredentials()));

  // Baseline: the same scoring and ranking in memory, no I/O.
  auto domain_model = [] {
    pmo::scoring::domain::ScoringModel m;
    for (int i = 0; i < 5; ++i) {
      pmo::scoring::domain::Criterion c;
      c.key = kCriteria[i];
      c.name = kCriteria[i];
      c.category = i < 2 ? pmo::scoring::domain::Category::kValue
                          : (i == 2 ? pmo::scoring::domain::Category::kRisk
                                    : (i == 3 ? pmo::scoring::domain::Category::kCost
                                              : pmo::scoring::domain::Category::kUrgency));
      c.weight = 1 + i % 5;
      c.direction = i == 2 || i == 3 ? pmo::scoring::domain::Direction::kLowerIsBetter
                                     : pmo::scoring::domain::Direction::kHigherIsBetter;
      m.criteria.push_back(c);
    }
    return m;
  }();
  auto start = Clock::now();
  auto scorer = *pmo::scoring::domain::Scorer::Create(domain_model);
  std::vector<pmo::scoring::domain::RankInput> inputs;
  for (const auto& in : all) {
    pmo::scoring::domain::Ratings r(in.ratings().begin(), in.ratings().end());
    auto e = *scorer.Score(r, std::nullopt);
    inputs.push_back({in.id(), e.score, e.Subtotal(pmo::scoring::domain::Category::kValue), 0});
  }
  auto ranked = pmo::scoring::domain::Rank(inputs);
  double in_memory = Seconds(start);

  double service_s = 0;
  for (int variant = 0; variant < 2; ++variant) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 600s);
    pmo::scoring::v1::SetScoringModelRequest req;
    *req.mutable_model() = Model(variant);
    req.set_expected_version(variant);
    pmo::scoring::v1::ScoringModel out;
    auto t = Clock::now();
    auto s = stub->SetScoringModel(&ctx, req, &out);
    if (!s.ok()) {
      std::fprintf(stderr, "SetScoringModel: %s\n", s.error_message().c_str());
      std::abort();
    }
    service_s = Seconds(t);  // the second run: a re-score of an already ranked portfolio
    // The call answers OK even if its re-score is left to the worker: the figure counts
    // only if the re-score it timed did happen (nothing pending, ranking under the model).
    auto pending = pool.Command({"SCARD", "pmo:scoring:rescore-pending"});
    grpc::ClientContext rctx;
    pmo::scoring::v1::GetRankingRequest rreq;
    rreq.set_portfolio_id("big");
    rreq.mutable_page()->set_page_size(1);
    pmo::scoring::v1::GetRankingResponse rout;
    if (!pending.ok() || pending->integer() != 0 || !stub->GetRanking(&rctx, rreq, &rout).ok() ||
        rout.entries_size() != 1 || rout.entries(0).model_version() != out.version()) {
      std::fprintf(stderr, "the re-score under model version %lld did not complete within the call\n",
                   static_cast<long long>(out.version()));
      std::abort();
    }
  }
  std::printf("full re-score + re-rank, %d initiatives: %.2f s through the service (%.0f/s, state and events "
              "written); in memory %.3f s (%.0f/s); ratio %.3f\n",
              kInitiatives, service_s, kInitiatives / service_s, in_memory, kInitiatives / in_memory,
              in_memory / service_s);

  // Let the relay publish the 100,000 InitiativeScored events first, so GetRanking is
  // measured on its own.
  auto drain_start = Clock::now();
  if (!pmo::testing::WaitFor([&] {
        auto r = pool.Command({"XLEN", "pmo:scoring:outbox"});
        return r.ok() && r->integer() == 0;
      }, 300s, 100ms)) {
    std::fprintf(stderr, "the outbox did not drain within 300 s\n");
    std::abort();
  }
  std::printf("outbox drained %.1f s after the re-score (relay publishing to the devbroker)\n", Seconds(drain_start));

  // GetRanking latency on that portfolio, pages of 50 at random offsets.
  std::uniform_int_distribution<int> page(0, kInitiatives / 50 - 1);
  std::vector<double> lat;
  for (int i = 0; i < 2000; ++i) {
    grpc::ClientContext ctx;
    pmo::scoring::v1::GetRankingRequest req;
    req.set_portfolio_id("big");
    req.mutable_page()->set_page_size(50);
    int p = page(rng);
    if (p > 0) req.mutable_page()->set_page_token(std::to_string(p * 50));
    pmo::scoring::v1::GetRankingResponse resp;
    auto t = Clock::now();
    auto s = stub->GetRanking(&ctx, req, &resp);
    lat.push_back(Seconds(t) * 1000);
    if (!s.ok() || resp.entries_size() != 50) std::abort();
  }
  Echo echo;
  grpc::ServerBuilder b;
  pmo::TuneServerBuilder(b);
  int port = 0;
  b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  b.RegisterService(&echo);
  auto server = b.BuildAndStart();
  auto echo_stub = pmo::testing::v1::WidgetService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  std::vector<double> echo_lat;
  for (int i = 0; i < 2000; ++i) {
    grpc::ClientContext ctx;
    pmo::testing::v1::GetWidgetRequest req;
    req.set_id("x");
    pmo::testing::v1::Widget w;
    auto t = Clock::now();
    echo_stub->GetWidget(&ctx, req, &w);
    echo_lat.push_back(Seconds(t) * 1000);
  }
  auto [p50, p99] = Percentiles(lat);
  auto [e50, e99] = Percentiles(echo_lat);
  std::printf("GetRanking (page of 50, %d ranked): p50 %.2f ms p99 %.2f ms; bare echo p50 %.2f ms p99 %.2f ms; "
              "p99 ratio %.1f\n",
              kInitiatives, p50, p99, e50, e99, p99 / e99);
  server->Shutdown(std::chrono::system_clock::now());
}

pmo::scoring::domain::Scenario Generate(int n, std::mt19937& rng) {
  using namespace pmo::scoring::domain;
  std::uniform_real_distribution<double> u(0, 1);
  const char* quarters[] = {"2027Q1", "2027Q2", "2027Q3", "2027Q4"};
  const char* skills[] = {"backend", "frontend", "data", "design", "ops"};
  Scenario sc;
  sc.objective = ObjectiveKind::kTotalScore;
  double total_cost[4] = {0, 0, 0, 0};
  double total_hours[5][4] = {};
  for (int i = 0; i < n; ++i) {
    Candidate c;
    c.id = "c" + std::to_string(i);
    int start = static_cast<int>(u(rng) * 4), len = 1 + static_cast<int>(u(rng) * 3);
    double cost_sum = 0;
    for (int q = start; q < std::min(4, start + len); ++q) {
      double cost = std::round(20 + 180 * u(rng));
      c.cost_per_quarter[quarters[q]] = cost;
      total_cost[q] += cost;
      cost_sum += cost;
      for (int s = 0; s < 5; ++s)
        if (u(rng) < 0.4) {
          double h = std::round(50 + 400 * u(rng));
          c.effort_hours[skills[s]][quarters[q]] = h;
          total_hours[s][q] += h;
        }
    }
    // Value strongly correlated with cost: the hard case for knapsack-like selection,
    // where no simple ratio ordering is near optimal.
    c.score = std::round((cost_sum / 6 + 10 * u(rng)) * 100) / 100;
    sc.candidates.push_back(std::move(c));
  }
  for (int q = 0; q < 4; ++q) {
    sc.constraints.budget_per_quarter[quarters[q]] = std::round(total_cost[q] * 0.35);
    for (int s = 0; s < 5; ++s) sc.constraints.capacity_hours[skills[s]][quarters[q]] = std::round(total_hours[s][q] * 0.4);
  }
  sc.constraints.wip_limit = n * 3 / 10;
  for (int i = 0; i < n / 10; ++i) {
    int a = static_cast<int>(u(rng) * n), b = static_cast<int>(u(rng) * n);
    if (a != b) sc.constraints.dependencies.push_back({"c" + std::to_string(std::max(a, b)), "c" + std::to_string(std::min(a, b))});
  }
  return sc;
}

// Targets of the scoring issue: 1,000 candidates answered within 10 s with a proven gap
// of at most 0.25 %; 5,000 candidates answered within the time limit asked.
bool Scenarios() {
  bool met = true;
  std::mt19937 rng(11);
  for (int n : {200, 1000, 5000}) {
    auto sc = Generate(n, rng);
    sc.time_limit_ms = 10'000;
    auto t = Clock::now();
    auto greedy = pmo::scoring::domain::GreedySelect(sc);
    double greedy_ms = Seconds(t) * 1000;
    t = Clock::now();
    auto r = pmo::scoring::domain::RunScenario(sc);
    double wall = Seconds(t);
    if (!r.ok() || !greedy.ok()) {
      std::printf("RunScenario %d candidates: %s\n", n, r.ok() ? greedy.status().ToString().c_str() : r.status().ToString().c_str());
      met = false;
      continue;
    }
    if (n == 1000 && (wall > 10.5 || r->relative_gap > 0.0025)) met = false;
    if (n == 5000 && wall > 11.0) met = false;
    std::printf("RunScenario %5d candidates: %-10s gap %.3f%%  solve %.2f s (wall %.2f s, limit 10 s)  objective %.2f  "
                "greedy %.2f (in %.1f ms)  gain %.2f%%\n",
                n, std::string(pmo::scoring::domain::SolveStatusName(r->status)).c_str(), r->relative_gap * 100,
                r->solve_time_ms / 1000.0, wall, r->optimal.objective_value, greedy->objective_value, greedy_ms,
                r->relative_gain * 100);
  }
  std::printf("targets (1,000: <= 10 s, gap <= 0.25 %%; 5,000: within the limit): %s\n", met ? "met" : "NOT met");
  return met;
}

}  // namespace

int main() {
  pmo::TuneProcess();  // as every service does: baselines run in this process
  RankingAndRescore();
  return Scenarios() ? 0 : 1;
}
