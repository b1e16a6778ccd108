// The mutant gate over the bundled suite: every deliberate bug is caught by the rule checker
// alone, and by the very rule it was written to break (not only by a neighbour).
#include <doctest/doctest.h>

#include "closesim/run/mutant_gate.h"

namespace closesim {
namespace {

TEST_CASE("every mutant is caught by the rule it targets") {
  std::string root = CLOSESIM_SOURCE_DIR;
  root += "/scenarios";
  std::vector<Diagnostic> errors;
  std::vector<std::string> files = find_scenarios({root}, &errors);
  REQUIRE(errors.empty());
  MutantGateResult gate = run_mutant_gate(files, RunOptions{});
  CHECK(gate.unreadable.empty());
  CHECK(gate.baseline_violations.empty());
  REQUIRE(gate.outcomes.size() == mutant_catalogue().size());
  for (const MutantOutcome& o : gate.outcomes) {
    CAPTURE(o.info.name);
    CHECK(o.caught());
    CHECK(o.caught_by.count(o.info.target) == 1);
  }
}

}  // namespace
}  // namespace closesim
