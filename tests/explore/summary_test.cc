// Outcome classes, the JSON summary and merging: shards merged give the unsharded report.
#include <doctest/doctest.h>

#include <set>

#include "../support/support.h"
#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"

using closesim::support::source_path;

namespace closesim {
namespace {

Scenario load(const char* rel) {
  ParseResult p = parse_scenario_file(source_path(rel));
  REQUIRE(p.ok());
  return p.scenario;
}

ExploreSummary explore(const Scenario& sc, Shard shard = {}, Mutant m = Mutant::None,
                       Strategy strategy = Strategy::Dfs) {
  ExploreOptions o;
  o.strategy = strategy;
  o.shard = shard;
  o.dfs.split_depth = 2;
  o.run.mutant = m;
  return explore_scenario(sc, o);
}

void check_same_classes(const ExploreSummary& a, const ExploreSummary& b) {
  CHECK(a.schedules == b.schedules);
  REQUIRE(a.classes.size() == b.classes.size());
  for (std::size_t i = 0; i < a.classes.size(); ++i) {
    CHECK(a.classes[i].hash == b.classes[i].hash);
    CHECK(a.classes[i].count == b.classes[i].count);
    CHECK(a.classes[i].example == b.classes[i].example);
    CHECK(a.classes[i].signature == b.classes[i].signature);
    CHECK(a.classes[i].violated == b.classes[i].violated);
  }
  REQUIRE(a.expectations.size() == b.expectations.size());
  for (std::size_t i = 0; i < a.expectations.size(); ++i) {
    CHECK(a.expectations[i].line == b.expectations[i].line);
    CHECK(a.expectations[i].failed == b.expectations[i].failed);
    CHECK(a.expectations[i].example == b.expectations[i].example);
  }
}

TEST_CASE("the signature leaves out times and interleavings, and keeps results") {
  const char* early = R"(0 A.main s = socket(tcp) = ok
0 A.main connect(s) = 0
1ms A.main closesocket(s) = 0
)";
  const char* late = R"(0 A.main s = socket(tcp) = ok
0 A.main connect(s) = 0
7ms A.main closesocket(s) = 0
)";
  ParseResult a = parse_scenario("a.scn", early);
  ParseResult b = parse_scenario("b.scn", late);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  OutcomeSignature sa = outcome_signature(run_scenario(a.scenario, RunOptions{}));
  OutcomeSignature sb = outcome_signature(run_scenario(b.scenario, RunOptions{}));
  CHECK(sa.hash == sb.hash);
  CHECK(sa.lines == sb.lines);
  CHECK(std::is_sorted(sa.lines.begin(), sa.lines.end()));
  CHECK(std::find(sa.lines.begin(), sa.lines.end(), "A.main closesocket (line 3) = 0") != sa.lines.end());
  CHECK(std::find(sa.lines.begin(), sa.lines.end(), "peer(s) sees FIN") != sa.lines.end());
  CHECK(std::find(sa.lines.begin(), sa.lines.end(),
                  "A releases s (WPUCloseSocketHandle, layer 0)") != sa.lines.end());
  CHECK(hash_text(sa.hash).size() == 16);
}

TEST_CASE("classes count every schedule, each with its least schedule as the example") {
  ExploreSummary s = explore(load("/scenarios/races/close_vs_two_blocked_recvs.scn"));
  std::uint64_t total = 0;
  for (const OutcomeClass& c : s.classes) total += c.count;
  CHECK(total == s.schedules);
  for (std::size_t i = 1; i < s.classes.size(); ++i)
    CHECK(s.classes[i - 1].count >= s.classes[i].count);
  // Each example replays into its own class.
  for (const OutcomeClass& c : s.classes) {
    RunResult r = replay_schedule(load("/scenarios/races/close_vs_two_blocked_recvs.scn"), RunOptions{}, c.example);
    CHECK(outcome_signature(r).hash == c.hash);
  }
}

TEST_CASE("the union of shards 0/3, 1/3 and 2/3 is the unsharded exploration") {
  for (const char* rel : {"/scenarios/races/close_vs_two_blocked_recvs.scn",
                          "/scenarios/races/handle_reuse_vs_late_completion.scn",
                          "/scenarios/races/close_vs_overlapped_completion.scn"}) {
    CAPTURE(rel);
    Scenario sc = load(rel);
    ExploreSummary whole = explore(sc);
    std::vector<ExploreSummary> parts;
    std::uint64_t total = 0;
    for (std::uint32_t i = 0; i < 3; ++i) {
      parts.push_back(explore(sc, Shard{i, 3}));
      total += parts.back().schedules;
    }
    CHECK(total == whole.schedules);
    std::string error;
    // Merged in any order, through JSON and back.
    std::vector<ExploreSummary> reread;
    for (std::size_t i : {2u, 0u, 1u}) {
      std::optional<ExploreSummary> back = summary_from_json(summary_to_json(parts[i]), &error);
      REQUIRE_MESSAGE(back.has_value(), error);
      reread.push_back(*back);
    }
    std::optional<ExploreSummary> merged = merge_summaries(reread, &error);
    REQUIRE_MESSAGE(merged.has_value(), error);
    check_same_classes(*merged, whole);
    CHECK(merged->exhaustive());
    CHECK(merged->complete_shards());
    // The same report, but for the strategy line, which names the shards.
    auto without_strategy = [](std::string text) {
      const std::size_t at = text.find("strategy: ");
      return text.erase(at, text.find('\n', at) - at);
    };
    CHECK(without_strategy(render_explore_report(*merged)) ==
          without_strategy(render_explore_report(whole)));
    CHECK(render_explore_report(*merged).find("shards 0,1,2 of 3") != std::string::npos);
  }
}

TEST_CASE("dpor shards together find every outcome class, and only all of them are exhaustive") {
  for (const char* rel : {"/scenarios/races/close_vs_two_blocked_recvs.scn",
                          "/scenarios/races/handle_reuse_vs_late_completion.scn",
                          "/scenarios/races/close_vs_five_blocked_recvs.scn"}) {
    CAPTURE(rel);
    Scenario sc = load(rel);
    ExploreSummary whole = explore(sc, {}, Mutant::None, Strategy::Dpor);
    REQUIRE(whole.exhaustive());
    std::vector<ExploreSummary> parts;
    for (std::uint32_t i = 0; i < 3; ++i) {
      parts.push_back(explore(sc, Shard{i, 3}, Mutant::None, Strategy::Dpor));
      CHECK_FALSE(parts.back().exhaustive());
      CHECK(render_explore_report(parts.back()).find("only: merge all 3 for the whole") != std::string::npos);
      CHECK(render_explore_report(parts.back()).find("PASS (not exhaustive)") != std::string::npos);
    }
    std::string error;
    std::optional<ExploreSummary> two = merge_summaries({parts[0], parts[2]}, &error);
    REQUIRE(two.has_value());
    CHECK_FALSE(two->exhaustive());
    CHECK(render_explore_report(*two).find("; exhaustive)") == std::string::npos);
    std::vector<ExploreSummary> reread;
    for (const ExploreSummary& part : parts) {
      std::optional<ExploreSummary> back = summary_from_json(summary_to_json(part), &error);
      REQUIRE_MESSAGE(back.has_value(), error);
      CHECK(back->traces == part.traces);
      reread.push_back(*back);
    }
    std::optional<ExploreSummary> merged = merge_summaries(reread, &error);
    REQUIRE_MESSAGE(merged.has_value(), error);
    CHECK(merged->exhaustive());
    CHECK(merged->traces >= whole.traces);
    std::set<std::uint64_t> a, b;
    for (const OutcomeClass& c : merged->classes) a.insert(c.hash);
    for (const OutcomeClass& c : whole.classes) b.insert(c.hash);
    CHECK(a == b);
  }
}

TEST_CASE("a summary survives JSON unchanged") {
  ExploreSummary s = explore(load("/scenarios/races/close_vs_blocking_recv.scn"), {}, Mutant::LeaveBlockedCall);
  std::string error;
  std::optional<ExploreSummary> back = summary_from_json(summary_to_json(s), &error);
  REQUIRE_MESSAGE(back.has_value(), error);
  check_same_classes(*back, s);
  CHECK(back->mutant == "leave-blocked-call");
  CHECK(back->classes[1].violations == s.classes[1].violations);
  CHECK(back->classes[1].stuck == s.classes[1].stuck);
  CHECK(summary_to_json(*back) == summary_to_json(s));
  CHECK(render_explore_report(*back) == render_explore_report(s));
  CHECK(explore_exit_status(*back) == 1);
}

TEST_CASE("merge refuses summaries that do not belong together") {
  Scenario sc = load("/scenarios/races/close_vs_blocking_recv.scn");
  ExploreSummary a = explore(sc, Shard{0, 2});
  ExploreSummary b = explore(sc, Shard{1, 2});
  std::string error;
  CHECK(merge_summaries({a, a}, &error) == std::nullopt);
  CHECK(error.find("more than one summary") != std::string::npos);
  ExploreSummary other = b;
  other.mutant = "no-abort";
  CHECK(merge_summaries({a, other}, &error) == std::nullopt);
  CHECK(error.find("mutant") != std::string::npos);
  other = b;
  other.split_depth = 9;
  CHECK(merge_summaries({a, other}, &error) == std::nullopt);
  CHECK(merge_summaries({}, &error) == std::nullopt);
  std::optional<ExploreSummary> half = merge_summaries({a}, &error);
  REQUIRE(half.has_value());
  CHECK_FALSE(half->complete_shards());
  CHECK_FALSE(half->exhaustive());
}

TEST_CASE("bad JSON is an error with a place, never a crash") {
  std::string error;
  CHECK_FALSE(summary_from_json("", &error));
  CHECK_FALSE(error.empty());
  CHECK_FALSE(summary_from_json("{\"format\": \"closesim-explore/1\",\n \"file\": 3}", &error));
  CHECK(error.find("file") != std::string::npos);
  CHECK_FALSE(summary_from_json("[1, 2", &error));
  CHECK(error.find("line 1") != std::string::npos);
  CHECK_FALSE(summary_from_json("{\"format\": \"other\"}", &error));
  CHECK_FALSE(summary_from_json("{\"a\": \"\\u00e9\"} x", &error));
  // Every prefix of a real summary fails cleanly.
  ExploreSummary s = explore(load("/scenarios/races/close_vs_blocking_recv.scn"));
  const std::string json = summary_to_json(s);
  for (std::size_t n = 0; n + 1 < json.size(); n += 7) CHECK_FALSE(summary_from_json(json.substr(0, n), &error));
}

TEST_CASE("an expectation that fails in some schedules only is reported as depending on the schedule") {
  const char* text = R"(title "depends"
0    A.main  s = socket(tcp) = ok
0    A.main  connect(s) = 0
1ms  A.main  closesocket(s) = 0
1ms  A.t1    recv(s, 10) = SOCKET_ERROR WSAENOTSOCK
)";
  ParseResult p = parse_scenario("d.scn", text);
  REQUIRE(p.ok());
  ExploreSummary s = explore_scenario(p.scenario, ExploreOptions{});
  REQUIRE(s.expectations.size() == 1);
  CHECK(s.expectations[0].line == 5);
  CHECK(s.expectations[0].failed > 0);
  CHECK(s.expectations[0].failed < s.schedules);
  CHECK(explore_exit_status(s) == 0);
  const std::string report = render_explore_report(s);
  CHECK(report.find("depends on schedule") != std::string::npos);
  CHECK(report.find("PASS") != std::string::npos);

  ExploreOptions strict;
  strict.expect_all = true;
  ExploreSummary all = explore_scenario(p.scenario, strict);
  CHECK(explore_exit_status(all) == 1);
  CHECK(render_explore_report(all).find("FAIL") != std::string::npos);
}

TEST_CASE("an expectation that fails in every schedule is a plain failure") {
  const char* text = R"(0 A.main s = socket(tcp) = ok
0 A.main connect(s) = 0
1ms A.main closesocket(s) = 5
)";
  ParseResult p = parse_scenario("w.scn", text);
  REQUIRE(p.ok());
  ExploreSummary s = explore_scenario(p.scenario, ExploreOptions{});
  CHECK(explore_exit_status(s) == 1);
  CHECK(render_explore_report(s).find("fails in every schedule") != std::string::npos);
}

TEST_CASE("exploring twice gives byte-identical reports and JSON") {
  Scenario sc = load("/scenarios/races/handle_reuse_vs_late_completion.scn");
  CHECK(render_explore_report(explore(sc)) == render_explore_report(explore(sc)));
  CHECK(summary_to_json(explore(sc)) == summary_to_json(explore(sc)));
  ExploreOptions pct;
  pct.strategy = Strategy::Pct;
  pct.pct.runs = 30;
  pct.pct.seed = 9;
  CHECK(summary_to_json(explore_scenario(sc, pct)) == summary_to_json(explore_scenario(sc, pct)));
}

TEST_CASE("random and pct runs are sharded by run number") {
  Scenario sc = load("/scenarios/races/close_vs_two_blocked_recvs.scn");
  for (Strategy st : {Strategy::Random, Strategy::Pct}) {
    ExploreOptions o;
    o.strategy = st;
    o.random.runs = o.pct.runs = 40;
    o.random.seed = o.pct.seed = 5;
    ExploreSummary whole = explore_scenario(sc, o);
    std::vector<ExploreSummary> parts;
    for (std::uint32_t i = 0; i < 3; ++i) {
      ExploreOptions part = o;
      part.shard = Shard{i, 3};
      parts.push_back(explore_scenario(sc, part));
    }
    std::string error;
    std::optional<ExploreSummary> merged = merge_summaries(parts, &error);
    REQUIRE_MESSAGE(merged.has_value(), error);
    check_same_classes(*merged, whole);
  }
}

}  // namespace
}  // namespace closesim
