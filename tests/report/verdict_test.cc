// Verdicts from a run's fields, the verdict block, and the `closesim check` summary CI parses.
#include <doctest/doctest.h>

#include "closesim/report/report.h"
#include "fixtures.h"

namespace closesim {
namespace {

using testing::check_golden;

TEST_CASE("the verdict follows the fields") {
  RunResult run = testing::linger_timeout_run();
  CHECK(report_verdict(run) == Verdict::Pass);
  CHECK(report_exit_status(run) == 0);
  CHECK(verdict_line(run) == "PASS");

  SUBCASE("a divergence does not fail") {
    run.rules.violations.push_back(Violation{RuleId::R3, 10 * kMillisecond, 20, "o1 completed with 1236", true});
    CHECK(report_verdict(run) == Verdict::Pass);
    CHECK(render_verdict(run) ==
          "R3 diverges at 10ms (windows profile): o1 completed with 1236 (#20)\nPASS\n");
  }
  SUBCASE("a violation fails only when rules are on") {
    run.rules.violations.push_back(Violation{RuleId::R5, 2 * kMillisecond, 7, "late", false});
    CHECK(report_verdict(run) == Verdict::Fail);
    CHECK(verdict_line(run) == "FAIL (1 violation of 1 rule)");
    run.rules_mode = RulesMode::Warn;
    CHECK(report_verdict(run) == Verdict::Pass);
    CHECK(render_verdict(run) == "warning: R5 violated at 2ms: late (#7)\nPASS\n");
    run.rules_mode = RulesMode::Off;
    CHECK(render_verdict(run) == "PASS\n");
  }
  SUBCASE("a stuck run fails") {
    run.stuck.push_back("A.main is still blocked in recv(s)");
    CHECK(report_exit_status(run) == 1);
    CHECK(verdict_line(run) == "FAIL (stuck)");
  }
  SUBCASE("counts are plural") {
    run.failures.push_back(ExpectationFailure{13, 0, "one", false});
    run.failures.push_back(ExpectationFailure{14, 0, "two", false});
    run.rules.violations.push_back(Violation{RuleId::R5, 0, 1, "a", false});
    run.rules.violations.push_back(Violation{RuleId::R11, 0, 2, "b", false});
    run.stuck.push_back("x");
    CHECK(verdict_line(run) == "FAIL (2 expectations, 2 violations of 2 rules, stuck)");
  }
  CHECK(report_verdict(testing::parse_error_run()) == Verdict::Error);
  CHECK(report_exit_status(testing::parse_error_run()) == 2);
  CHECK(verdict_line(testing::parse_error_run()) == "ERROR");
}

TEST_CASE("the report's verdict agrees with the run's own") {
  for (RunResult run : {testing::linger_timeout_run(), testing::hard_close_run(), testing::parse_error_run()}) {
    for (RulesMode mode : {RulesMode::On, RulesMode::Warn, RulesMode::Off}) {
      run.rules_mode = mode;
      CHECK(report_verdict(run) == run.verdict());
      CHECK(report_exit_status(run) == run.exit_status());
    }
    for (const Violation& v : run.rules.violations) CHECK(violation_text(v) == format_violation(v));
  }
}

TEST_CASE("violation text matches the catalogue's format") {
  CHECK(violation_text(Violation{RuleId::R5, 3 * kMillisecond, 4, "o1 completed after release", false}) ==
        "R5 violated at 3ms: o1 completed after release");
  CHECK(violation_text(Violation{RuleId::R3, 3 * kMillisecond, 4, "1236, not 995", true}) ==
        "R3 diverges at 3ms (windows profile): 1236, not 995");
}

TEST_CASE("the verdict block lists failures, then violations, then the verdict") {
  check_golden("hard_close.verdict.txt", render_verdict(testing::hard_close_run()));
}

TEST_CASE("check summary: one line per scenario and the line CI parses") {
  std::vector<RunResult> suite;
  suite.push_back(testing::linger_timeout_run());
  suite.push_back(testing::hard_close_run());
  std::string two = render_check_summary(suite);
  CHECK(two.substr(two.rfind('\n', two.size() - 2) + 1) == "1 passed, 1 failed\n");
  suite.push_back(testing::parse_error_run());
  std::string three = render_check_summary(suite);
  CHECK(three.substr(three.rfind('\n', three.size() - 2) + 1) == "1 passed, 1 failed, 1 errors\n");
  check_golden("suite.check.txt", three);
  CHECK(render_check_summary({}) == "0 passed, 0 failed\n");
}

TEST_CASE("rule coverage over a suite") {
  std::vector<RunResult> suite;
  suite.push_back(testing::linger_timeout_run());
  suite.push_back(testing::hard_close_run());
  suite.push_back(testing::parse_error_run());
  std::vector<RuleCoverageRow> rows = rule_coverage(suite);
  REQUIRE(rows.size() == 14);
  CHECK(rows[0].rule == RuleId::R1);
  CHECK(rows[0].exercised_by.empty());
  CHECK(rows[10].violated_by == std::vector<std::string>{"scenarios/linger/hard_close.scn"});
  CHECK(rows[8].exercised_by == std::vector<std::string>{"scenarios/linger/linger_timeout.scn"});
  CHECK(rows[8].branches == std::vector<std::string>{"blocking", "timeout"});
  check_golden("suite.rules.txt", render_rule_coverage(rows));
}

TEST_CASE("every format is byte-identical for equal runs") {
  RunResult a = testing::hard_close_run(), b = testing::hard_close_run();
  CHECK(render_timeline(a, TimelineOptions{true}) == render_timeline(b, TimelineOptions{true}));
  CHECK(render_json_lines(a) == render_json_lines(b));
  CHECK(render_mermaid(a) == render_mermaid(b));
  CHECK(render_chrome_trace(a) == render_chrome_trace(b));
  std::vector<RunResult> sa, sb;
  sa.push_back(testing::hard_close_run());
  sb.push_back(testing::hard_close_run());
  CHECK(render_junit(sa) == render_junit(sb));
  CHECK(render_tap(sa) == render_tap(sb));
  CHECK(render_html(sa, rule_coverage(sa)) == render_html(sb, rule_coverage(sb)));
}

}  // namespace
}  // namespace closesim
