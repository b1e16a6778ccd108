#include "fuzz_scenario.h"

#include <exception>
#include <vector>

#include <fmt/format.h>

#include "closesim/base/check.h"
#include "closesim/scenario/parser.h"
#include "closesim/report/report.h"
#include "closesim/run/runner.h"

namespace closesim::fuzz {

namespace {

// Small enough that a libFuzzer iteration stays in milliseconds, large enough to reach closes,
// lingers and timeouts.
RunOptions small_budget(const FuzzDepth& depth) {
  RunOptions o;
  o.max_events = 10 * depth.max_trace_records;
  o.max_trace_records = depth.max_trace_records;
  o.max_time = 1000 * kSecond;
  return o;
}

std::string located_properly(const ParseResult& parsed) {
  const int lines = static_cast<int>(parsed.scenario.lines.size());
  for (const Diagnostic& d : parsed.diagnostics) {
    if (d.message.empty() || d.hint.empty())
      return fmt::format("a diagnostic without a message or a hint at line {}", d.line);
    if (d.line < 1 || d.line > lines)
      return fmt::format("a diagnostic on line {} of a {}-line file: {}", d.line, lines, d.message);
    const int width = static_cast<int>(parsed.scenario.lines[static_cast<std::size_t>(d.line - 1)].size());
    if (d.column < 1 || d.column > width + 1)
      return fmt::format("a diagnostic at column {} of a {}-character line: {}", d.column, width, d.message);
  }
  return "";
}

std::vector<std::string> views(const RunResult& r, const FuzzDepth& depth) {
  if (!depth.every_view) return {render_timeline(r), render_json_lines(r)};
  const std::vector<RunResult> suite{r};
  return {render_timeline(r),     render_timeline(r, TimelineOptions{true}),
          render_json_lines(r),   render_mermaid(r),
          render_chrome_trace(r), render_junit(suite),
          render_tap(suite),      render_check_summary(suite),
          render_html(suite, rule_coverage(suite))};
}

std::string fuzz_checked(std::string_view text, const FuzzDepth& depth) {
  ParseResult parsed = parse_scenario("fuzz.scn", std::string(text));
  if (std::string bad = located_properly(parsed); !bad.empty()) return bad;
  if (!parsed.ok()) return "";
  parsed.diagnostics = check_names(parsed.scenario);
  if (std::string bad = located_properly(parsed); !bad.empty()) return "name check: " + bad;
  if (!parsed.ok()) return "";
  const RunOptions options = small_budget(depth);
  const RunResult run = run_scenario(parsed.scenario, options);
  if (run.end_time > options.max_time || run.events > options.max_events)
    return fmt::format("the run went past its budget: {} events, at {}", run.events, format_time(run.end_time));
  const std::vector<std::string> first = views(run, depth);
  if (!depth.rerun) return "";
  const std::vector<std::string> again = views(run_scenario(parsed.scenario, options), depth);
  for (std::size_t i = 0; i < first.size(); ++i)
    if (first[i] != again[i]) return fmt::format("view {} differs between two identical runs", i);
  return "";
}

}  // namespace

std::string fuzz_scenario(std::string_view text, FuzzDepth depth) {
  try {
    return fuzz_checked(text, depth);
  } catch (const InternalError& e) {
    return fmt::format("internal error: {} (at {}:{})", e.what(), e.file(), e.line());
  } catch (const std::exception& e) {
    return fmt::format("exception: {}", e.what());
  }
}

}  // namespace closesim::fuzz
