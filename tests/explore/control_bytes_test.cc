// The exploration report prints the scenario's title: a title's control bytes (ESC, OSC) are shown
// escaped, never written raw to the terminal.
#include <algorithm>

#include <doctest/doctest.h>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"

namespace closesim {
namespace {

TEST_CASE("an exploration report shows a title's control bytes escaped") {
  ParseResult p = parse_scenario("t.scn",
                                 "title \"a \x1b]0;pwned\x07 b \x1b[2J\"\n0 A.main s = socket(tcp) = ok\n"
                                 "1ms A.main closesocket(s) = 0\n");
  REQUIRE(p.ok());
  const std::string text = render_explore_report(explore_scenario(p.scenario, ExploreOptions{}), {});
  CHECK(std::none_of(text.begin(), text.end(), [](char c) { return c == '\x1b' || c == '\x07'; }));
  CHECK(text.find("title:    a \\x1b]0;pwned\\x07 b \\x1b[2J\n") != std::string::npos);
}

}  // namespace
}  // namespace closesim
