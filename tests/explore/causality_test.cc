// Causality: a step that names what another thread's step makes runs after it, a peer acts only
// once its connection exists, and `then` keeps an order the script fixes — so exploration never
// reports orders no real program could produce. Every bundled scenario, explored in full, holds
// its expectations in every schedule.
#include <doctest/doctest.h>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"
#include "closesim/run/runner.h"

#include <fmt/format.h>
#include "../support/support.h"

using closesim::support::source_path;

namespace closesim {
namespace {

Scenario parse_text(const std::string& text) {
  ParseResult p = parse_scenario("causal.scn", text);
  REQUIRE(p.ok());
  return p.scenario;
}

TEST_CASE("no bundled scenario's expectation depends on the schedule") {
  std::vector<Diagnostic> errors;
  std::vector<std::string> files = find_scenarios({source_path("/scenarios")}, &errors);
  REQUIRE(errors.empty());
  REQUIRE(files.size() >= 40);
  for (const std::string& f : files) {
    CAPTURE(f);
    ParseResult p = parse_scenario_file(f);
    REQUIRE(p.ok());
    ExploreSummary s = explore_scenario(p.scenario, ExploreOptions{});
    CHECK(s.exhaustive());
    for (const ExpectationTally& e : s.expectations) {
      CAPTURE(e.line);
      CAPTURE(e.message);
      CHECK(e.failed == 0);
    }
    CHECK(explore_exit_status(s) == 0);
  }
}

TEST_CASE("a name made at the same instant by another thread is used only after it is made") {
  // Written user-first: without causality an explored order ran the WSASocket before the
  // WSADuplicateSocket that makes `info`, and it failed.
  Scenario sc = parse_text(
      "0 A.main s = socket(tcp) = ok\n"
      "0 A.main connect(s) = 0\n"
      "1ms A.main info = WSADuplicateSocket(s, B) = ok\n"
      "1ms B.main d = WSASocket(info) = ok\n"
      "1ms A.t2 p = CreateIoCompletionPort(s, 7) = ok\n"
      "1ms A.t3 GetQueuedCompletionStatus(p, 0) = WAIT_TIMEOUT\n");
  ExploreSummary s = explore_scenario(sc, ExploreOptions{});
  CHECK(s.exhaustive());
  CHECK(s.expectations.empty());
  CHECK(s.classes.size() == 1);
}

TEST_CASE("a peer acts only once its connection exists") {
  Scenario sc = parse_text(
      "0 A.main s = socket(tcp) = ok\n"
      "0 A.main connect(s) = 0\n"
      "0 peer(s) send 100\n"
      "1ms...* A.main recv(s, 100) = 100\n");
  ExploreSummary s = explore_scenario(sc, ExploreOptions{});
  CHECK(s.exhaustive());
  CHECK(s.expectations.empty());
}

TEST_CASE("`then` orders a step after the one before it, at the same instant") {
  const std::string body =
      "link latency=1ms rate=1MiB/s\n"
      "0 A.main s = socket(tcp) = ok\n"
      "0 A.main connect(s) = 0\n"
      "0 peer(s) stop_reading\n"
      "{} A.main send(s, 4KiB) = 4096\n"
      "*  expect peer(s) received 0 bytes\n";
  Scenario ordered = parse_text(fmt::format(fmt::runtime(body), "then"));
  REQUIRE(ordered.steps.size() == 5);
  CHECK(ordered.steps[3].time.after_previous);
  CHECK(ordered.steps[3].time.start == 0);
  ExploreSummary s = explore_scenario(ordered, ExploreOptions{});
  CHECK(s.expectations.empty());
  // With `+0` the two are left open: the link may take the first segment before the peer stops.
  Scenario open = parse_text(fmt::format(fmt::runtime(body), "+0"));
  CHECK_FALSE(open.steps[3].time.after_previous);
  ExploreSummary t = explore_scenario(open, ExploreOptions{});
  REQUIRE(t.expectations.size() == 1);
  CHECK(t.expectations[0].failed > 0);
  CHECK(t.expectations[0].failed < t.schedules);
}

}  // namespace
}  // namespace closesim
