// Every renderer accepts any RunResult: an empty run, a run cut short while calls are blocked and
// operations pending, records the renderers do not pair, a violation past the end of the trace.
#include <doctest/doctest.h>

#include "closesim/base/errors.h"
#include "closesim/report/report.h"
#include "fixtures.h"

namespace closesim {
namespace {

void render_everything(const RunResult& run) {
  std::string error;
  CHECK(!render_timeline(run).empty());
  CHECK(!render_timeline(run, TimelineOptions{true}).empty());
  CHECK(!render_verdict(run).empty());
  CHECK(!render_check_line(run).empty());
  CHECK(!render_mermaid(run).empty());
  CHECK_MESSAGE(testing::parse_json(render_chrome_trace(run), &error).has_value(), error);
  std::string lines = render_json_lines(run);
  for (std::size_t at = 0, nl; (nl = lines.find('\n', at)) != std::string::npos; at = nl + 1)
    CHECK_MESSAGE(testing::parse_json(lines.substr(at, nl - at), &error).has_value(), error);
  std::vector<RunResult> suite;
  suite.push_back(run);
  CHECK(!render_junit(suite).empty());
  CHECK(!render_tap(suite).empty());
  CHECK(!render_html(suite, rule_coverage(suite)).empty());
}

TEST_CASE("an empty run") {
  RunResult run;
  render_everything(run);
  CHECK(render_timeline(run) ==
        "scenario: \n"
        "provider: nonifs, profile documented, link latency 1ms rate 1MiB/s sndbuf 64KiB\n\n\nPASS\n");
  CHECK(render_check_line(run) == "PASS    end 0, 0 events\n");
}

TEST_CASE("a run cut short, with unpaired records and a late violation") {
  RunResult run = testing::linger_timeout_run();
  Trace cut;
  cut.names() = run.trace.names();
  for (const TraceRecord& r : run.trace.records()) {
    if (r.time > 10 * kMillisecond) break;
    cut.append(r);
  }
  TraceRecord orphan;  // a CallEnd and a completion that nothing began
  orphan.time = 10 * kMillisecond;
  orphan.kind = RecordKind::CallEnd;
  orphan.actor = "B.main";
  orphan.process = "B";
  orphan.call = CallId::Recv;
  orphan.handle = 9;
  orphan.value = -1;
  orphan.error = WSAENOTSOCK;
  cut.append(orphan);
  orphan.kind = RecordKind::OpCompleted;
  orphan.op = "o9";
  orphan.value = 7;  // not a CompletionVia
  cut.append(orphan);
  run.trace = cut;
  run.end_time = 24 * 3600 * kSecond;
  run.stuck.emplace_back("A.main is still blocked in closesocket(s)");
  run.rules.violations.push_back(Violation{RuleId::R4, run.end_time, 9999, "o1 never completed", false});
  render_everything(run);
  std::string text = render_timeline(run);
  CHECK_MESSAGE(text.find("B.main    recv(0x9) returns SOCKET_ERROR WSAENOTSOCK") != std::string::npos, text);
  CHECK(text.find("!! R4 violated at 24h") == std::string::npos);  // 24h prints in seconds
  CHECK(text.find("!! R4 violated at 86400s: o1 never completed (#9999)") != std::string::npos);
  CHECK(text.find("stuck: A.main is still blocked in closesocket(s)") != std::string::npos);
}

}  // namespace
}  // namespace closesim
