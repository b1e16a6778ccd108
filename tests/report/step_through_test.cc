// The HTML report as a page that teaches: the step-through view's data and markup, marks of one
// instant that never hide each other, one unit per time axis, a coverage table without rows of
// grey, the documented and windows runs side by side, and the catalogue's words for each rule.
// (tests/views/html_report.sh renders it in Chromium and compares screenshots at two steps.)
#include <regex>
#include <set>
#include <sstream>

#include <doctest/doctest.h>

#include "closesim/report/report.h"
#include "fixtures.h"
#include "report/rule_text.h"
#include "../support/text.h"

namespace closesim {
namespace {

using support::count;

// The text between `open` and the next `close` after it.
std::string between(const std::string& text, const std::string& open, const std::string& close,
                    std::size_t from = 0) {
  std::size_t a = text.find(open, from);
  REQUIRE(a != std::string::npos);
  a += open.size();
  std::size_t b = text.find(close, a);
  REQUIRE(b != std::string::npos);
  return text.substr(a, b - a);
}

TEST_CASE("the step-through view carries one step per trace record") {
  RunResult run = testing::run_bundled("scenarios/linger/linger_timeout.scn");
  const std::string html = render_html({run}, rule_coverage({run}));
  // Self-contained: inline data and one inline script; nothing named outside the page.
  CHECK(count(html, "<script>") == 1);
  CHECK(count(html, "<script type=\"application/json\"") == 2);  // the steps, the rule texts
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  for (const char* go : {"first", "prev", "next", "last", "all"})
    CHECK(html.find(fmt::format("data-go=\"{}\"", go)) != std::string::npos);
  CHECK(html.find("ArrowRight") != std::string::npos);
  CHECK(html.find("step=(\\d+)") != std::string::npos);  // #step=N in the address

  std::string error;
  std::optional<testing::Json> steps =
      testing::parse_json(between(html, "<script type=\"application/json\" class=\"steps\">", "</script>"), &error);
  REQUIRE_MESSAGE(steps.has_value(), error);
  REQUIRE(steps->array.size() == run.trace.size());
  double last_x = 0;
  for (std::size_t i = 0; i < steps->array.size(); ++i) {
    const testing::Json& s = steps->array[i];
    CHECK(s.get("seq")->number == static_cast<double>(i));
    CHECK(s.get("kind")->string == std::string(kind_name(run.trace.records()[i].kind)));
    CHECK(s.get("x")->number >= last_x);  // the cursor never goes back in time
    last_x = s.get("x")->number;
  }
  // Record #13 is said by the line of its call, with the why and the rule behind it.
  std::set<std::string> rules;
  for (const testing::Json& s : steps->array) rules.insert(s.get("rule")->string);
  CHECK(rules.count("R9") == 1);
  std::optional<testing::Json> texts =
      testing::parse_json(between(html, "<script type=\"application/json\" id=\"rule-texts\">", "</script>"), &error);
  REQUIRE_MESSAGE(texts.has_value(), error);
  CHECK(texts->object.size() == static_cast<std::size_t>(kRuleCount));
  CHECK(texts->get("R9")->get("meaning")->string == report::rule_meaning(RuleId::R9));
  // Every mark of the picture names its record, so the script can fade the future.
  const std::string svg = between(html, "<svg class=\"timeline\"", "</svg>");
  CHECK(count(svg, " data-seq=\"") > 10);
  CHECK(svg.find("class=\"cursor\"") != std::string::npos);
}

TEST_CASE("marks of one lane and instant never hide each other") {
  // At 2.001s the linger timer expires, the RST goes out and the handle is released: three
  // diamonds in the provider lane at one instant.
  RunResult run = testing::run_bundled("scenarios/linger/linger_timeout.scn");
  const std::string html = render_html({run}, rule_coverage({run}));
  std::set<std::string> centres;
  std::size_t diamonds = 0;
  for (const char* cls : {"<g class=\"timer\"", "<g class=\"rst\"", "<g class=\"release\""}) {
    const std::string points = between(html, "points=\"", " ", html.find(cls));
    centres.insert(points.substr(0, points.find(',')));
    ++diamonds;
    CHECK(between(html, "<title>", "</title>", html.find(cls)).find("2.001s") != std::string::npos);
  }
  CHECK(centres.size() == diamonds);
}

TEST_CASE("a time axis speaks one unit") {
  for (const char* file : {"scenarios/linger/linger_timeout.scn", "scenarios/basics/graceful_close.scn",
                           "scenarios/linger/hard_close.scn"}) {
    RunResult run = testing::run_bundled(file);
    const std::string html = render_html({run}, {});
    std::set<std::string> units;
    std::size_t labels = 0;
    static const std::regex label("<text class=\"tick-label\"[^>]*>([^<]*)</text>");
    for (std::sregex_iterator it(html.begin(), html.end(), label), end; it != end; ++it) {
      std::string text = (*it)[1];
      ++labels;
      if (text == "0") continue;
      std::size_t unit = text.find_first_not_of("0123456789.");
      REQUIRE(unit != std::string::npos);
      units.insert(text.substr(unit));
    }
    INFO(file);
    CHECK(labels >= 3);
    CHECK(units.size() == 1);
  }
}

TEST_CASE("a one-scenario report lists the rules it touches, and names the others once") {
  RunResult run = testing::run_bundled("scenarios/linger/linger_timeout.scn");
  const std::string html = render_html({run}, rule_coverage({run}));
  const std::string table = between(html, "<table class=\"coverage\">", "</table>");
  CHECK(count(table, "class=\"uncovered\"") == 0);
  CHECK(table.find("not exercised") == std::string::npos);
  CHECK(html.find("<p class=\"untouched\">Not exercised by this scenario: ") != std::string::npos);
  // Every rule the timeline cites has a row of its own.
  for (const TimelineStep& step : timeline_steps(run))
    if (!step.rule.empty() && step.rule.find('/') == std::string::npos)
      CHECK(table.find("<td>" + step.rule + "</td>") != std::string::npos);
}

TEST_CASE("closesocket blocks after the records that make it block") {
  RunResult run = testing::run_bundled("scenarios/linger/linger_timeout.scn");
  const std::string timeline = render_timeline(run);
  const std::size_t blocks = timeline.find("closesocket(s) blocks");
  REQUIRE(blocks != std::string::npos);
  CHECK(timeline.find("WSPCloseSocket(s)") < blocks);
  CHECK(timeline.find("linger timer started for s") < blocks);
  // A recv that parks at once still reads as one line.
  RunResult recv = testing::run_bundled("scenarios/blocking/close_wakes_blocked_recvs.scn");
  CHECK(render_timeline(recv).find("1ms  A.t1      recv(s, 1024) blocks: waiting for data") != std::string::npos);
}

TEST_CASE("the documented and the windows profile side by side where they differ") {
  RunOptions windows;
  windows.profile = ProfileKind::Windows;
  for (const std::string& file : testing::bundled_scenarios()) {
    RunResult documented = testing::run_bundled(file);
    if (documented.scenario.profile != ProfileKind::Documented) continue;
    RunResult other = testing::run_bundled(file, windows);
    other.scenario.profile = ProfileKind::Windows;
    const std::string html = render_html({documented}, {}, {other});
    const bool same = render_timeline(documented).substr(render_timeline(documented).find("\n\n")) ==
                      render_timeline(other).substr(render_timeline(other).find("\n\n"));
    INFO(file);
    CHECK((html.find("run this scenario the same way") != std::string::npos) == same);
    CHECK((html.find("<caption>Where the documented and the windows profile differ</caption>") !=
           std::string::npos) == !same);
  }
  // scenarios/windows/ runs under windows; its comparison puts the documented run on the left.
  RunResult unread = testing::run_bundled("scenarios/windows/unread_data_resets.scn");
  RunOptions documented;
  documented.profile = ProfileKind::Documented;
  RunResult other = testing::run_bundled("scenarios/windows/unread_data_resets.scn", documented);
  other.scenario.profile = ProfileKind::Documented;
  const std::string html = render_html({unread}, {}, {other});
  REQUIRE(html.find("<tr class=\"differs\">") != std::string::npos);
  CHECK(html.find("<tr><th>documented</th><th>windows</th></tr>") != std::string::npos);
}

// docs/rules.md: "### R9 — title", then "*Meaning.* text..." up to a blank line.
std::map<std::string, std::string> catalogue_meanings() {
  std::map<std::string, std::string> out;
  std::istringstream doc(testing::read_source_file("docs/rules.md"));
  std::string line, rule, text;
  bool in_meaning = false;
  for (; std::getline(doc, line);) {
    if (line.rfind("### R", 0) == 0) rule = line.substr(4, line.find(' ', 4) - 4);
    if (line.rfind("*Meaning.* ", 0) == 0) {
      in_meaning = true;
      text = line.substr(11);
      continue;
    }
    if (in_meaning && line.empty()) {
      out[rule] = text;
      in_meaning = false;
    } else if (in_meaning) {
      text += " " + line;
    }
  }
  return out;
}

TEST_CASE("the page's rule texts are the catalogue's own words") {
  std::map<std::string, std::string> meanings = catalogue_meanings();
  REQUIRE(meanings.size() == static_cast<std::size_t>(kRuleCount));
  for (int n = 1; n <= kRuleCount; ++n) {
    RuleId id = static_cast<RuleId>(n);
    INFO(rule_name(id));
    CHECK(report::rule_meaning(id) == meanings[rule_name(id)]);
  }
}

}  // namespace
}  // namespace closesim
