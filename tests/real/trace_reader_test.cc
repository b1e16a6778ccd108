// Reading traces in the documented JSON-lines format: closesim's own output reads back record for
// record; a harness's mistakes become located diagnostics.
#include <doctest/doctest.h>

#include "closesim/real/trace_reader.h"
#include "closesim/report/report.h"
#include "closesim/run/runner.h"

namespace closesim::real {
namespace {

TEST_CASE("closesim's own --format json reads back as the same records and names") {
  RunResult run = run_file(std::string(CLOSESIM_SOURCE_DIR) + "/scenarios/basics/graceful_close.scn", RunOptions{});
  REQUIRE(run.verdict() == Verdict::Pass);
  TraceReadResult read = read_trace(render_json_lines(run), "graceful.jsonl");
  REQUIRE(read.ok());
  const auto& a = run.trace.records();
  const auto& b = read.trace.records();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i);
    CHECK(a[i].kind == b[i].kind);
    CHECK(a[i].time == b[i].time);
    CHECK(a[i].rule == b[i].rule);
    CHECK(a[i].actor == b[i].actor);
    CHECK(a[i].handle == b[i].handle);
    CHECK(a[i].socket == b[i].socket);
    CHECK(a[i].value == b[i].value);
    CHECK(a[i].bytes == b[i].bytes);
    CHECK(a[i].error == b[i].error);
    CHECK(a[i].text == b[i].text);
    CHECK(a[i].line == b[i].line);
  }
  CHECK(read.trace.hash() == run.trace.hash());
  CHECK(read.trace.peer_name(1) == "peer(s)");
}

TEST_CASE("bad lines are diagnostics with line, column and a hint; good lines still count") {
  const std::string text =
      "{\"type\":\"record\",\"time_ns\":5,\"kind\":\"CallBegin\",\"actor\":\"A.main\",\"call\":\"socket\"}\n"
      "not json\n"
      "{\"type\":\"record\",\"time_ns\":6,\"kind\":\"Teleported\"}\n"
      "{\"type\":\"record\",\"time_ns\":\"7\",\"kind\":\"CallEnd\"}\n"
      "{\"type\":\"record\",\"time_ns\":1,\"kind\":\"CallEnd\"}\n"
      "{\"type\":\"verdict\",\"verdict\":\"pass\"}\n";
  TraceReadResult read = read_trace(text, "harness.jsonl");
  REQUIRE(read.diagnostics.size() == 4);
  CHECK(read.diagnostics[0].line == 2);
  CHECK(read.diagnostics[1].line == 3);
  CHECK(read.diagnostics[1].message.find("Teleported") != std::string::npos);
  CHECK(read.diagnostics[1].column > 1);
  CHECK(read.diagnostics[2].message.find("time_ns") != std::string::npos);
  CHECK(read.diagnostics[3].message.find("goes back") != std::string::npos);
  for (const Diagnostic& d : read.diagnostics) {
    CHECK(d.file == "harness.jsonl");
    CHECK_FALSE(d.hint.empty());
  }
  REQUIRE(read.trace.size() == 1);
  CHECK(read.trace.records()[0].call == CallId::Socket);
}

TEST_CASE("a missing file is one diagnostic, not an exception") {
  TraceReadResult read = read_trace_file("/nonexistent/trace.jsonl");
  REQUIRE(read.diagnostics.size() == 1);
  CHECK(read.diagnostics[0].line == 0);
}

}  // namespace
}  // namespace closesim::real

#include "closesim/real/stack.h"

namespace closesim::real {
namespace {

TEST_CASE("a missing Wine or runner is named, with the command that gets it") {
  StackConfig c;
  c.wine = "/nonexistent/wine64";
  c.runner = "/nonexistent/realstack.exe";
  CHECK(stack_missing(c).find("make real") != std::string::npos);
  CHECK(stack_missing(c).find("wine64") != std::string::npos);
  c.wine.clear();  // natively on Windows: only the runner is needed
  CHECK(stack_missing(c).find("realstack.exe") != std::string::npos);
  StackRun run = play_on_stack(Plan{}, c, "nothing");
  CHECK_FALSE(run.ok);
  CHECK_FALSE(run.error.empty());
}

}  // namespace
}  // namespace closesim::real
