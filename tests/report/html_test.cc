// The HTML report: self-contained, one SVG timeline per scenario, the coverage table.
// (step_through_test.cc: the step-through view, the marks of one instant, the axis unit.)
#include <doctest/doctest.h>

#include "closesim/report/report.h"
#include "fixtures.h"
#include "../support/text.h"

namespace closesim {
namespace {

using support::count;

TEST_CASE("HTML report of a suite") {
  std::vector<RunResult> suite;
  suite.push_back(testing::linger_timeout_run());
  suite.push_back(testing::hard_close_run());
  suite.push_back(testing::parse_error_run());
  std::string html = render_html(suite, rule_coverage(suite));
  testing::check_golden("suite.html", html);

  CHECK(html.rfind("<!DOCTYPE html>\n", 0) == 0);
  CHECK(html.find("</html>\n") == html.size() - 8);
  // Nothing is fetched: no URL at all (inline SVG needs no xmlns), one inline script.
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(count(html, "<script>") == 1);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(count(html, "<svg") == suite.size());
  CHECK(count(html, "</svg>") == suite.size());
  CHECK(html.find("3 scenarios: 1 passed, 1 failed, 1 errors") != std::string::npos);
  // The coverage table has a row per rule the suite touches; one line names the others.
  const std::size_t rows = count(html, "<tr><td>R") + count(html, "<tr class=\"uncovered\"><td>R");
  std::size_t touched = 0;
  for (const RuleCoverageRow& row : rule_coverage(suite))
    touched += !row.exercised_by.empty() || !row.declared_by.empty() || !row.violated_by.empty();
  CHECK(rows == touched);
  CHECK((touched == 14) == (html.find("<p class=\"untouched\">") == std::string::npos));
  // The violation is drawn in red, the compressed 2s of linger is marked.
  CHECK(html.find("<g class=\"violation\" data-seq=") != std::string::npos);
  CHECK(html.find(">+2s</text>") != std::string::npos);
  // Text from scenarios is escaped.
  CHECK(html.find("&amp; resets the peer &lt;RST&gt;") != std::string::npos);
  CHECK(html.find("<RST>") == std::string::npos);
}

TEST_CASE("HTML report without coverage information") {
  std::vector<RunResult> suite;
  suite.push_back(testing::linger_timeout_run());
  std::string html = render_html(suite, {});
  CHECK(html.find("No coverage information.") != std::string::npos);
  CHECK(count(html, "<svg") == 1);
}

}  // namespace
}  // namespace closesim
