// Budgets bound a run's memory as well as its events and virtual time, and a step the run never
// reached is not blamed on a call that does not exist.
#include <doctest/doctest.h>

#include "closesim/scenario/parser.h"
#include "closesim/run/runner.h"
#include "../support/support.h"

namespace closesim {
namespace {

using support::run_text;

// Three lines that send for ever (as far as any budget goes): 1TiB at 1MiB/s.
const char* kEndless =
    "0 A.main s = socket(tcp) = ok\n"
    "0 A.main connect(s) = 0\n"
    "0 A.main send(s, 1048576MiB) = ?\n";

bool mentions(const RunResult& r, const std::string& what) {
  for (const std::string& s : r.stuck)
    if (s.find(what) != std::string::npos) return true;
  return false;
}

TEST_CASE("the trace budget stops an endless send at a bounded size, naming its option") {
  RunOptions o;
  o.max_trace_records = 5000;
  o.max_events = 1'000'000'000;
  o.max_time = kMaxDuration;
  RunResult r = run_text(kEndless, o);
  CHECK(r.verdict() == Verdict::Fail);
  CHECK(mentions(r, "--max-trace-records 5000"));
  CHECK(r.trace.size() >= 5000);
  CHECK(r.trace.size() < 5000 + 4096 * 8);  // checked every slice of events
}

TEST_CASE("the default budgets keep the endless send modest") {
  RunResult r = run_text(kEndless, RunOptions{});
  CHECK(r.verdict() == Verdict::Fail);
  CHECK(r.trace.size() < 250'000);
  CHECK(r.stuck.size() >= 1);
}

TEST_CASE("the event budget still stops a run, and says so") {
  RunOptions o;
  o.max_events = 100;
  RunResult r = run_text(kEndless, o);
  CHECK(r.events == 100);
  CHECK(mentions(r, "--max-events"));
}

TEST_CASE("a step beyond --max-time is reported as not reached, not as blocked") {
  RunOptions o;
  o.max_time = kMillisecond;
  RunResult r = run_text("0 A.main s = socket(tcp) = ok\n1s A.main closesocket(s) = 0\n", o);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].message.find("was not reached before the run stopped") != std::string::npos);
  CHECK(r.failures[0].message.find("--max-time") != std::string::npos);
  CHECK(r.failures[0].message.find("earlier call") == std::string::npos);
}

TEST_CASE("a step due while its thread was blocked is still blamed on the blocking call") {
  RunOptions o;
  o.max_time = 10 * kMillisecond;
  RunResult r = run_text("0 A.main s = socket(tcp) = ok\n0 A.main connect(s) = 0\n"
                         "0...* A.main recv(s, 10) = ?\n5ms A.main closesocket(s) = 0\n", o);
  bool blamed = false;
  for (const ExpectationFailure& f : r.failures)
    blamed = blamed || f.message.find("still blocked in an earlier call") != std::string::npos;
  CHECK(blamed);
}

}  // namespace
}  // namespace closesim
