// Partial-order reduction against brute force: on every bundled race, under the correct model
// and under each mutant, DPOR finds exactly the outcome classes that running every schedule
// finds (never one lost), while running at most as many schedules.
#include <doctest/doctest.h>

#include <set>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"
#include "closesim/world/mutant.h"
#include "../support/support.h"

using closesim::support::source_path;

namespace closesim {
namespace {

std::set<std::uint64_t> classes_of(const ExploreSummary& s) {
  std::set<std::uint64_t> out;
  for (const OutcomeClass& c : s.classes) out.insert(c.hash);
  return out;
}

TEST_CASE("dpor finds the same outcome classes as every schedule, on every race and mutant") {
  std::vector<Diagnostic> errors;
  std::vector<std::string> files = find_scenarios({source_path("/scenarios/races")}, &errors);
  REQUIRE(errors.empty());
  REQUIRE(files.size() >= 6);
  std::vector<Mutant> mutants{Mutant::None};
  for (const MutantInfo& info : mutant_catalogue()) mutants.push_back(info.mutant);
  // The sanitized build (twenty times slower here) runs every race under the correct model and
  // each mutant on one race, round robin, so every race and every mutant still pass through
  // ASan and UBSan; the plain build runs the whole cross product.
#ifdef CLOSESIM_SANITIZED
  constexpr bool kCrossProduct = false;
#else
  constexpr bool kCrossProduct = true;
#endif
  int compared = 0;
  for (std::size_t fi = 0; fi < files.size(); ++fi) {
    const std::string& f = files[fi];
    ParseResult p = parse_scenario_file(f);
    REQUIRE(p.ok());
    for (std::size_t mi = 0; mi < mutants.size(); ++mi) {
      const Mutant m = mutants[mi];
      if (!kCrossProduct && mi != 0 && (mi - 1) % files.size() != fi) continue;
      CAPTURE(f);
      CAPTURE(mutant_name(m));
      ExploreOptions reduced;
      reduced.run.mutant = m;
      reduced.strategy = Strategy::Dpor;
      ExploreSummary por = explore_scenario(p.scenario, reduced);
      CHECK(por.exhaustive());
      for (const OutcomeClass& c : por.classes) {  // every reported class replays exactly
        RunOptions replay;
        replay.mutant = m;
        CHECK(outcome_signature(replay_schedule(p.scenario, replay, c.example)).hash == c.hash);
      }
      // Brute force is the oracle where it is affordable; the k-recv races are checked below.
      if (por.traces > 16) continue;
      ExploreOptions brute = reduced;
      brute.strategy = Strategy::Dfs;
      brute.dfs.max_schedules = 20'000;
      ExploreSummary all = explore_scenario(p.scenario, brute);
      REQUIRE(all.exhaustive());
      ++compared;
      CHECK(classes_of(por) == classes_of(all));
      CHECK(por.schedules <= all.schedules);
      CHECK(por.schedules <= 2 * por.traces);
      CHECK(por.traces == all.traces);
    }
  }
  CHECK(compared >= (kCrossProduct ? 8 * 20 : 8));
}

TEST_CASE("a close racing eight blocking recvs: 2^8 traces, each recv before or after the close") {
  ParseResult p = parse_scenario_file(source_path("/scenarios/races/close_vs_eight_blocked_recvs.scn"));
  REQUIRE(p.ok());
  ExploreSummary s = explore_scenario(p.scenario, ExploreOptions{});
  CHECK(s.strategy == "dpor");
  CHECK(s.exhaustive());
  CHECK(s.traces == 256);
  CHECK(s.schedules <= 2 * s.traces);
  CHECK(s.classes.size() == 256);  // which threads saw WSAENOTSOCK and which WSAEINTR
  CHECK(explore_exit_status(s) == 0);
  ExploreOptions bad;
  bad.run.mutant = Mutant::LeaveBlockedCall;
  ExploreSummary found = explore_scenario(p.scenario, bad);
  CHECK(found.exhaustive());
  CHECK(explore_exit_status(found) == 1);
  REQUIRE(found.first_violation.has_value());
  CHECK(found.first_violation->rule == RuleId::R2);
}

}  // namespace
}  // namespace closesim

namespace closesim {
namespace {

TEST_CASE("auto falls back to pct when dpor cannot finish, and says what that covered") {
  ParseResult p = parse_scenario_file(source_path("/scenarios/races/close_vs_eight_blocked_recvs.scn"));
  REQUIRE(p.ok());
  ExploreOptions o;
  o.dpor.max_schedules = 10;
  o.pct.runs = 20;
  ExploreSummary s = explore_scenario(p.scenario, o);
  CHECK(s.truncated);
  CHECK(s.fallback_runs == 20);
  CHECK(s.fallback_depths == 3);
  CHECK(s.schedules == 10 + 3 * 20);
  CHECK_FALSE(s.exhaustive());
  const std::string report = render_explore_report(s);
  CHECK(report.find("then pct at depths 1-3") != std::string::npos);
  CHECK(report.find("PASS (not exhaustive)") != std::string::npos);
  CHECK(report.find("at depth 3") != std::string::npos);
  CHECK(explore_exit_status(s) == 0);
  CHECK(explore_exit_status(s, /*require_exhaustive=*/true) == 1);
  o.strategy = Strategy::Dpor;  // plain dpor stops at its budget, with no fallback
  ExploreSummary d = explore_scenario(p.scenario, o);
  CHECK(d.fallback_runs == 0);
  CHECK(d.schedules == 10);
}

}  // namespace
}  // namespace closesim
