// Each output exactly right for the one who reads it: TAP that Perl's TAP::Parser takes as is,
// JUnit classnames by the documented rule, verdict counts that say violations and rules, the rule
// a record cites, one notion of "exercised", runs cut by their budget, and control bytes that
// never reach a terminal raw. (tests/views/tap_prove.sh and junit_classname.py run the real
// consumers on the command line's output.)
#include <algorithm>
#include <regex>

#include <doctest/doctest.h>

#include "closesim/scenario/parser.h"
#include "closesim/report/report.h"
#include "fixtures.h"
#include "report/visible.h"

namespace closesim {
namespace {

RunResult run_text(const std::string& file, const std::string& text, const RunOptions& options = {}) {
  ParseResult p = parse_scenario(file, text);
  REQUIRE_MESSAGE(p.ok(), (p.diagnostics.empty() ? "" : p.diagnostics[0].message));
  return run_scenario(p.scenario, options);
}

// The test TAP::Parser's YAMLish reader makes of a list item: a first word, blanks, then ':' and a
// blank or the end, read as "key: value" (tests/views/tap_prove.sh runs the reader itself).
bool read_as_hash_item(const std::string& item) {
  static const std::regex hash(R"(^-\s+\S+\s*:(\s+|$))");
  return std::regex_search("- " + item, hash);
}

TEST_CASE("TAP scalars: what TAP::Parser reads back") {
  using report::tap_yaml_string;
  CHECK(tap_yaml_string("FAIL (1 expectation)") == "\"FAIL (1 expectation)\"");
  // A first word ending in ':' would make the item a hash: that colon is written \x3a.
  const std::string item = tap_yaml_string("tests/x.scn:9: expected peer(s) sees FIN at 2ms");
  CHECK(item == "\"tests/x.scn:9\\x3a expected peer(s) sees FIN at 2ms\"");
  CHECK_FALSE(read_as_hash_item(item));
  CHECK(read_as_hash_item("\"tests/x.scn:9: expected\""));  // what the old writer wrote
  CHECK_FALSE(read_as_hash_item(tap_yaml_string("a : b")));
  CHECK_FALSE(read_as_hash_item(tap_yaml_string("R3 violated at 5ms: o1 pending (#14)")));
  CHECK(tap_yaml_string("R3 violated at 5ms: x") == "\"R3 violated at 5ms: x\"");  // no need there
  // Only the escapes the reader knows: \xHH for control bytes (never \u or \b), \" and \\.
  CHECK(tap_yaml_string("a\x1b[31mb\bc") == "\"a\\x1b[31mb\\x08c\"");
  CHECK(tap_yaml_string("say \"hi\" \\ bye") == "\"say \\\"hi\\\" \\\\ bye\"");
  CHECK(tap_yaml_string("line\nnext") == "\"line\\nnext\"");
}

TEST_CASE("the TAP of a failing suite has no list item TAP::Parser reads as a hash") {
  std::vector<RunResult> suite = {testing::run_bundled("tests/fixtures/wrong_expectation.scn"),
                                  testing::run_bundled("tests/fixtures/malformed.scn"),
                                  testing::hard_close_run()};
  const std::string tap = render_tap(suite);
  std::size_t items = 0;
  for (std::size_t at = 0; (at = tap.find("\n    - ", at)) != std::string::npos; ++at) {
    const std::size_t end = tap.find('\n', at + 1);
    const std::string item = tap.substr(at + 7, end - at - 7);
    INFO(item);
    CHECK_FALSE(read_as_hash_item(item));
    ++items;
  }
  CHECK(items >= 5);
}

TEST_CASE("a verdict counts violations and the rules they break") {
  RunResult run = testing::linger_timeout_run();
  for (RuleId r : {RuleId::R3, RuleId::R3, RuleId::R5, RuleId::R11, RuleId::R3, RuleId::R5,
                   RuleId::R4, RuleId::R3, RuleId::R11})
    run.rules.violations.push_back(Violation{r, kMillisecond, 3, "x", false});
  CHECK(verdict_line(run) == "FAIL (9 violations of 4 rules)");
  run.rules.violations.resize(1);
  CHECK(verdict_line(run) == "FAIL (1 violation of 1 rule)");
  run.rules.violations.push_back(Violation{RuleId::R7, kMillisecond, 4, "d", true});  // divergence
  CHECK(verdict_line(run) == "FAIL (1 violation of 1 rule)");
  // The real mutant run: nine violations of several rules, never "9 rules".
  RunOptions o;
  o.mutant = Mutant::HandBackBeforeAborts;
  o.expectations = false;
  RunResult mutant = testing::run_bundled("scenarios/overlapped/abort_via_event.scn", o);
  std::set<RuleId> rules;
  for (const Violation& v : mutant.rules.violations) rules.insert(v.rule);
  CHECK(verdict_line(mutant) == fmt::format("FAIL ({} violations of {} rules)", mutant.rules.violations.size(),
                                            rules.size()));
}

TEST_CASE("the FIN of a non-blocking lingering close cites R10, and no close is said to wait") {
  RunResult run = testing::run_bundled("scenarios/linger/nonblocking_wouldblock.scn");
  CHECK(run.verdict() == Verdict::Pass);
  std::size_t fins = 0;
  for (const TraceRecord& r : run.trace.records())
    if (r.kind == RecordKind::FinSent || r.kind == RecordKind::PeerSawFin) {
      CHECK(r.rule == RuleId::R10);
      ++fins;
    }
  CHECK(fins == 2);
  const std::string explained = render_timeline(run, TimelineOptions{true});
  // Only the setsockopt's "R9/R10: linger {1,5}: ..." may name R9: it cannot know the mode yet.
  CHECK(explained.find("why: R9:") == std::string::npos);
  CHECK(explained.find("[R9]") == std::string::npos);
  CHECK(explained.find("R10: linger {1,5} with nothing left to send") != std::string::npos);
  CHECK(explained.find("the lingering close waits") == std::string::npos);
  // A blocking lingering close still waits under R9.
  RunResult blocking = testing::run_bundled("scenarios/linger/linger_drains_in_time.scn");
  CHECK(render_timeline(blocking, TimelineOptions{true}).find("R9") != std::string::npos);
}

TEST_CASE("`rules` and the timeline agree on what a scenario exercised") {
  for (const std::string& file : testing::bundled_scenarios()) {
    RunResult run = testing::run_bundled(file);
    std::vector<RuleCoverageRow> rows = rule_coverage({run});
    for (const TimelineStep& step : timeline_steps(run)) {
      const std::size_t tag = step.text.rfind("  [R");
      if (tag == std::string::npos) continue;
      std::optional<RuleId> cited = parse_rule_name(step.text.substr(tag + 3, step.text.size() - tag - 4));
      REQUIRE(cited.has_value());
      INFO(file << ": " << step.text);
      CHECK_FALSE(rows[static_cast<std::size_t>(*cited) - 1].exercised_by.empty());
    }
  }
}

TEST_CASE("a run cut by --max-time reports what it did not reach, not violations") {
  RunOptions o;
  o.max_time = kSecond;
  RunResult run = testing::run_bundled("scenarios/linger/linger_timeout.scn", o);
  CHECK(run.cut_short);
  CHECK(run.rules.violations.empty());
  CHECK_FALSE(run.rules.unreached.empty());
  const std::string verdict = render_verdict(run);
  INFO(verdict);
  CHECK(verdict.find("violated") == std::string::npos);
  CHECK(verdict.find("R9 not reached within the budget: ") != std::string::npos);
  CHECK(verdict.find("stuck: stopped at 1s: the virtual-time budget (--max-time 1s) ran out; the last "
                     "event ran at 1ms") != std::string::npos);
  CHECK(verdict.find("stopped at 1ms") == std::string::npos);
  CHECK(verdict_line(run) == "FAIL (3 expectations, stuck)");
  CHECK(verdict.find("expected peer(s) sees RST at 2.002s, got none (not reached within the budget)") !=
        std::string::npos);
  // Uncut, the same scenario passes with no unreached obligations.
  RunResult whole = testing::run_bundled("scenarios/linger/linger_timeout.scn");
  CHECK_FALSE(whole.cut_short);
  CHECK(whole.rules.unreached.empty());
  // An event budget cuts a run too.
  RunOptions e;
  e.max_events = 3;
  RunResult few = testing::run_bundled("scenarios/linger/linger_timeout.scn", e);
  CHECK(few.cut_short);
  CHECK(few.rules.violations.empty());
}

TEST_CASE("control bytes in a title or a source line never reach a terminal raw") {
  using report::visible_controls;
  CHECK(visible_controls("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(visible_controls("osc \x1b]0;pwned\x07 end") == "osc \\x1b]0;pwned\\x07 end");
  CHECK(visible_controls("c1 \xc2\x9b" "31m") == "c1 \\u{9b}31m");
  CHECK(visible_controls("tab\tand\nnewline, caf\xc3\xa9") == "tab\tand\nnewline, caf\xc3\xa9");
  CHECK(visible_controls(visible_controls("\x1b")) == "\\x1b");

  const std::string text =
      "title \"esc \x1b[2J osc \x1b]0;pwned\x07 end\"\n0 A.main s = socket(tcp) = ok\n"
      "1ms A.main closesocket(s) = 0\n2ms expect peer(s) sees RST\n";
  RunResult run = run_text("control.scn", text);
  CHECK(run.verdict() == Verdict::Fail);
  auto raw = [](const std::string& out) {
    return std::any_of(out.begin(), out.end(), [](char c) {
      auto u = static_cast<unsigned char>(c);
      return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7F;
    });
  };
  for (const std::string& out : {render_timeline(run), render_timeline(run, TimelineOptions{true}),
                                 render_verdict(run), render_check_summary({run}), render_tap({run}),
                                 render_junit({run}), render_html({run}, rule_coverage({run}))})
    CHECK_FALSE(raw(out));
  CHECK(render_timeline(run).find("title:    esc \\x1b[2J osc \\x1b]0;pwned\\x07 end") != std::string::npos);

  // A diagnostic's source line: the bytes are shown, escaped.
  ParseResult bad = parse_scenario("bad.scn", "title \"t\"\n0 A.main closesockt(s) = 0  # \x1b]0;x\x07\n");
  REQUIRE_FALSE(bad.ok());
  RunResult error;
  error.scenario = bad.scenario;
  error.scenario.file = "bad.scn";
  error.diagnostics = bad.diagnostics;
  CHECK_FALSE(raw(render_timeline(error)));
  CHECK_FALSE(raw(render_check_summary({error})));
  CHECK(render_verdict(error).find("\\x1b]0;x\\x07") != std::string::npos);
}

}  // namespace
}  // namespace closesim

namespace closesim {
namespace {

TEST_CASE("an IFS provider's release has an expectation of its own, and one holds for both kinds") {
  for (const char* provider : {"nonifs", "ifs", "lsp:ifs", "lsp:nonifs"}) {
    RunOptions o;
    o.provider = parse_provider(provider);
    RunResult run = testing::run_bundled("scenarios/providers/handle_released_by_any_provider.scn", o);
    INFO(provider << ": " << render_verdict(run));
    CHECK(run.verdict() == Verdict::Pass);
  }
  CHECK(testing::run_bundled("scenarios/providers/ifs_closes_file_handle.scn").verdict() == Verdict::Pass);
  // CloseHandle(s) fails under a non-IFS provider, and says what happened instead.
  RunOptions nonifs;
  nonifs.provider = ProviderKind::NonIfs;
  RunResult wrong = testing::run_bundled("scenarios/providers/ifs_closes_file_handle.scn", nonifs);
  REQUIRE_FALSE(wrong.failures.empty());
  bool named = false;
  for (const ExpectationFailure& f : wrong.failures)
    named = named || f.message.find("expected CloseHandle(s) at 1ms, got none (WPUCloseSocketHandle(s) at "
                                    "1ms instead); a non-IFS provider hands the handle back: `handle "
                                    "released(s)` holds for both kinds") != std::string::npos;
  CHECK(named);
  // And WPUCloseSocketHandle(s) under IFS points at the form that holds for both.
  RunOptions ifs;
  ifs.provider = ProviderKind::Ifs;
  RunResult hard = testing::run_bundled("scenarios/linger/hard_close.scn", ifs);
  bool hinted = false;
  for (const ExpectationFailure& f : hard.failures)
    hinted = hinted || f.message.find("instead); an IFS provider closes its file handle: `handle released(s)` "
                                      "holds for both kinds") != std::string::npos;
  CHECK(hinted);
}

TEST_CASE("expectation failures read as sentences") {
  RunResult run = run_text("w.scn",
                           "0 A.main s = socket(tcp) = ok\n0 A.main connect(s) = 0\n"
                           "1ms A.main closesocket(s) = 0\n2ms expect peer(s) sees FIN\n"
                           "3ms expect peer(s) sees FIN\n*   expect no peer(s) sees FIN\n"
                           "4ms expect released(s)\n");
  std::vector<std::string> messages;
  for (const ExpectationFailure& f : run.failures) messages.push_back(f.message);
  CHECK(messages == std::vector<std::string>{
                        "expected peer(s) sees FIN at 3ms, got it at 2ms",
                        "expected no peer(s) sees FIN at any point, got it at 2ms",
                        "expected released(s) at 4ms, got it at 1ms"});
}

}  // namespace
}  // namespace closesim

namespace closesim {
namespace {

TEST_CASE("JUnit classnames follow the documented rule for every kind of path") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"scenarios/linger/hard_close.scn", "scenarios.linger"},
      {"./scenarios/linger/hard_close.scn", "scenarios.linger"},
      {"./x.scn", "closesim"},
      {"x.scn", "closesim"},
      {"../x/scenarios/a.scn", "x.scenarios"},
      {"../../a.scn", "closesim"},
      {"/tmp/x/y/a.scn", "tmp.x.y"},
      {"suite.v1//linger/./a.scn", "suite_v1.linger"},
  };
  std::vector<RunResult> suite;
  for (const auto& [file, classname] : cases) {
    RunResult r = testing::linger_timeout_run();
    r.scenario.file = file;
    suite.push_back(r);
  }
  const std::string xml = render_junit(suite);
  std::size_t at = 0;
  for (const auto& c : cases) {  // not a structured binding: INFO captures it
    INFO(c.first);
    at = xml.find("<testcase classname=\"", at);
    REQUIRE(at != std::string::npos);
    at += 21;
    CHECK(xml.substr(at, xml.find('"', at) - at) == c.second);
  }
}

}  // namespace
}  // namespace closesim

namespace closesim {
namespace {

// The FIN after a close cites the rule of that close's linger option and blocking mode.
RuleId fin_rule(const RunResult& run) {
  for (const TraceRecord& r : run.trace.records())
    if (r.kind == RecordKind::FinSent) return r.rule;
  return RuleId::None;
}

TEST_CASE("the FIN after a close cites the rule of its linger option and mode") {
  CHECK(fin_rule(testing::run_bundled("scenarios/basics/graceful_close.scn")) == RuleId::R7);
  CHECK(fin_rule(testing::run_bundled("scenarios/linger/linger_drains_in_time.scn")) == RuleId::R9);
  CHECK(fin_rule(testing::run_bundled("scenarios/linger/nonblocking_wouldblock.scn")) == RuleId::R10);
  // Linger {1,0} answered with a FIN (a provider bug) is still the {1,0} close's: R8, never R9.
  RunOptions o;
  o.mutant = Mutant::FinInsteadOfRst;
  o.expectations = false;
  CHECK(fin_rule(testing::run_bundled("scenarios/linger/hard_close_mid_drain.scn", o)) == RuleId::R8);
}

}  // namespace
}  // namespace closesim
