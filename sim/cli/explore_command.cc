// explore and merge: the command line of schedule exploration (docs/explore.md).
#include "cli/explore_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "closesim/explore.h"
#include "closesim/parser.h"
#include "closesim/runner.h"

namespace closesim::cli {

namespace {

int bad_input(const std::string& what, const std::string& hint) {
  fmt::print(stderr, "closesim: error: {}\n", what);
  if (!hint.empty()) fmt::print(stderr, "  hint: {}\n", hint);
  return 2;
}

// A one-line progress report on a terminal's stderr: never when stderr is redirected or under CI,
// so logs and goldens never see it. The wall clock is read here only, for the rate.
class ProgressLine {
 public:
  explicit ProgressLine(std::uint64_t total)
      : total_(total),
        enabled_(isatty(STDERR_FILENO) && std::getenv("CI") == nullptr),
        start_(std::chrono::steady_clock::now()),
        last_(start_) {}
  bool enabled() const { return enabled_; }
  void show(std::uint64_t schedules, std::size_t classes) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(schedules) / seconds : 0;
    std::string left = total_ ? fmt::format(" of {}", total_) : std::string();
    fmt::print(stderr, "\rexploring: {}{} schedules, {} classes, {:.0f}/s\033[K", schedules, left,
               classes, rate);
    shown_ = true;
  }
  void clear() {
    if (shown_) fmt::print(stderr, "\r\033[K");
  }

 private:
  std::uint64_t total_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace

ExploreCommand::ExploreCommand(CLI::App& app, CommonOptions& common) : common_(common) {
  explore_ = app.add_subcommand("explore", "Run every order a scenario leaves open, check each, "
                                           "and group them by outcome");
  explore_->add_option("file", file_, "Scenario file")->required();
  explore_->add_option("--strategy", strategy_,
                       "auto (the default: dpor, then pct if dpor cannot finish), dpor (every "
                       "order of dependent events), dfs (every schedule), random or pct")
      ->check(CLI::IsMember({"auto", "dpor", "dfs", "random", "pct"}));
  explore_->add_option("--max-schedules", max_schedules_,
                       "dfs: stop after this many schedules (default 10000)");
  bound_option_ = explore_->add_option(
      "--preemption-bound", preemption_bound_,
      "dfs: only schedules with at most this many answers other than option 0");
  explore_->add_option("--runs", runs_, "random, pct: how many runs (default 1000)");
  explore_->add_option("--depth", depth_, "pct: bug depth, the number of priority change points "
                                          "plus one (default 3)");
  explore_->add_option("--shard", shard_, "Run part I of N of the schedules, e.g. 0/4");
  explore_->add_option("--shard-depth", shard_depth_,
                       "split the schedules into subtrees below this many choice points (dfs: default 4; "
                       "dpor, auto: default 2)");
  explore_->add_option("--json", json_, "Write a JSON summary to this file (for closesim merge)");
  explore_->add_option("--shrink", shrink_, "Minimise the scenario while the first violated rule "
                                            "still fails, and write it to this file");
  explore_->add_option("--shrink-schedules", shrink_schedules_,
                       "Schedules the shrinker's search tries per candidate (default 2000)");
  explore_->add_flag("--check-determinism", check_determinism_,
                     "Run every schedule twice and fail if the traces differ");
  explore_->add_flag("--expect-all", expect_all_,
                     "Fail when an expectation fails in any schedule, not only in every one");
  explore_->add_flag("--require-exhaustive", require_exhaustive_,
                     "Exit 1 unless the exploration covered its whole space");
  explore_->add_flag("--signatures", signatures_,
                     "Print every outcome class's whole signature");
  add_common_options(*explore_, common_);

  merge_ = app.add_subcommand("merge", "Combine the JSON summaries of explore shards into one report");
  merge_->add_option("summaries", summaries_, "JSON summaries written by closesim explore --json")
      ->required();
  merge_->add_option("-o,--output", merge_output_, "Also write the merged JSON summary here");
}

int ExploreCommand::dispatch() {
  if (explore_->parsed()) return explore();
  if (merge_->parsed()) return merge();
  return 2;
}

int ExploreCommand::explore() {
  if (!common_.schedule.empty())
    return bad_input("explore runs every schedule; --schedule replays one",
                     fmt::format("closesim run {} --schedule {}", file_, common_.schedule));
  if (common_.random)
    return bad_input("--random has no meaning for explore", "use --strategy random --seed S");
  CommonOptions plain = common_;
  plain.seed.reset();
  std::optional<RunOptions> run = to_run_options(plain);
  if (!run) return 2;

  ExploreOptions options;
  options.run = *run;
  options.strategy = parse_strategy(strategy_).value_or(Strategy::Auto);
  if (!shard_.empty()) {
    std::optional<Shard> shard = parse_shard(shard_);
    if (!shard) return bad_input(fmt::format("bad --shard '{}'", shard_), "give I/N with 0 <= I < N, e.g. 0/4");
    options.shard = *shard;
  }
  if (depth_ < 1) return bad_input("--depth must be at least 1", "--depth 3 finds bugs that need two ordering constraints");
  const bool shard_depth_given = explore_->get_option("--shard-depth")->count() > 0;
  if (shard_depth_given && shard_depth_ < 1) return bad_input("--shard-depth must be at least 1", "");

  ParseResult parsed = parse_scenario_file(file_);
  if (parsed.ok()) parsed.diagnostics = check_names(parsed.scenario);  // as closesim run does
  if (!parsed.ok()) {
    for (const Diagnostic& d : parsed.diagnostics) {
      const std::string line = d.line >= 1 && d.line <= static_cast<int>(parsed.scenario.lines.size())
                                   ? parsed.scenario.lines[static_cast<std::size_t>(d.line - 1)]
                                   : std::string();
      fmt::print(stderr, "{}", format_diagnostic(d, line));
    }
    return 2;
  }
  const Scenario& scenario = parsed.scenario;
  const std::uint64_t seed = common_.seed.value_or(scenario.has_seed ? scenario.seed : 0);

  options.dfs.max_schedules = max_schedules_;
  if (bound_option_->count()) options.dfs.preemption_bound = preemption_bound_;
  if (shard_depth_given) options.dfs.split_depth = options.dpor.split_depth = shard_depth_;
  options.dpor.max_schedules = max_schedules_;
  options.random.runs = runs_;
  options.random.seed = seed;
  options.pct.runs = runs_;
  options.pct.seed = seed;
  options.pct.depth = depth_;
  options.check_determinism = check_determinism_;
  options.expect_all = expect_all_;

  ProgressLine progress(options.strategy == Strategy::Random || options.strategy == Strategy::Pct
                            ? runs_
                            : 0);
  if (progress.enabled())
    options.progress = [&](std::uint64_t n, std::size_t classes) { progress.show(n, classes); };
  ExploreSummary summary = explore_scenario(scenario, options);
  progress.clear();
  int status = explore_exit_status(summary, require_exhaustive_);
  std::string out = render_explore_report(summary, ExploreReportOptions{signatures_});

  if (!shrink_.empty()) {
    if (!summary.first_violation) {
      out += "\nshrink: no schedule violates a rule, so there is nothing to shrink\n";
    } else {
      ShrinkOptions so;
      so.run = options.run;
      so.rule = summary.first_violation->rule;
      so.schedule = summary.first_violation->schedule;
      so.max_schedules = shrink_schedules_;
      so.origin = file_;
      ShrinkResult shrunk = shrink_scenario(scenario, so);
      if (!shrunk.ok) {
        out += fmt::format("\nshrink: {}\n", shrunk.error);
        status = std::max(status, 1);
      } else if (!write_output(shrink_, shrunk.text)) {
        status = 2;
      } else {
        std::string replay = "closesim run " + shrink_;
        if (!summary.mutant.empty()) replay += " --mutant " + summary.mutant;
        out += fmt::format(
            "\nshrink: {} fails with {} of {} steps ({} candidates tried); wrote {}\n  replay: {}\n",
            rule_name(so.rule), shrunk.steps_after, shrunk.steps_before, shrunk.candidates,
            shrink_, replay);
      }
    }
  }
  write_output("", out);
  if (!json_.empty() && !write_output(json_, summary_to_json(summary))) return 2;
  return status;
}

int ExploreCommand::merge() {
  std::vector<ExploreSummary> parts;
  for (const std::string& path : summaries_) {
    std::ifstream f(path, std::ios::binary);
    if (!f) return bad_input(fmt::format("cannot read {}", path), "");
    std::ostringstream text;
    text << f.rdbuf();
    std::string error;
    std::optional<ExploreSummary> s = summary_from_json(text.str(), &error);
    if (!s) return bad_input(fmt::format("{}: {}", path, error), "give files written by closesim explore --json");
    parts.push_back(std::move(*s));
  }
  std::string error;
  std::optional<ExploreSummary> merged = merge_summaries(parts, &error);
  if (!merged) return bad_input(error, "merge the shards of one closesim explore run");
  write_output("", render_explore_report(*merged));
  if (!merge_output_.empty() && !write_output(merge_output_, summary_to_json(*merged))) return 2;
  return explore_exit_status(*merged);
}

}  // namespace closesim::cli
