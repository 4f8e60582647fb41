// The exact 0/1 selection the scenario planner declares (domain/mip_solver.h), solved by
// COIN-OR CBC. The one place scoring includes the solver's headers: the domain stays
// std + abseil, and this adapter is linked into the domain library beside it.
#include "services/scoring/domain/mip_solver.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "CbcHeuristic.hpp"
#include "CbcHeuristicFPump.hpp"
#include "CbcHeuristicLocal.hpp"
#include "CbcHeuristicRINS.hpp"
#include "CbcModel.hpp"
#include "CglClique.hpp"
#include "CglFlowCover.hpp"
#include "CglGomory.hpp"
#include "CglKnapsackCover.hpp"
#include "CglMixedIntegerRounding2.hpp"
#include "CglProbing.hpp"
#include "CoinPackedMatrix.hpp"
#include "CoinPackedVector.hpp"
#include "OsiClpSolverInterface.hpp"

namespace pmo::scoring::domain::selection {
namespace {

// CBC prunes a node unless it can beat the incumbent by this much. Its default (1e-5)
// could return a selection a hair below the optimum; objectives here are sums of
// scores or money, where 1e-9 is far below anything meaningful.
constexpr double kCutoffIncrement = 1e-9;

// The MIP over the candidates the reduction left free: one column each.
struct FreeModel {
  std::vector<int> column_of;     // per candidate: its column, -1 when fixed
  std::vector<int> candidate_of;  // per column: its candidate
  double fixed_value = 0;         // value of the candidates fixed in
  double positive_free_value = 0;  // the free candidates' value if all were taken
  CoinPackedMatrix matrix{false, 0, 0};
  std::vector<double> row_lower;
  std::vector<double> row_upper;
  int columns() const { return static_cast<int>(candidate_of.size()); }
  void AddRow(const CoinPackedVector& row, double upper) {
    matrix.appendRow(row);
    row_lower.push_back(-std::numeric_limits<double>::infinity());
    row_upper.push_back(upper);
  }
};

FreeModel BuildFreeModel(const Problem& p, const Reduction& r) {
  const size_t n = p.size();
  FreeModel m;
  m.column_of.assign(n, -1);
  for (size_t i = 0; i < n; ++i) {
    if (r.fix[i] == Fix::kIn) m.fixed_value += p.value[i];
    if (r.fix[i] != Fix::kFree) continue;
    m.column_of[i] = static_cast<int>(m.candidate_of.size());
    m.candidate_of.push_back(static_cast<int>(i));
  }
  const int columns = m.columns();
  // Rows over the free candidates only; a row the free candidates cannot fill even all
  // together is left out, since it can never bind.
  m.matrix.setDimensions(0, columns);
  for (size_t k = 0; k < p.rows.size(); ++k) {
    CoinPackedVector row;
    double total = 0;
    for (int c = 0; c < columns; ++c) {
      const double a = p.rows[k].coef[static_cast<size_t>(m.candidate_of[static_cast<size_t>(c)])];
      if (a == 0) continue;
      row.insert(c, a);
      total += a;
    }
    const double room = r.residual[k] + Slack(p.rows[k].limit);
    if (total > room) m.AddRow(row, room);
  }
  for (auto [b, a] : p.dependencies) {
    const int cb = m.column_of[static_cast<size_t>(b)];
    const int ca = m.column_of[static_cast<size_t>(a)];
    // With b free, a is free or fixed in (a fixed out would have fixed b out).
    if (cb < 0 || ca < 0) continue;
    CoinPackedVector row;
    row.insert(cb, 1.0);
    row.insert(ca, -1.0);
    m.AddRow(row, 0.0);
  }
  for (const Group& g : p.groups) {
    CoinPackedVector row;
    for (int member : g.members) {
      if (m.column_of[static_cast<size_t>(member)] >= 0) row.insert(m.column_of[static_cast<size_t>(member)], 1.0);
    }
    if (row.getNumElements() > 1) m.AddRow(row, 1.0);
  }
  for (int i : m.candidate_of) m.positive_free_value += std::max(0.0, p.value[static_cast<size_t>(i)]);
  return m;
}

// Budgets and capacities are knapsack rows (cover cuts), exclusive groups and
// dependencies give cliques and implications (clique cuts, probing); Gomory, MIR and
// flow covers close the rest of the root gap. Generators and heuristics are cloned
// by CbcModel, so locals are fine.
void AddCutsAndHeuristics(CbcModel& model) {
  CglProbing probing;
  probing.setUsingObjective(true);
  probing.setMaxPass(1);
  probing.setMaxProbeRoot(200);
  CglKnapsackCover knapsack;
  CglClique clique;
  clique.setStarCliqueReport(false);
  clique.setRowCliqueReport(false);
  CglGomory gomory;
  gomory.setLimit(100);
  CglMixedIntegerRounding2 mir;
  CglFlowCover flow;
  model.addCutGenerator(&probing, -1, "Probing");
  model.addCutGenerator(&knapsack, -1, "KnapsackCover");
  model.addCutGenerator(&clique, -1, "Clique");
  model.addCutGenerator(&gomory, -1, "Gomory");
  model.addCutGenerator(&mir, -1, "MixedIntegerRounding2");
  model.addCutGenerator(&flow, -1, "FlowCover");
  CbcRounding rounding(model);
  CbcHeuristicLocal local(model);
  CbcHeuristicFPump pump(model);
  CbcHeuristicRINS rins(model);
  model.addHeuristic(&rounding);
  model.addHeuristic(&local);
  model.addHeuristic(&pump);
  model.addHeuristic(&rins);
}

void Quiet(CbcModel& model) {
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  model.solver()->messageHandler()->setLogLevel(0);
}

// The greedy selection is the first incumbent: the search starts with a cutoff at its
// value instead of having to find a feasible selection first.
void WarmStart(CbcModel& model, const Problem& p, const FreeModel& m, const std::vector<char>& incumbent) {
  const int columns = m.columns();
  std::vector<double> start(static_cast<size_t>(columns), 0.0);
  double start_objective = 0;
  for (int c = 0; c < columns; ++c) {
    const size_t i = static_cast<size_t>(m.candidate_of[static_cast<size_t>(c)]);
    if (incumbent[i]) {
      start[static_cast<size_t>(c)] = 1.0;
      start_objective -= p.value[i];
    }
  }
  model.setBestSolution(start.data(), columns, start_objective, true);
}

}  // namespace

MipAnswer SolveMip(const Problem& p, const Reduction& r, const std::vector<char>& incumbent, int64_t time_limit_ms) {
  const size_t n = p.size();
  MipAnswer answer;
  FreeModel m = BuildFreeModel(p, r);
  const int columns = m.columns();

  // Nothing couples the free candidates: take every one that adds value.
  if (m.matrix.getNumRows() == 0) {
    answer.x.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
      answer.x[i] = r.fix[i] == Fix::kIn || (r.fix[i] == Fix::kFree && p.value[i] > 0) ? 1 : 0;
    }
    answer.status = MipAnswer::Status::kOptimal;
    answer.bound = m.fixed_value + m.positive_free_value;
    return answer;
  }

  // CBC minimises: the objective is the negated value of the free candidates.
  std::vector<double> objective(static_cast<size_t>(columns));
  std::vector<double> lower(static_cast<size_t>(columns), 0.0);
  std::vector<double> upper(static_cast<size_t>(columns), 1.0);
  for (int c = 0; c < columns; ++c)
    objective[static_cast<size_t>(c)] = -p.value[static_cast<size_t>(m.candidate_of[static_cast<size_t>(c)])];

  OsiClpSolverInterface solver;
  solver.messageHandler()->setLogLevel(0);
  solver.setHintParam(OsiDoReducePrint, true, OsiHintTry);
  solver.loadProblem(m.matrix, lower.data(), upper.data(), objective.data(), m.row_lower.data(), m.row_upper.data());
  for (int c = 0; c < columns; ++c) solver.setInteger(c);

  CbcModel model(solver);
  Quiet(model);
  model.setMaximumSeconds(static_cast<double>(time_limit_ms) / 1000.0);
  model.setUseElapsedTime(true);
  model.setCutoffIncrement(kCutoffIncrement);
  model.setAllowableGap(kCutoffIncrement);
  model.setAllowableFractionGap(0.0);
  AddCutsAndHeuristics(model);

  model.initialSolve();
  WarmStart(model, p, m, incumbent);
  model.branchAndBound();

  if (model.isProvenInfeasible()) {
    answer.status = MipAnswer::Status::kInfeasible;
    return answer;
  }
  const double* best = model.bestSolution();
  const double free_bound = -model.getBestPossibleObjValue();
  answer.bound = m.fixed_value + (std::isfinite(free_bound) ? std::min(free_bound, m.positive_free_value)
                                                            : m.positive_free_value);
  if (best == nullptr) {
    answer.status = MipAnswer::Status::kNoSolution;
    return answer;
  }
  answer.x.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (r.fix[i] == Fix::kIn) answer.x[i] = 1;
    if (m.column_of[i] >= 0) answer.x[i] = best[m.column_of[i]] > 0.5 ? 1 : 0;
  }
  answer.status = model.isProvenOptimal() ? MipAnswer::Status::kOptimal : MipAnswer::Status::kFeasible;
  if (answer.status == MipAnswer::Status::kOptimal) answer.bound = Objective(p, answer.x);
  return answer;
}

}  // namespace pmo::scoring::domain::selection
