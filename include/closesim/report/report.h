// Reports: the views of a run. Each function renders one RunResult (or a suite of them) in one
// format; docs/formats.md describes every format field by field.
//
// Contract shared by every renderer:
//   - Output is a function of its arguments only: byte-identical for equal RunResults on every
//     machine. No wall clock, no colour, no locale, no environment.
//   - Renderers read the trace, the expectation failures, the rule report and the scenario header;
//     they never run or re-check anything. The verdict is computed from the fields (see
//     report_verdict), so a report agrees with RunResult::verdict() by construction of both.
//   - Names come from the trace's TraceNames: a handle prints as "s", a peer as "peer(s)"; an
//     unnamed handle prints as its value ("0x10c").
//   - Every string is complete text ending with '\n' (except where noted) for the caller to
//     write to a file or stdout as is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "closesim/base/rule_id.h"
#include "closesim/result/run_result.h"

namespace closesim {

// --- verdicts -------------------------------------------------------------------------------

// The verdict from the fields: diagnostics => Error; expectation failures, a rule violation that
// is not a divergence (only when rules_mode is On) or a stuck run => Fail; else Pass.
Verdict report_verdict(const RunResult& result);
// 0 pass, 1 fail, 2 error.
int report_exit_status(const RunResult& result);
// "pass", "fail", "error".
std::string verdict_name(Verdict verdict);
// "R5 violated at 3ms: <message>" or "R3 diverges at 3ms (windows profile): <message>"
// (the same text as format_violation). No trailing newline.
std::string violation_text(const Violation& violation);
// The last line of the text verdict: "PASS", "FAIL (2 expectations, 3 violations of 2 rules)",
// "FAIL (1 violation of 1 rule, stuck)", "FAIL (stuck)",
// "ERROR". No trailing newline.
std::string verdict_line(const RunResult& result);

// --- `closesim run`: the text timeline --------------------------------------------------------

struct TimelineOptions {
  // Under each step, one indented "why:" sentence citing the rule behind it; at the end, the
  // record where the outcome was decided, explained.
  bool explain = false;
};

// Header (file, title, provider, profile, link, seed/schedule/mutant), one line per interesting
// trace record (bursts of data records summarised), then the verdict block (render_verdict).
// For an Error result: the header and the diagnostics, then "ERROR".
std::string render_timeline(const RunResult& result, const TimelineOptions& options = {});

// One line of the text timeline, for views that lay it out themselves (the HTML report's table
// of the steps the rules explain). The same lines, texts and explanations as
// render_timeline(result, {.explain = true}), in the same order; empty for an Error result.
struct TimelineStep {
  std::uint64_t seq = 0;  // the record the line sits at (its first)
  Time time = 0;
  std::string actor;      // "A.main", "provider", "dll", "link", "peer(s)"
  std::string text;       // as the timeline prints it, with its "[R9]" tag
  std::string rule;       // the rule the line cites ("R9": its tag, else its explanation's), or ""
  std::string why;        // the --explain sentence ("R9: ..."), or ""
  std::vector<std::string> violations;  // the "!!" marks under the line: "R5 violated at ... (#26)"
  std::vector<std::uint64_t> covers;    // every record the line says (seq), `seq` first
};
std::vector<TimelineStep> timeline_steps(const RunResult& result);

// The verdict block alone: expectation failures ("file:line: message"), rule violations (with the
// trace step "#seq"), stuck messages, diagnostics for an Error, then verdict_line().
std::string render_verdict(const RunResult& result);

// --- `closesim check`: the suite summary -------------------------------------------------------

// One line for one scenario: "PASS  scenarios/linger/hard_close.scn  (R8 R11)  end 1ms, 12
// events", followed, for a failure or error, by its reasons indented by six spaces.
std::string render_check_line(const RunResult& result);
// render_check_line for each result, then the line CI parses, exactly "N passed, M failed", with
// ", K errors" appended only when K > 0.
std::string render_check_summary(const std::vector<RunResult>& results);

// --- machine formats ----------------------------------------------------------------------------

// JSON lines: one object per trace record ({"type":"record", ...}) then one {"type":"verdict",
// ...} object. Field names are stable (docs/formats.md).
std::string render_json_lines(const RunResult& result);

// JUnit XML for a suite: one <testcase> per result; classname from the scenario's folder
// ("scenarios/linger" -> "scenarios.linger"), name from its file name without extension.
// A failure carries <failure>, a parse error <error>.
std::string render_junit(const std::vector<RunResult>& results);

// TAP version 13: "1..N", "ok 1 - path" / "not ok 2 - path" with a YAML diagnostic block.
std::string render_tap(const std::vector<RunResult>& results);

// Mermaid sequenceDiagram: one participant per thread, "Winsock DLL", "Provider", one per peer.
std::string render_mermaid(const RunResult& result);

// Chrome Trace Event Format ({"traceEvents": [...], "displayTimeUnit": "ns"}), for
// chrome://tracing and ui.perfetto.dev. Timestamps in microseconds with three decimals (exact).
std::string render_chrome_trace(const RunResult& result);

// --- `closesim report`: the HTML suite report ----------------------------------------------------

// Which scenarios of a suite touch a rule. Names are scenario files as given (Scenario::file).
struct RuleCoverageRow {
  RuleId rule = RuleId::None;
  std::vector<std::string> declared_by;   // list it in their `rules` directive
  std::vector<std::string> exercised_by;  // the rule's premise occurred in their run
  std::vector<std::string> violated_by;   // broke it (divergences excluded)
  std::vector<std::string> branches;      // union of the branches seen, sorted
};

// One row per rule, R1..R14 in order, scenarios in the order of `results`.
std::vector<RuleCoverageRow> rule_coverage(const std::vector<RunResult>& results);

// A plain-text table of rule_coverage() for `closesim rules`: one line per rule with its title
// and the scenarios that exercise it.
std::string render_rule_coverage(const std::vector<RuleCoverageRow>& coverage);

// One self-contained HTML document (inline CSS, SVG and one inline script; nothing fetched): suite
// summary, the rule coverage table, then per scenario its verdict, a step-through view of its
// run (an SVG timeline with lanes per thread, the provider and per peer, walked record by record
// with buttons, arrow keys or `#step=N`), the steps the rules explain and the explained text
// timeline. `other_profile`, when given, holds the same scenarios in the same order run under the
// other profile (windows for documented, documented for windows), each with scenario.profile set
// to the profile it ran under: each view then shows the two runs side by side where they differ.
std::string render_html(const std::vector<RunResult>& results,
                        const std::vector<RuleCoverageRow>& coverage,
                        const std::vector<RunResult>& other_profile = {});

}  // namespace closesim
