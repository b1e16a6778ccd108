// The runner as a user meets it: scenario text in, verdict, messages and output out.
#include <doctest/doctest.h>

#include <filesystem>

#include "closesim/scenario/parser.h"
#include "closesim/report/report.h"
#include "closesim/run/runner.h"
#include "../support/support.h"

namespace closesim {
namespace {

using support::run_text;
using support::source_path;

const char* kGraceful = R"(title "graceful"
0        A.main   s = socket(tcp)            = ok
0        A.main   connect(s)                 = 0
0        A.main   send(s, 64KiB)             = 65536
1ms      A.main   closesocket(s)             = 0
+0       expect   WPUCloseSocketHandle(s)
63.5ms   expect   peer(s) sees FIN
*        expect   peer(s) received 65536 bytes
)";

TEST_CASE("a scenario whose expectations hold passes") {
  RunResult r = run_text(kGraceful);
  CHECK(r.failures.empty());
  CHECK(r.stuck.empty());
  CHECK(r.verdict() == Verdict::Pass);
  CHECK(r.exit_status() == 0);
}

TEST_CASE("a wrong result names the line, the expected and the actual result and time") {
  RunResult r = run_text(R"(0  A.main  s = socket(tcp) = ok
0  A.main  connect(s) = 0
1ms...5ms  A.t1  recv(s, 1024) = SOCKET_ERROR WSAEINTR
5ms  A.main  closesocket(s) = SOCKET_ERROR WSAENOTSOCK
)");
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].line == 4);
  CHECK(r.failures[0].message ==
        "expected closesocket(s) = SOCKET_ERROR WSAENOTSOCK at 5ms, got 0 at 5ms");
  CHECK(r.exit_status() == 1);
}

TEST_CASE("a call that blocks where the script says it returns at once is a failure") {
  RunResult r = run_text(R"(0  A.main  s = socket(tcp) = ok
0  A.main  connect(s) = 0
1ms  A.main  recv(s, 10) = 10
2ms  peer(s) send 10
)");
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].message == "expected recv(s, 10) = 10 at 1ms, got 10 at 3ms");
}

TEST_CASE("a timed expectation that happens at another time says when it did happen") {
  RunResult r = run_text(R"(0  A.main  s = socket(tcp) = ok
0  A.main  connect(s) = 0
1ms  A.main  closesocket(s) = 0
3ms  expect  peer(s) sees FIN
)");
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].line == 4);
  CHECK(r.failures[0].message == "expected peer(s) sees FIN at 3ms, got it at 2ms");
}

TEST_CASE("a thread blocked for ever is reported as stuck, naming the call and its line") {
  RunResult r = run_text(R"(0  A.main  s = socket(tcp) = ok
0  A.main  connect(s) = 0
1ms...*  A.main  recv(s, 10) = ?
)");
  REQUIRE(r.stuck.size() == 1);
  CHECK(r.stuck[0] == "A.main is still blocked in recv (line 3): waiting for data; nothing left "
                      "can wake it");
  CHECK(r.verdict() == Verdict::Fail);
}

TEST_CASE("the virtual-time budget stops a run that would go on too long") {
  RunOptions o;
  o.max_time = 10 * kMillisecond;
  RunResult r = run_text(kGraceful, o);
  REQUIRE_FALSE(r.stuck.empty());
  CHECK(r.stuck[0].find("virtual-time budget") != std::string::npos);
}

TEST_CASE("the event budget stops a run") {
  RunOptions o;
  o.max_events = 20;
  RunResult r = run_text(kGraceful, o);
  REQUIRE_FALSE(r.stuck.empty());
  CHECK(r.stuck[0].find("event budget") != std::string::npos);
}

TEST_CASE("expectations off: only the rules judge") {
  RunOptions o;
  o.expectations = false;
  RunResult r = run_text(R"(0  A.main  s = socket(tcp) = ok
0  A.main  closesocket(s) = 12345
*  expect  peer(s) sees RST
)", o);
  CHECK(r.failures.empty());
  CHECK(r.verdict() == Verdict::Pass);
}

TEST_CASE("a name used before any step makes it is a located error") {
  std::filesystem::path p = std::filesystem::temp_directory_path() / "closesim_names_test.scn";
  {
    FILE* f = std::fopen(p.string().c_str(), "w");
    REQUIRE(f);
    std::fputs("0 A.main connect(s) = 0\n0 A.main s = socket(tcp) = ok\n", f);
    std::fclose(f);
  }
  RunResult r = run_file(p.string(), {});
  std::filesystem::remove(p);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].line == 1);
  CHECK(r.diagnostics[0].column == 18);
  CHECK(r.diagnostics[0].message == "'s' is used before line 2 makes it");
  CHECK(r.exit_status() == 2);
}

TEST_CASE("a seeded run is reproducible and may differ from the script's order") {
  const char* race = R"(0  A.main  s = socket(tcp) = ok
0  A.main  connect(s) = 0
1ms  A.main  closesocket(s) = ?
1ms  A.t1  recv(s, 10) = ?
1ms  A.t2  send(s, 10) = ?
)";
  RunOptions o;
  o.randomize = true;
  o.seed = 3;
  RunResult a = run_text(race, o);
  RunResult b = run_text(race, o);
  CHECK(a.trace.hash() == b.trace.hash());
  CHECK(a.config.schedule == b.config.schedule);
  RunOptions replay;
  replay.schedule = std::vector<std::size_t>{};
  for (char c : a.config.schedule)
    if (c != '.') replay.schedule->push_back(static_cast<std::size_t>(c - '0'));
  CHECK(run_text(race, replay).trace.hash() == a.trace.hash());
}

// Every bundled scenario, run twice, prints byte-identical output (timeline and JSON).
TEST_CASE("every bundled scenario gives byte-identical output on a second run") {
  std::vector<Diagnostic> errors;
  std::vector<std::string> files =
      find_scenarios({source_path("scenarios")}, &errors);
  CHECK(errors.empty());
  CHECK(files.size() >= 28);
  for (const std::string& f : files) {
    CAPTURE(f);
    RunResult a = run_file(f, {});
    RunResult b = run_file(f, {});
    CHECK(render_timeline(a, TimelineOptions{true}) == render_timeline(b, TimelineOptions{true}));
    CHECK(render_json_lines(a) == render_json_lines(b));
    CHECK(a.trace.hash() == b.trace.hash());
  }
}

}  // namespace
}  // namespace closesim
