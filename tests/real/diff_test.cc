// Two runs side by side: rows for every call step, completion and peer; only real differences
// are marked.
#include <doctest/doctest.h>

#include "closesim/scenario/parser.h"
#include "closesim/real/diff.h"
#include "closesim/run/runner.h"

namespace closesim::real {
namespace {

TEST_CASE("the documented and windows profiles part on C18: status 1236 and a reset") {
  const std::string file = std::string(CLOSESIM_SOURCE_DIR) + "/scenarios/windows/recv_pending_aborts_connection.scn";
  ParseResult p = parse_scenario_file(file);
  REQUIRE(p.ok());
  RunOptions documented, windows;
  documented.profile = ProfileKind::Documented;
  windows.profile = ProfileKind::Windows;
  RunResult a = run_scenario(p.scenario, documented), b = run_scenario(p.scenario, windows);
  RunDiff d = diff_traces(p.scenario, a.trace, b.trace, "documented", "windows");
  const DiffRow* op = nullptr;
  const DiffRow* peer = nullptr;
  for (const DiffRow& r : d.rows) {
    if (r.what == "o1 completes") op = &r;
    if (r.what == "peer(s) saw") peer = &r;
  }
  REQUIRE(op);
  CHECK(op->differs());
  CHECK(op->right.find("ERROR_CONNECTION_ABORTED") != std::string::npos);
  REQUIRE(peer);
  CHECK(peer->right.find("RST") != std::string::npos);
  CHECK(d.differences() >= 2);
  std::string text = render_diff(d);
  CHECK(text.find("! o1 completes") != std::string::npos);
  // The page marks the same rows, with the labels as its column heads and the text escaped.
  d.right_label = "windows <real>";
  std::string html = render_diff_html(d, "c18.scn");
  CHECK(html.find("<th>windows &lt;real&gt;</th>") != std::string::npos);
  CHECK(html.find("<tr class=\"differs\"><td class=\"mark\">!</td><td class=\"what\">o1 completes</td>") !=
        std::string::npos);
  CHECK(html.find(std::to_string(d.differences()) + " differences") != std::string::npos);
}

TEST_CASE("a run compared with itself has no differences") {
  const std::string file = std::string(CLOSESIM_SOURCE_DIR) + "/scenarios/basics/graceful_close.scn";
  ParseResult p = parse_scenario_file(file);
  REQUIRE(p.ok());
  RunResult a = run_scenario(p.scenario, RunOptions{});
  RunDiff d = diff_traces(p.scenario, a.trace, a.trace, "left", "right");
  CHECK(d.differences() == 0);
  CHECK_FALSE(d.rows.empty());
  CHECK(render_diff(d).find("no differences") != std::string::npos);
  const std::string html = render_diff_html(d, "graceful_close.scn");
  CHECK(html.find("class=\"differs\"") == std::string::npos);
  CHECK(html.find("no differences") != std::string::npos);
}

}  // namespace
}  // namespace closesim::real
