// Every bundled race scenario (scenarios/races/*.scn), explored exhaustively under the correct
// model: the search is complete, it meets more than one schedule, and no schedule breaks a rule,
// gets stuck, or runs differently when replayed.
#include <doctest/doctest.h>

#include "../support/support.h"
#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"

using closesim::support::source_path;

namespace closesim {
namespace {

std::vector<std::string> race_files() {
  std::vector<Diagnostic> errors;
  std::vector<std::string> files = find_scenarios({source_path("/scenarios/races")}, &errors);
  REQUIRE(errors.empty());
  return files;
}

TEST_CASE("there are at least six race scenarios, each with a title, rules and a lesson") {
  std::vector<std::string> files = race_files();
  CHECK(files.size() >= 6);
  for (const std::string& f : files) {
    CAPTURE(f);
    ParseResult p = parse_scenario_file(f);
    REQUIRE(p.ok());
    CHECK_FALSE(p.scenario.title.empty());
    CHECK_FALSE(p.scenario.rules.empty());
    REQUIRE_FALSE(p.scenario.lines.empty());
    CHECK(p.scenario.lines.front().rfind("# Teaches", 0) == 0);
    CHECK(run_scenario(p.scenario, RunOptions{}).verdict() == Verdict::Pass);  // plain run
  }
}

TEST_CASE("every race scenario is explored exhaustively without a rule violated") {
  for (const std::string& f : race_files()) {
    CAPTURE(f);
    ParseResult p = parse_scenario_file(f);
    REQUIRE(p.ok());
    ExploreOptions o;
    o.check_determinism = true;
    ExploreSummary s = explore_scenario(p.scenario, o);
    CHECK(s.exhaustive());
    CHECK_FALSE(s.truncated);
    CHECK(s.schedules > 1);
    CHECK(s.nondeterministic.empty());
    CHECK_FALSE(s.first_violation.has_value());
    for (const OutcomeClass& c : s.classes) {
      CAPTURE(schedule_text(c.example));
      CHECK(c.violated.empty());
      CHECK(c.stuck.empty());
    }
    CHECK(explore_exit_status(s) == 0);
    MESSAGE(f << ": " << s.schedules << " schedules, " << s.classes.size() << " classes");
  }
}

}  // namespace
}  // namespace closesim
