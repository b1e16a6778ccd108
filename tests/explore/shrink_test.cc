// The shrinker: what it drops, what it halves, and that what it writes is a scenario that parses
// and fails the same rule when run as written.
#include <doctest/doctest.h>

#include <algorithm>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"

namespace closesim {
namespace {

bool violates(const RunResult& r, RuleId rule) {
  return std::any_of(r.rules.violations.begin(), r.rules.violations.end(),
                     [&](const Violation& v) { return !v.divergence && v.rule == rule; });
}

ShrinkResult shrink(const char* text, Mutant m, RuleId rule) {
  ParseResult p = parse_scenario("big.scn", text);
  REQUIRE(p.ok());
  ShrinkOptions o;
  o.run.mutant = m;
  o.rule = rule;
  return shrink_scenario(p.scenario, o);
}

TEST_CASE("halving stops at the smallest byte count that still fails the rule") {
  // SO_DONTLINGER close that drops queued data (R7) needs data still queued when the close runs
  // at 1ms: at 1MiB/s that is more than 1048 bytes, so 64KiB halves down to 2048.
  const char* text = R"(title "drop queued"
rules R7
0     A.main  s = socket(tcp)      = ok
0     A.main  connect(s)           = 0
0     A.main  e = WSACreateEvent() = ok
0     A.main  send(s, 64KiB)       = 65536
1ms   A.main  closesocket(s)       = 0
2ms   A.t2    WSACreateEvent()     = ok
*     expect  peer(s) received 65536 bytes
)";
  ShrinkResult r = shrink(text, Mutant::DropQueuedOnDontLinger, RuleId::R7);
  REQUIRE_MESSAGE(r.ok, r.error);
  INFO(r.text);
  CHECK(r.steps_before == 7);
  CHECK(r.steps_after == 4);  // socket, connect, send, close
  // Halved in place: the `=` column stays where the file had it, aligned with the other lines.
  CHECK(r.text.find("0     A.main  send(s, 2048)        = 2048\n") != std::string::npos);
  CHECK(r.text.find("0     A.main  s = socket(tcp)      = ok\n") != std::string::npos);
  CHECK(r.text.find("expect") == std::string::npos);
  CHECK(r.text.find("A.t2") == std::string::npos);
  CHECK(r.text.find("rules R7\n") != std::string::npos);
  CHECK(r.text.find("schedule 0\n") != std::string::npos);
  ParseResult p = parse_scenario("small.scn", r.text);
  REQUIRE(p.ok());
  RunOptions o;
  o.mutant = Mutant::DropQueuedOnDontLinger;
  CHECK(violates(run_scenario(p.scenario, o), RuleId::R7));
}

TEST_CASE("a shrunk file keeps its columns, comments included") {
  const char* text = R"(title "drop queued"
rules R7
0     A.main  s = socket(tcp)      = ok
0     A.main  connect(s)           = 0
0     A.main  send(s, 64KiB)       = 65536    # the queue
1ms   A.main  closesocket(s)       = 0
*     expect  peer(s) received 65536 bytes
)";
  ShrinkResult r = shrink(text, Mutant::DropQueuedOnDontLinger, RuleId::R7);
  REQUIRE_MESSAGE(r.ok, r.error);
  INFO(r.text);
  const std::string line = "0     A.main  send(s, 2048)        = 2048     # the queue\n";
  CHECK(r.text.find(line) != std::string::npos);
}

TEST_CASE("a provider given on the command line is written into the shrunk file") {
  const char* text = R"(title "t"
provider ifs
0     A.main  s = socket(tcp)      = ok
0     A.main  connect(s)           = 0
1ms   A.main  closesocket(s)       = 0
1ms   A.t1    recv(s, 10)          = ?
)";
  ParseResult p = parse_scenario("t.scn", text);
  REQUIRE(p.ok());
  ShrinkOptions o;
  o.run.mutant = Mutant::LeaveBlockedCall;
  o.run.provider = ProviderKind::LspNonIfs;
  o.rule = RuleId::R2;
  ShrinkResult r = shrink_scenario(p.scenario, o);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.text.find("provider lsp:nonifs\n") != std::string::npos);
  CHECK(r.text.find("provider ifs") == std::string::npos);
  CHECK(r.schedule == Answers{1});
}

TEST_CASE("shrinking a scenario that never fails the rule says so") {
  const char* text = R"(0 A.main s = socket(tcp) = ok
0 A.main connect(s) = 0
1ms A.main closesocket(s) = 0
)";
  ShrinkResult r = shrink(text, Mutant::None, RuleId::R2);
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("R2") != std::string::npos);
  CHECK(r.text.empty());
}

}  // namespace
}  // namespace closesim
