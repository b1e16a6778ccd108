// The DFS strategy against a second, naive enumeration of the same schedule tree: it runs every
// schedule exactly once, honours the preemption bound and the budget, its shards partition the
// schedules, and every schedule it reports replays to the same trace.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"

namespace closesim {
namespace {

// Three threads at one instant, one of them closing what the others use.
const char* kRace = R"(title "three threads"
0        A.main   s = socket(tcp)       = ok
0        A.main   connect(s)            = 0
1ms      A.main   closesocket(s)        = 0
1ms      A.t1     recv(s, 10)           = ?
1ms      A.t2     e = WSACreateEvent()  = ok
)";

Scenario parse(const char* text) {
  ParseResult p = parse_scenario("race.scn", text);
  REQUIRE(p.ok());
  return p.scenario;
}

// Every leaf of the schedule tree, by plain recursion: a run with a prefix is one leaf; each
// untried option past the prefix roots another subtree.
void enumerate(const Scenario& sc, const Answers& prefix, std::set<Answers>& leaves) {
  PrefixChoice c(prefix);
  run_with_choices(sc, RunOptions{}, c);
  const std::vector<ChoicePoint>& path = c.taken();
  const Answers answers = c.answers();
  REQUIRE(leaves.insert(answers).second);
  for (std::size_t i = prefix.size(); i < path.size(); ++i) {
    for (std::uint32_t o = 1; o < path[i].options; ++o) {
      Answers next(answers.begin(), answers.begin() + static_cast<std::ptrdiff_t>(i));
      next.push_back(o);
      enumerate(sc, next, leaves);
    }
  }
}

std::vector<Answers> dfs_schedules(const Scenario& sc, const DfsOptions& o, StrategyStats* stats = nullptr) {
  std::vector<Answers> out;
  StrategyStats s = explore_dfs(sc, RunOptions{}, o, [&](const Answers& a, const RunResult&) {
    out.push_back(a);
    return true;
  });
  if (stats) *stats = s;
  return out;
}

std::size_t deviations(const Answers& a) {
  return static_cast<std::size_t>(std::count_if(a.begin(), a.end(), [](std::size_t x) { return x != 0; }));
}

TEST_CASE("dfs runs every schedule exactly once") {
  Scenario sc = parse(kRace);
  std::set<Answers> all;
  enumerate(sc, {}, all);
  REQUIRE(all.size() > 10);

  StrategyStats stats;
  std::vector<Answers> seen = dfs_schedules(sc, DfsOptions{}, &stats);
  CHECK(stats.runs == seen.size());
  CHECK_FALSE(stats.truncated);
  CHECK(stats.probes == 0);
  std::set<Answers> unique(seen.begin(), seen.end());
  CHECK(unique.size() == seen.size());
  CHECK(unique == all);
  CHECK(trim_schedule(seen.front()).empty());  // the plain run comes first
}

TEST_CASE("the preemption bound keeps the schedules with at most K answers other than 0") {
  Scenario sc = parse(kRace);
  std::set<Answers> all;
  enumerate(sc, {}, all);
  for (std::size_t k : {0u, 1u, 2u}) {
    DfsOptions o;
    o.preemption_bound = k;
    std::vector<Answers> seen = dfs_schedules(sc, o);
    std::set<Answers> expected;
    for (const Answers& a : all)
      if (deviations(a) <= k) expected.insert(a);
    CHECK(std::set<Answers>(seen.begin(), seen.end()) == expected);
    CHECK(seen.size() == expected.size());
  }
}

TEST_CASE("dfs stops at max_schedules and says it was truncated") {
  Scenario sc = parse(kRace);
  DfsOptions o;
  o.max_schedules = 5;
  StrategyStats stats;
  std::vector<Answers> seen = dfs_schedules(sc, o, &stats);
  CHECK(seen.size() == 5);
  CHECK(stats.truncated);

  std::set<Answers> all;
  enumerate(sc, {}, all);
  o.max_schedules = all.size();  // exactly enough: not truncated
  seen = dfs_schedules(sc, o, &stats);
  CHECK(seen.size() == all.size());
  CHECK_FALSE(stats.truncated);
}

TEST_CASE("a visitor can stop the search") {
  Scenario sc = parse(kRace);
  int n = 0;
  StrategyStats stats = explore_dfs(sc, RunOptions{}, DfsOptions{}, [&](const Answers&, const RunResult&) {
    return ++n < 3;
  });
  CHECK(n == 3);
  CHECK(stats.stopped);
  CHECK(stats.runs == 3);
}

TEST_CASE("shards partition the schedules: disjoint, and together exactly the unsharded set") {
  Scenario sc = parse(kRace);
  std::vector<Answers> whole = dfs_schedules(sc, DfsOptions{});
  const std::set<Answers> all(whole.begin(), whole.end());
  for (std::uint32_t count : {2u, 3u, 5u}) {
    for (std::size_t split : {1u, 2u, 4u, 50u}) {
      CAPTURE(count);
      CAPTURE(split);
      std::set<Answers> joined;
      std::size_t total = 0;
      for (std::uint32_t i = 0; i < count; ++i) {
        DfsOptions o;
        o.shard = Shard{i, count};
        o.split_depth = split;
        std::vector<Answers> part = dfs_schedules(sc, o);
        total += part.size();
        joined.insert(part.begin(), part.end());
      }
      CHECK(total == all.size());  // disjoint
      CHECK(joined == all);        // complete
    }
  }
}

TEST_CASE("shards also partition a bounded search") {
  Scenario sc = parse(kRace);
  DfsOptions bounded;
  bounded.preemption_bound = 1;
  std::vector<Answers> whole = dfs_schedules(sc, bounded);
  std::set<Answers> joined;
  std::size_t total = 0;
  for (std::uint32_t i = 0; i < 3; ++i) {
    DfsOptions o = bounded;
    o.shard = Shard{i, 3};
    o.split_depth = 2;
    std::vector<Answers> part = dfs_schedules(sc, o);
    total += part.size();
    joined.insert(part.begin(), part.end());
  }
  CHECK(total == whole.size());
  CHECK(joined == std::set<Answers>(whole.begin(), whole.end()));
}

TEST_CASE("every schedule dfs runs replays to the same trace, trimmed or not") {
  Scenario sc = parse(kRace);
  std::map<Answers, std::uint64_t> hashes;
  explore_dfs(sc, RunOptions{}, DfsOptions{}, [&](const Answers& a, const RunResult& r) {
    hashes[a] = r.trace.hash();
    return true;
  });
  for (const auto& entry : hashes) {  // not a structured binding: CAPTURE captures it
    const Answers& answers = entry.first;
    const std::uint64_t hash = entry.second;
    CAPTURE(schedule_text(answers));
    CHECK(replay_schedule(sc, RunOptions{}, answers).trace.hash() == hash);
    RunResult trimmed = replay_schedule(sc, RunOptions{}, trim_schedule(answers));
    CHECK(trimmed.trace.hash() == hash);
    CHECK(trimmed.stuck.empty());
  }
}

TEST_CASE("a file's schedule directive does not steer the exploration") {
  std::string pinned = std::string("schedule 1.1\n") + kRace;
  ParseResult p = parse_scenario("pinned.scn", pinned);
  REQUIRE(p.ok());
  std::vector<Answers> a = dfs_schedules(p.scenario, DfsOptions{});
  std::vector<Answers> b = dfs_schedules(parse(kRace), DfsOptions{});
  CHECK(a == b);
}

}  // namespace
}  // namespace closesim

namespace closesim {
namespace {

TEST_CASE("ScheduleRunner's memoised rule reports are run_scenario's, schedule by schedule") {
  const char* text = R"(title "mutant race"
0        A.main   s = socket(tcp)       = ok
0        A.main   connect(s)            = 0
1ms      A.main   closesocket(s)        = 0
1ms      A.t1     recv(s, 10)           = ?
1ms      A.t2     recv(s, 10)           = ?
)";
  ParseResult p = parse_scenario("m.scn", text);
  REQUIRE(p.ok());
  for (Mutant m : {Mutant::None, Mutant::LeaveBlockedCall, Mutant::WrongWakeError}) {
    RunOptions o;
    o.mutant = m;
    std::vector<Answers> all;
    explore_dfs(p.scenario, o, DfsOptions{}, [&](const Answers& a, const RunResult&) {
      all.push_back(a);
      return true;
    });
    ScheduleRunner runner(p.scenario, o);
    for (const Answers& a : all) {
      PrefixChoice cached_choices(a), plain_choices(a);
      RunResult cached = runner.run(cached_choices);
      RunResult plain = run_with_choices(p.scenario, o, plain_choices);
      CHECK(cached.trace.hash() == plain.trace.hash());
      CHECK(cached.rules_mode == plain.rules_mode);
      CHECK(cached.verdict() == plain.verdict());
      REQUIRE(cached.rules.violations.size() == plain.rules.violations.size());
      for (std::size_t i = 0; i < plain.rules.violations.size(); ++i)
        CHECK(format_violation(cached.rules.violations[i]) == format_violation(plain.rules.violations[i]));
    }
    CHECK(runner.runs() == all.size());
    CHECK(runner.checks() < runner.runs());  // most schedules repeat a trace
  }
}

}  // namespace
}  // namespace closesim
