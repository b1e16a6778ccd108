// run, check, rules and report: run scenarios and hand the results to a report.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/options.h"
#include "closesim/report.h"
#include "closesim/rule_id.h"

namespace closesim::cli {

namespace {

std::vector<RunResult> run_all(const std::vector<std::string>& files, const RunOptions& options) {
  std::vector<RunResult> results;
  results.reserve(files.size());
  for (const std::string& f : files) results.push_back(run_file(f, options));
  return results;
}

int suite_status(const std::vector<RunResult>& results) {
  int status = 0;
  for (const RunResult& r : results) status = std::max(status, r.exit_status());
  return status;
}

}  // namespace

int cmd_run(const std::vector<std::string>& files, const CommonOptions& common,
            const std::string& format, bool explain, const std::string& output) {
  std::optional<RunOptions> options = to_run_options(common);
  if (!options) return 2;
  // A Chrome trace or a Mermaid diagram is one document per run: several would not concatenate
  // into one valid file.
  if (files.size() > 1 && (format == "chrome" || format == "mermaid")) {
    fmt::print(stderr,
               "closesim: error: --format {} renders one scenario at a time, got {}\n"
               "  hint: run it once per file, e.g. closesim run --format {} {} -o out\n",
               format, files.size(), format, files.front());
    return 2;
  }
  if (format == "junit" || format == "tap") {
    std::vector<RunResult> results = run_all(files, *options);
    if (!write_output(output, format == "junit" ? render_junit(results) : render_tap(results))) return 2;
    return suite_status(results);
  }
  std::string text;
  int status = 0;
  for (const std::string& f : files) {
    RunResult r = run_file(f, *options);
    status = std::max(status, r.exit_status());
    if (format == "json") text += render_json_lines(r);
    else if (format == "mermaid") text += render_mermaid(r);
    else if (format == "chrome") text += render_chrome_trace(r);
    else text += render_timeline(r, TimelineOptions{explain});
  }
  if (!write_output(output, text)) return 2;
  return status;
}

int cmd_check(const std::vector<std::string>& paths, const CommonOptions& common,
              const std::string& junit, bool tap, bool require_coverage, bool junit_stdout) {
  std::optional<RunOptions> options = to_run_options(common);
  if (!options) return 2;
  std::vector<std::string> files;
  if (!collect(paths, files)) return 2;
  std::vector<RunResult> results = run_all(files, *options);
  int status = suite_status(results);
  if (junit_stdout) write_output("", render_junit(results));
  else if (tap) write_output("", render_tap(results));
  else write_output("", render_check_summary(results));
  if (!junit.empty() && !write_output(junit, render_junit(results))) status = std::max(status, 2);
  if (require_coverage) {
    for (const RuleCoverageRow& row : rule_coverage(results)) {
      if (!row.exercised_by.empty()) continue;
      fmt::print(stderr, "coverage: {} ({}) is never exercised by these scenarios\n",
                 rule_name(row.rule), rule_title(row.rule));
      status = std::max(status, 1);
    }
  }
  return status;
}

int cmd_rules(const std::vector<std::string>& paths, const CommonOptions& common) {
  if (paths.empty()) {
    for (int i = 1; i <= kRuleCount; ++i) {
      RuleId id = static_cast<RuleId>(i);
      fmt::print("{:<4} {}\n", rule_name(id), rule_title(id));
    }
    return 0;
  }
  std::optional<RunOptions> options = to_run_options(common);
  if (!options) return 2;
  std::vector<std::string> files;
  if (!collect(paths, files)) return 2;
  std::vector<RunResult> results = run_all(files, *options);
  write_output("", render_rule_coverage(rule_coverage(results)));
  for (const RunResult& r : results)
    if (r.verdict() == Verdict::Error) return 2;
  return 0;
}

int cmd_report(const std::vector<std::string>& paths, const CommonOptions& common,
               const std::string& output) {
  std::optional<RunOptions> options = to_run_options(common);
  if (!options) return 2;
  std::vector<std::string> files;
  if (!collect(paths, files)) return 2;
  std::vector<RunResult> results = run_all(files, *options);
  // The same files under the other profile, for the page's side-by-side comparison.
  std::vector<RunResult> other;
  for (const RunResult& r : results) {
    if (!r.diagnostics.empty()) {
      other.push_back(r);
      continue;
    }
    RunOptions flipped = *options;
    flipped.profile = options->profile.value_or(r.scenario.profile) == ProfileKind::Windows
                          ? ProfileKind::Documented
                          : ProfileKind::Windows;
    other.push_back(run_scenario(r.scenario, flipped));
    other.back().scenario.profile = *flipped.profile;  // the profile it ran under
  }
  if (!write_output(output, render_html(results, rule_coverage(results), other))) return 2;
  fmt::print("wrote {} ({} scenario{})\n", output, results.size(), results.size() == 1 ? "" : "s");
  return suite_status(results);
}

}  // namespace closesim::cli
