// TAP version 13 for `closesim check --tap`: a plan, one test point per scenario, and for a
// failing one a YAML block (between "  ---" and "  ...") that says why, in the subset of YAML that
// Perl's TAP::Parser (`prove`) reads: every scalar goes through tap_yaml_string.
#include <fmt/format.h>

#include "closesim/base/diagnostic.h"
#include "closesim/report/report.h"
#include "report/view.h"
#include "report/visible.h"

namespace closesim {

using report::tap_yaml_string;

std::string render_tap(const std::vector<RunResult>& results) {
  std::string out = "TAP version 13\n";
  out += fmt::format("1..{}\n", results.size());
  std::size_t n = 0;
  for (const RunResult& r : results) {
    ++n;
    Verdict v = report_verdict(r);
    // A '#' in a description would start a TAP directive; a path never needs one.
    std::string description = report::visible_controls(r.scenario.file);
    for (char& c : description)
      if (c == '#' || c == '\n' || c == '\t') c = '_';
    if (!r.config.mutant.empty()) description += " [mutant " + r.config.mutant + "]";
    out += fmt::format("{} {} - {}\n", v == Verdict::Pass ? "ok" : "not ok", n, description);
    if (v == Verdict::Pass) continue;

    out += "  ---\n";
    out += fmt::format("  verdict: {}\n", verdict_name(v));
    out += fmt::format("  summary: {}\n", tap_yaml_string(verdict_line(r)));
    auto list = [&](const char* key, const std::vector<std::string>& items) {
      if (items.empty()) return;
      out += fmt::format("  {}:\n", key);
      for (const std::string& item : items) out += fmt::format("    - {}\n", tap_yaml_string(item));
    };
    std::vector<std::string> failures, violations, diagnostics;
    for (const ExpectationFailure& f : r.failures) failures.push_back(report::failure_text(r, f));
    if (r.rules_mode != RulesMode::Off)
      for (const Violation& vi : r.rules.violations)
        violations.push_back(fmt::format("{} (#{})", violation_text(vi), vi.seq));
    for (const Diagnostic& d : r.diagnostics) {
      std::string text = format_diagnostic(d, "");
      diagnostics.push_back(text.substr(0, text.find('\n')));
    }
    list("failures", failures);
    list("violations", violations);
    std::vector<std::string> unreached;
    if (r.rules_mode != RulesMode::Off)
      for (const Violation& vi : r.rules.unreached) unreached.push_back(report::unreached_text(vi));
    list("unreached", unreached);
    list("stuck", r.stuck);
    list("diagnostics", diagnostics);
    if (v != Verdict::Error) {
      out += fmt::format("  end: {}\n", tap_yaml_string(format_time(r.end_time)));
      out += fmt::format("  events: {}\n", r.events);
      if (!r.config.schedule.empty()) out += fmt::format("  schedule: {}\n", tap_yaml_string(r.config.schedule));
      if (!r.config.mutant.empty()) out += fmt::format("  mutant: {}\n", tap_yaml_string(r.config.mutant));
    }
    out += "  ...\n";
  }
  return out;
}

}  // namespace closesim
