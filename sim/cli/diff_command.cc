// `closesim diff FILE`: the simulation under the file's profile against the real stack, or,
// with --between A,B, the simulation under two profiles (no Wine needed). Exit 1 when they differ.
#include <fmt/format.h>

#include "cli/real_command.h"

#include "cli/output.h"
#include "closesim/scenario/parser.h"
#include "closesim/real/diff.h"
#include "closesim/real/judge.h"
#include "closesim/real/plan.h"
#include "closesim/real/stack.h"
#include "closesim/real/trace_reader.h"
#include "closesim/report/report.h"

namespace closesim::cli {

namespace {

int diff_error(const std::string& what, const std::string& hint) {
  fmt::print(stderr, "closesim: error: {}\n  hint: {}\n", what, hint);
  return 2;
}

RunResult simulate(const std::string& file, ProfileKind profile) {
  RunOptions o;
  o.profile = profile;
  RunResult r = run_file(file, o);
  r.scenario.profile = profile;
  return r;
}

}  // namespace

int RealCommand::diff() {
  int status = 0;
  std::optional<Scenario> loaded = load_scenario(scenario_, status, out_);
  if (!loaded) return status;
  const Scenario& sc = *loaded;
  real::RunDiff d;
  if (!between_.empty()) {
    auto comma = between_.find(',');
    std::optional<ProfileKind> a, b;
    if (comma != std::string::npos) {
      a = parse_profile(between_.substr(0, comma));
      b = parse_profile(between_.substr(comma + 1));
    }
    if (!a || !b)
      return diff_error(fmt::format("--between wants two profiles, got '{}'", between_),
                        "e.g. --between documented,windows");
    RunResult left = simulate(scenario_, *a), right = simulate(scenario_, *b);
    d = real::diff_traces(sc, left.trace, right.trace, "simulation, profile " + profile_name(*a),
                          "simulation, profile " + profile_name(*b));
  } else {
    std::optional<Time> tolerance = parse_tolerance(tolerance_);
    if (!tolerance) return diff_error(fmt::format("bad --tolerance '{}'", tolerance_), "e.g. --tolerance 100ms");
    real::Plan plan = real::write_plan(sc, real::PlanOptions{1.0, *tolerance});
    if (!plan.realisable()) {
      out_.write("", "cannot be played on a real stack:\n");
      for (const real::UnrealisableStep& u : plan.unrealisable) out_.write("", fmt::format("  line {}: {}\n", u.line, u.reason));
      return 2;
    }
    const real::StackConfig config = real::default_stack_config();
    real::StackRun played = real::play_on_stack(plan, config, "diff");
    if (!played.ok) return diff_error(played.error, "make real");
    real::TraceReadResult read = real::read_trace(played.trace, "runner trace");
    if (!read.ok()) return diff_error(read.diagnostics.front().message, "the runner wrote a bad trace");
    RunResult left = simulate(scenario_, sc.profile);
    d = real::diff_traces(sc, left.trace, read.trace, "simulation, profile " + profile_name(sc.profile),
                          real::stack_version(config) + " (real, not deterministic)");
  }
  const std::string page = format_ == "html" ? real::render_diff_html(d, scenario_)
                                             : fmt::format("diff: {}\n{}", scenario_, real::render_diff(d));
  if (out_.write(output_, page) != 0) return 2;
  return d.differences() ? 1 : 0;
}

}  // namespace closesim::cli
