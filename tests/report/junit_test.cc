// JUnit XML for CI: one testcase per scenario, failures and parse errors, XML escaping.
#include <doctest/doctest.h>

#include "closesim/report/report.h"
#include "fixtures.h"
#include "../support/text.h"

namespace closesim {
namespace {

using support::count;

std::vector<RunResult> suite() {
  std::vector<RunResult> s;
  s.push_back(testing::linger_timeout_run());
  s.push_back(testing::hard_close_run());
  s.push_back(testing::parse_error_run());
  return s;
}

TEST_CASE("JUnit: one testcase per scenario") {
  std::string xml = render_junit(suite());
  testing::check_golden("suite.junit.xml", xml);
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ", 0) == 0);
  CHECK(count(xml, "<testcase ") == 3);
  CHECK(count(xml, "<failure ") == 1);
  CHECK(count(xml, "<error ") == 1);
  CHECK(xml.find("tests=\"3\" failures=\"1\" errors=\"1\"") != std::string::npos);
  CHECK(xml.find("classname=\"scenarios.linger\" name=\"linger_timeout\"") != std::string::npos);
  CHECK(xml.find("classname=\"scenarios.broken\" name=\"typo\"") != std::string::npos);
  // The title has '&' and '<RST>': escaped everywhere, never raw.
  CHECK(xml.find("&amp; resets the peer &lt;RST&gt;") != std::string::npos);
  CHECK(xml.find("<RST>") == std::string::npos);
}

TEST_CASE("JUnit of an empty suite") {
  CHECK(render_junit({}) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"closesim\" tests=\"0\" failures=\"0\" errors=\"0\">\n"
        "  <testsuite name=\"closesim\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\">\n"
        "  </testsuite>\n</testsuites>\n");
}

TEST_CASE("TAP version 13") {
  std::string tap = render_tap(suite());
  testing::check_golden("suite.tap", tap);
  CHECK(tap.rfind("TAP version 13\n1..3\n", 0) == 0);
  CHECK(tap.find("\nok 1 - scenarios/linger/linger_timeout.scn\n") != std::string::npos);
  CHECK(tap.find("\nnot ok 2 - scenarios/linger/hard_close.scn [mutant hand-back-never]\n  ---\n") != std::string::npos);
  CHECK(tap.find("\nnot ok 3 - scenarios/broken/typo.scn\n") != std::string::npos);
  CHECK(count(tap, "  ---\n") == 2);
  CHECK(count(tap, "  ...\n") == 2);
}

}  // namespace
}  // namespace closesim
