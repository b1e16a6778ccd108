// The done-when demonstration: a provider bug that shows only under one ordering. In
// close_vs_blocking_recv.scn the close is written before the recv, so a plain run is benign
// (the recv fails with WSAENOTSOCK); when the recv parks first, a provider that leaves blocked
// calls parked (mutant leave-blocked-call) breaks R2. DFS and PCT both find it, the replay line
// reproduces it, and the shrinker cuts the scenario down to a few lines that still fail R2.
#include <doctest/doctest.h>

#include <algorithm>

#include "../support/support.h"
#include "closesim/engine/schedule.h"
#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"

using closesim::support::source_path;

namespace closesim {
namespace {

Scenario race() {
  ParseResult p = parse_scenario_file(source_path("/scenarios/races/close_vs_blocking_recv.scn"));
  REQUIRE(p.ok());
  return p.scenario;
}

RunOptions under_mutant() {
  RunOptions o;
  o.mutant = Mutant::LeaveBlockedCall;
  return o;
}

bool violates_r2(const RunResult& r) {
  for (const Violation& v : r.rules.violations)
    if (v.rule == RuleId::R2 && !v.divergence) return true;
  return false;
}

// The schedule written in a replay line: the word after "--schedule".
Answers schedule_of(const std::string& command) {
  const std::string flag = "--schedule ";
  std::size_t at = command.find(flag);
  REQUIRE(at != std::string::npos);
  at += flag.size();
  std::string text = command.substr(at, command.find(' ', at) - at);
  std::optional<Answers> a = parse_schedule(text);
  REQUIRE(a.has_value());
  return *a;
}

TEST_CASE("a plain run under the mutant passes the rules") {
  RunResult plain = run_scenario(race(), under_mutant());
  CHECK_FALSE(plain.rules.violated());
  CHECK(plain.verdict() == Verdict::Pass);
}

TEST_CASE("dfs finds the ordering in which the mutant breaks R2, and the replay line reproduces it") {
  ExploreOptions o;
  o.run = under_mutant();
  ExploreSummary s = explore_scenario(race(), o);
  CHECK(s.exhaustive());
  REQUIRE(s.first_violation.has_value());
  CHECK(s.first_violation->rule == RuleId::R2);
  CHECK(explore_exit_status(s) == 1);

  const OutcomeClass* failing = nullptr;
  for (const OutcomeClass& c : s.classes)
    if (!c.violated.empty()) failing = &c;
  REQUIRE(failing != nullptr);
  CHECK(failing->violated == std::vector<std::string>{"R2"});

  const std::string report = render_explore_report(s);
  const std::string line = replay_command(s, failing->example);
  CHECK(report.find("replay: " + line) != std::string::npos);
  CHECK(line.find("--mutant leave-blocked-call") != std::string::npos);
  CHECK(line.rfind("closesim run ", 0) == 0);
  RunResult replayed = replay_schedule(race(), under_mutant(), schedule_of(line));
  CHECK(violates_r2(replayed));
  CHECK(outcome_signature(replayed).hash == failing->hash);
}

TEST_CASE("pct finds it too, with a fixed seed") {
  ExploreOptions o;
  o.run = under_mutant();
  o.strategy = Strategy::Pct;
  o.pct.runs = 50;
  o.pct.seed = 1;
  o.pct.depth = 2;
  ExploreSummary s = explore_scenario(race(), o);
  CHECK(s.schedules == 50);
  REQUIRE(s.first_violation.has_value());
  CHECK(s.first_violation->rule == RuleId::R2);
  CHECK(violates_r2(replay_schedule(race(), under_mutant(), s.first_violation->schedule)));
}

TEST_CASE("random finds it too, with a fixed seed") {
  ExploreOptions o;
  o.run = under_mutant();
  o.strategy = Strategy::Random;
  o.random.runs = 50;
  o.random.seed = 1;
  ExploreSummary s = explore_scenario(race(), o);
  REQUIRE(s.first_violation.has_value());
  CHECK(s.first_violation->rule == RuleId::R2);
}

TEST_CASE("the correct model passes every ordering of the same scenario") {
  ExploreSummary s = explore_scenario(race(), ExploreOptions{});
  CHECK(s.exhaustive());
  CHECK_FALSE(s.first_violation.has_value());
  CHECK(explore_exit_status(s) == 0);
  CHECK(s.classes.size() == 2);  // the recv fails with WSAENOTSOCK, or is interrupted (WSAEINTR)
}

TEST_CASE("shrink writes a scenario of under 15 lines that fails R2 under the mutant") {
  ExploreOptions o;
  o.run = under_mutant();
  ExploreSummary s = explore_scenario(race(), o);
  REQUIRE(s.first_violation.has_value());
  ShrinkOptions so;
  so.run = under_mutant();
  so.rule = s.first_violation->rule;
  so.schedule = s.first_violation->schedule;
  so.origin = "scenarios/races/close_vs_blocking_recv.scn";
  ShrinkResult shrunk = shrink_scenario(race(), so);
  REQUIRE_MESSAGE(shrunk.ok, shrunk.error);
  INFO(shrunk.text);
  CHECK(shrunk.steps_after < shrunk.steps_before);
  const auto lines = std::count(shrunk.text.begin(), shrunk.text.end(), '\n');
  CHECK(lines < 15);
  CHECK(shrunk.text.find("schedule " + schedule_text(shrunk.schedule) + "\n") != std::string::npos);

  // It parses, and a plain run of it (its pinned schedule, the mutant) fails R2.
  ParseResult p = parse_scenario("shrunk.scn", shrunk.text);
  REQUIRE(p.ok());
  CHECK(violates_r2(run_scenario(p.scenario, under_mutant())));
  // Without the mutant the same file does not break R2.
  CHECK_FALSE(violates_r2(run_scenario(p.scenario, RunOptions{})));
}

}  // namespace
}  // namespace closesim
