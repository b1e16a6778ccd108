// Rule coverage over a suite: which scenarios declare, exercise and violate each rule. Read by
// `closesim rules` (as text) and by the HTML report.
//
// "Exercised" is one notion for every view: the rule checker saw the rule's premise, or the run's
// trace cites the rule for something it did (the `[R9]` a timeline line ends with, the rule that
// woke a call). So no view says "not exercised" of a rule that the scenario's own timeline cites.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "closesim/report/report.h"
#include "report/view.h"
#include "report/visible.h"

namespace closesim {

namespace report {

bool cites_rule(const RunResult& result, RuleId rule) {
  if (!result.diagnostics.empty()) return false;
  for (const TraceRecord& r : result.trace.records())
    if (r.rule == rule) return true;
  return false;
}

}  // namespace report

std::vector<RuleCoverageRow> rule_coverage(const std::vector<RunResult>& results) {
  std::vector<RuleCoverageRow> rows;
  for (int n = 1; n <= kRuleCount; ++n) {
    RuleCoverageRow row;
    row.rule = static_cast<RuleId>(n);
    std::set<std::string> branches;
    for (const RunResult& r : results) {
      const std::string& file = r.scenario.file;
      auto add = [&](std::vector<std::string>& list) {
        if (std::find(list.begin(), list.end(), file) == list.end()) list.push_back(file);
      };
      if (std::find(r.scenario.rules.begin(), r.scenario.rules.end(), n) != r.scenario.rules.end())
        add(row.declared_by);
      for (const RuleCoverage& c : r.rules.coverage) {
        if (c.rule != row.rule || !c.exercised) continue;
        add(row.exercised_by);
        branches.insert(c.branches.begin(), c.branches.end());
      }
      if (report::cites_rule(r, row.rule)) add(row.exercised_by);
      for (const Violation& v : r.rules.violations)
        if (v.rule == row.rule && !v.divergence) add(row.violated_by);
    }
    row.branches.assign(branches.begin(), branches.end());
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string render_rule_coverage(const std::vector<RuleCoverageRow>& coverage) {
  std::size_t width = 0;
  for (const RuleCoverageRow& row : coverage) width = std::max(width, rule_title(row.rule).size());
  std::string out;
  std::size_t exercised = 0;
  for (const RuleCoverageRow& row : coverage) {
    out += fmt::format("{:<4} {:<{}}  {}\n", rule_name(row.rule), rule_title(row.rule), width,
                       row.exercised_by.empty() ? "not exercised"
                                                : report::plural(row.exercised_by.size(), "scenario"));
    for (const std::string& file : row.exercised_by) out += fmt::format("       {}\n", file);
    if (!row.branches.empty()) {
      out += "       branches:";
      for (const std::string& b : row.branches) out += " [" + b + "]";
      out += "\n";
    }
    for (const std::string& file : row.declared_by)
      if (std::find(row.exercised_by.begin(), row.exercised_by.end(), file) == row.exercised_by.end())
        out += fmt::format("       declared but not exercised by {}\n", file);
    for (const std::string& file : row.violated_by) out += fmt::format("       violated by {}\n", file);
    if (!row.exercised_by.empty()) ++exercised;
  }
  out += fmt::format("{} of {} rules exercised\n", exercised, coverage.size());
  return report::visible_controls(out);
}

}  // namespace closesim
