// run, check, rules and report: run scenarios and hand the results to a report.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/options.h"
#include "cli/output.h"
#include "cli/suite_run.h"
#include "closesim/report/report.h"
#include "closesim/base/rule_id.h"

namespace closesim::cli {

namespace {

// A --schedule that names options the scenario's choice points do not have is a mistake on the
// command line, not a verdict on the scenario.
bool schedule_fits(const SuiteRun& suite, const CommonOptions& common) {
  if (common.schedule.empty() || suite.schedule_mismatches == 0) return true;
  for (const RunResult& r : suite.results) {
    if (!r.schedule_mismatch) continue;
    bad_input(fmt::format("--schedule {} does not fit {}: it names an option that one of its "
                          "choice points does not have", common.schedule, r.scenario.file),
              fmt::format("closesim explore {} lists the schedules it has", r.scenario.file));
  }
  return false;
}

// Folded into every status: an internal error outranks everything, then a failed write.
int combine(int status, int write_status) {
  return status == kExitInternal ? status : std::max(status, write_status);
}

}  // namespace

int cmd_run(Output& out, const std::vector<std::string>& files, const CommonOptions& common,
            const RunView& view) {
  std::optional<RunOptions> options = to_run_options(common);
  if (!options) return kExitBadInput;
  if (view.explain && view.format != "text")
    return bad_input(fmt::format("--explain and --format {} conflict", view.format),
                     "--explain annotates the text timeline; drop one of them");
  // A Chrome trace or a Mermaid diagram is one document per run: several would not concatenate
  // into one valid file.
  if (files.size() > 1 && (view.format == "chrome" || view.format == "mermaid"))
    return bad_input(fmt::format("--format {} renders one scenario at a time, got {}", view.format, files.size()),
                     fmt::format("run it once per file, e.g. closesim run --format {} {} -o out",
                                 view.format, files.front()));
  SuiteRun suite = run_suite(files, *options);
  if (!schedule_fits(suite, common)) return kExitBadInput;
  std::string text;
  if (view.format == "junit") {
    text = render_junit(suite.results);
  } else if (view.format == "tap") {
    text = render_tap(suite.results);
  } else {
    for (const RunResult& r : suite.results) {
      if (view.format == "json") text += render_json_lines(r);
      else if (view.format == "mermaid") text += render_mermaid(r);
      else if (view.format == "chrome") text += render_chrome_trace(r);
      else text += render_timeline(r, TimelineOptions{view.explain});
    }
  }
  return combine(suite.exit_status(), out.write(view.output, text));
}

int cmd_check(Output& out, const std::vector<std::string>& paths, const CommonOptions& common,
              const std::string& format, const std::string& junit, bool require_coverage) {
  std::optional<RunOptions> options = to_run_options(common);
  if (!options) return kExitBadInput;
  std::vector<std::string> files;
  if (!collect(paths, files)) return kExitBadInput;
  SuiteRun suite = run_suite(files, *options);
  if (!schedule_fits(suite, common)) return kExitBadInput;
  int status = suite.exit_status();
  std::string coverage;
  if (require_coverage) {
    for (const RuleCoverageRow& row : rule_coverage(suite.results)) {
      if (!row.exercised_by.empty()) continue;
      coverage += fmt::format("coverage: {} ({}) is never exercised by these scenarios\n",
                              rule_name(row.rule), rule_title(row.rule));
      if (status != kExitInternal) status = std::max(status, kExitFail);
    }
  }
  // Every report is written even when a scenario broke an invariant: its ERROR is in them.
  const std::string text = format == "junit" ? render_junit(suite.results)
                           : format == "tap" ? render_tap(suite.results)
                                             : render_check_summary(suite.results);
  int write_status = out.write("", text);
  if (!junit.empty()) write_status = std::max(write_status, out.write(junit, render_junit(suite.results)));
  if (!coverage.empty()) fmt::print(stderr, "{}", coverage);
  return combine(status, write_status);
}

int cmd_rules(Output& out, const std::vector<std::string>& paths, const CommonOptions& common) {
  if (paths.empty()) {
    std::string text;
    for (int i = 1; i <= kRuleCount; ++i) {
      RuleId id = static_cast<RuleId>(i);
      text += fmt::format("{:<4} {}\n", rule_name(id), rule_title(id));
    }
    return out.write("", text);
  }
  std::optional<RunOptions> options = to_run_options(common);
  if (!options) return kExitBadInput;
  std::vector<std::string> files;
  if (!collect(paths, files)) return kExitBadInput;
  SuiteRun suite = run_suite(files, *options);
  int status = out.write("", render_rule_coverage(rule_coverage(suite.results)));
  if (suite.internal_errors) return kExitInternal;
  for (const RunResult& r : suite.results)
    if (r.verdict() == Verdict::Error) return kExitBadInput;
  return status;
}

int cmd_report(Output& out, const std::vector<std::string>& paths, const CommonOptions& common,
               const std::string& output) {
  std::optional<RunOptions> options = to_run_options(common);
  if (!options) return kExitBadInput;
  std::vector<std::string> files;
  if (!collect(paths, files)) return kExitBadInput;
  SuiteRun suite = run_suite(files, *options);
  // The same files under the other profile, for the page's side-by-side comparison.
  std::vector<RunResult> other;
  for (const RunResult& r : suite.results) {
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
  if (out.write(output, render_html(suite.results, rule_coverage(suite.results), other)) != 0)
    return combine(suite.exit_status(), kExitBadInput);
  const std::size_t n = suite.results.size();
  return combine(suite.exit_status(),
                 out.write("", fmt::format("wrote {} ({} scenario{})\n", output, n, n == 1 ? "" : "s")));
}

}  // namespace closesim::cli
