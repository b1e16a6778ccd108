// Runs a suite with every scenario isolated from the others: a broken internal invariant
// (CLOSESIM_CHECK throws InternalError), an exhausted allocator or any other exception in one
// scenario becomes that scenario's ERROR, naming the message and where it was raised, and the
// suite goes on; the exit status then says an internal error happened (3).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "closesim/result/run_result.h"
#include "closesim/run/runner.h"

namespace closesim::cli {

struct SuiteRun {
  std::vector<RunResult> results;  // one per file, in the order given
  std::size_t internal_errors = 0;
  std::size_t schedule_mismatches = 0;  // runs whose --schedule does not fit the scenario
  int exit_status() const;              // 3 if any internal error, else the worst verdict
};

// How one file becomes a result; run_file in the program, a fake in tests.
using RunOne = std::function<RunResult(const std::string& file)>;

// Runs `one` on each file; an exception from one file is caught and recorded as its ERROR.
SuiteRun run_suite(const std::vector<std::string>& files, const RunOne& one);
SuiteRun run_suite(const std::vector<std::string>& files, const RunOptions& options);

// The ERROR result that stands for a scenario whose run threw `what`.
RunResult internal_error_result(const std::string& file, const std::string& what);

}  // namespace closesim::cli
