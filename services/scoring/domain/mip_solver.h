// Internal to the scenario planner: the exact 0/1 selection it needs, declared here and
// solved by COIN-OR CBC in solver/cbc_mip_solver.cpp, so the domain includes no solver.
#pragma once

#include <cstdint>
#include <vector>

#include "services/scoring/domain/selection_problem.h"

namespace pmo::scoring::domain::selection {

struct MipAnswer {
  enum class Status { kOptimal, kFeasible, kInfeasible, kNoSolution };
  Status status = Status::kNoSolution;
  std::vector<char> x;  // per candidate (fixed ones included); empty without a solution
  // An upper bound on the objective of any valid selection (fixed ones included).
  double bound = 0;
};

// Solves the free part of a feasible reduction. `incumbent` (a valid selection, e.g.
// the greedy one) warm-starts the search and serves as its objective cutoff.
MipAnswer SolveMip(const Problem& problem, const Reduction& reduction, const std::vector<char>& incumbent,
                   int64_t time_limit_ms);

}  // namespace pmo::scoring::domain::selection
