#include "cli/suite_run.h"

#include <algorithm>
#include <new>

#include <fmt/format.h>

#include "closesim/base/check.h"

namespace closesim::cli {

int SuiteRun::exit_status() const {
  if (internal_errors > 0) return 3;
  int status = 0;
  for (const RunResult& r : results) status = std::max(status, r.exit_status());
  return status;
}

RunResult internal_error_result(const std::string& file, const std::string& what) {
  RunResult r;
  r.scenario.file = file;
  r.diagnostics.push_back(Diagnostic{
      file, 0, 0, 1, what,
      "this is a bug in closesim, not in the scenario: please report it with this file"});
  return r;
}

SuiteRun run_suite(const std::vector<std::string>& files, const RunOne& one) {
  SuiteRun suite;
  suite.results.reserve(files.size());
  for (const std::string& f : files) {
    try {
      suite.results.push_back(one(f));
      if (suite.results.back().schedule_mismatch) ++suite.schedule_mismatches;
      continue;
    } catch (const InternalError& e) {
      suite.results.push_back(internal_error_result(
          f, fmt::format("internal error: {} (at {}:{})", e.what(), e.file(), e.line())));
    } catch (const std::bad_alloc&) {
      suite.results.push_back(internal_error_result(
          f, "internal error: out of memory during the run (lower --max-trace-records)"));
    } catch (const std::exception& e) {
      suite.results.push_back(internal_error_result(f, fmt::format("internal error: {}", e.what())));
    }
    ++suite.internal_errors;
  }
  return suite;
}

SuiteRun run_suite(const std::vector<std::string>& files, const RunOptions& options) {
  return run_suite(files, [&options](const std::string& f) { return run_file(f, options); });
}

}  // namespace closesim::cli
