// JSON lines: every line is one well-formed object with the documented fields.
#include <sstream>

#include <doctest/doctest.h>

#include "closesim/report/report.h"
#include "fixtures.h"

namespace closesim {
namespace {

using testing::Json;

std::vector<Json> parse_lines(const std::string& text) {
  std::vector<Json> out;
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    std::string error;
    auto v = testing::parse_json(line, &error);
    INFO("line " << n << ": " << line);
    REQUIRE_MESSAGE(v.has_value(), error);
    REQUIRE(v->kind == Json::Kind::Object);
    out.push_back(*v);
  }
  return out;
}

TEST_CASE("JSON lines: one object per record, then the verdict") {
  RunResult run = testing::hard_close_run();
  std::string text = render_json_lines(run);
  testing::check_golden("hard_close.jsonl", text);
  std::vector<Json> lines = parse_lines(text);
  REQUIRE(lines.size() == run.trace.size() + 1);

  const char* fields[] = {"type",  "time_ns", "seq",   "kind",   "rule",  "actor",      "process",
                          "handle", "handle_name", "socket", "peer", "layer", "call", "op",
                          "value", "value2", "bytes", "error", "error_name", "text", "line"};
  for (std::size_t i = 0; i < run.trace.size(); ++i) {
    const Json& o = lines[i];
    REQUIRE(o.object.size() == std::size(fields));
    for (std::size_t k = 0; k < std::size(fields); ++k) CHECK(o.object[k].first == fields[k]);
    CHECK(o.get("type")->string == "record");
    CHECK(o.get("seq")->number == static_cast<double>(i));
  }
  std::size_t dropped = 0;  // the close's RefCount: a record naming the handle and its peer
  for (const TraceRecord& r : run.trace.records())
    if (r.kind == RecordKind::RefCount) dropped = r.seq;
  const Json& close = lines[dropped];
  CHECK(close.get("kind")->string == "RefCount");
  CHECK(close.get("rule")->string == "R6");
  CHECK(close.get("handle_name")->string == "s");
  CHECK(close.get("peer")->string == "peer(s)");
  CHECK(close.get("time_ns")->number == 1e6);

  const Json& verdict = lines.back();
  CHECK(verdict.get("type")->string == "verdict");
  CHECK(verdict.get("verdict")->string == "fail");
  CHECK(verdict.get("exit_status")->number == 1);
  CHECK(verdict.get("title")->string == "Hard close discards queued data & resets the peer <RST>");
  REQUIRE(verdict.get("failures")->array.size() == 1);
  CHECK(verdict.get("failures")->array[0].get("line")->number == 16);
  REQUIRE(verdict.get("violations")->array.size() == 1);
  CHECK(verdict.get("violations")->array[0].get("rule")->string == "R11");
  CHECK(verdict.get("violations")->array[0].get("counts")->boolean);
}

TEST_CASE("JSON lines escape what JSON requires") {
  RunResult run = testing::linger_timeout_run();
  run.scenario.title = "quote \" backslash \\ tab \t newline \n bell \x07 bad \xff utf8 \xC3\xA9";
  std::vector<Json> lines = parse_lines(render_json_lines(run));
  CHECK(lines.back().get("title")->string ==
        "quote \" backslash \\ tab \t newline \n bell \x07 bad \xEF\xBF\xBD utf8 \xC3\xA9");
  CHECK(lines.back().get("verdict")->string == "pass");
}

TEST_CASE("JSON lines of a file that does not parse: only the verdict") {
  std::vector<Json> lines = parse_lines(render_json_lines(testing::parse_error_run()));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].get("verdict")->string == "error");
  CHECK(lines[0].get("exit_status")->number == 2);
  REQUIRE(lines[0].get("diagnostics")->array.size() == 2);
  CHECK(lines[0].get("diagnostics")->array[0].get("hint")->string == "did you mean 'closesocket'?");
}

}  // namespace
}  // namespace closesim
