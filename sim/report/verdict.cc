// The verdict of a run as text, and the `closesim check` suite summary that CI parses.
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "closesim/base/diagnostic.h"
#include "closesim/report/report.h"
#include "report/view.h"
#include "report/visible.h"

namespace closesim {

using report::counts_as_failure;

Verdict report_verdict(const RunResult& result) { return result.verdict(); }

int report_exit_status(const RunResult& result) { return result.exit_status(); }

std::string verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::Pass: return "pass";
    case Verdict::Fail: return "fail";
    case Verdict::Error: return "error";
  }
  return "error";
}

std::string violation_text(const Violation& v) {
  if (v.divergence)
    return fmt::format("{} diverges at {} (windows profile): {}", rule_name(v.rule),
                       format_time(v.time), v.message);
  return fmt::format("{} violated at {}: {}", rule_name(v.rule), format_time(v.time), v.message);
}

std::string verdict_line(const RunResult& result) {
  switch (report_verdict(result)) {
    case Verdict::Pass: return "PASS";
    case Verdict::Error: return "ERROR";
    case Verdict::Fail: break;
  }
  std::vector<std::string> parts;
  if (!result.failures.empty()) parts.push_back(report::plural(result.failures.size(), "expectation"));
  // Both counts: nine violations of four rules is not "9 rules".
  std::size_t violations = 0;
  std::set<RuleId> rules;
  for (const Violation& v : result.rules.violations)
    if (counts_as_failure(result, v)) {
      ++violations;
      rules.insert(v.rule);
    }
  if (violations > 0)
    parts.push_back(fmt::format("{} of {}", report::plural(violations, "violation"),
                                report::plural(rules.size(), "rule")));
  if (!result.stuck.empty()) parts.push_back("stuck");
  return fmt::format("FAIL ({})", fmt::join(parts, ", "));
}

std::string render_verdict(const RunResult& result) {
  std::string out;
  if (!result.diagnostics.empty()) {
    for (const Diagnostic& d : result.diagnostics) {
      std::string source;
      if (d.line > 0 && d.line <= static_cast<int>(result.scenario.lines.size()))
        source = result.scenario.lines[static_cast<std::size_t>(d.line - 1)];
      out += format_diagnostic(d, source);
    }
  } else {
    for (const std::string& line : report::reasons(result)) out += line + "\n";
  }
  out += verdict_line(result) + "\n";
  // A title, a name or a source line may hold ESC or OSC bytes: shown, never obeyed.
  return report::visible_controls(out);
}

std::string render_check_line(const RunResult& result) {
  Verdict verdict = report_verdict(result);
  const char* label = verdict == Verdict::Pass ? "PASS" : verdict == Verdict::Fail ? "FAIL" : "ERROR";
  std::string out = fmt::format("{:<5} {}", label, result.scenario.file);
  if (verdict == Verdict::Error) {
    out += fmt::format("  {}", report::plural(result.diagnostics.size(), "error"));
  } else {
    if (!result.scenario.rules.empty()) {
      std::vector<std::string> ids;
      for (int n : result.scenario.rules) ids.push_back(rule_name(static_cast<RuleId>(n)));
      out += fmt::format("  ({})", fmt::join(ids, " "));
    }
    out += fmt::format("  end {}, {}", format_time(result.end_time),
                       report::plural(static_cast<std::size_t>(result.events), "event"));
  }
  if (!result.config.mutant.empty()) out += "  mutant " + result.config.mutant;
  out += "\n";
  if (verdict != Verdict::Pass)
    for (const std::string& line : report::reasons(result)) out += "      " + line + "\n";
  return report::visible_controls(out);
}

std::string render_check_summary(const std::vector<RunResult>& results) {
  std::string out;
  std::size_t passed = 0, failed = 0, errors = 0;
  for (const RunResult& r : results) {
    out += render_check_line(r);
    switch (report_verdict(r)) {
      case Verdict::Pass: ++passed; break;
      case Verdict::Fail: ++failed; break;
      case Verdict::Error: ++errors; break;
    }
  }
  out += fmt::format("{} passed, {} failed", passed, failed);
  if (errors > 0) out += fmt::format(", {} errors", errors);
  out += "\n";
  return out;
}

namespace report {

std::string unreached_text(const Violation& v) {
  return fmt::format("{} not reached within the budget: {}", rule_name(v.rule), v.message);
}

std::string failure_text(const RunResult& result, const ExpectationFailure& failure) {
  return fmt::format("{}:{}: {}", result.scenario.file, failure.line, failure.message);
}

bool counts_as_failure(const RunResult& result, const Violation& v) { return result.counts(v); }

std::vector<std::string> reasons(const RunResult& result) {
  std::vector<std::string> out;
  for (const ExpectationFailure& f : result.failures) {
    std::string line = failure_text(result, f);
    if (f.schedule_dependent) line += " (in some schedules only)";
    out.push_back(line);
  }
  if (result.rules_mode != RulesMode::Off) {
    for (const Violation& v : result.rules.violations) {
      std::string prefix = !v.divergence && result.rules_mode == RulesMode::Warn ? "warning: " : "";
      out.push_back(fmt::format("{}{} (#{})", prefix, violation_text(v), v.seq));
    }
    for (const Violation& v : result.rules.unreached) out.push_back(unreached_text(v));
  }
  for (const std::string& s : result.stuck) out.push_back("stuck: " + s);
  for (const Diagnostic& d : result.diagnostics) {
    std::string text = format_diagnostic(d, "");
    auto nl = text.find('\n');
    out.push_back(nl == std::string::npos ? text : text.substr(0, nl));
  }
  return out;
}

std::string folder_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string stem_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  auto dot = name.find_last_of('.');
  if (dot != std::string::npos && dot > 0) name = name.substr(0, dot);
  return name;
}

}  // namespace report
}  // namespace closesim
