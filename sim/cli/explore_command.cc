// explore and merge: the command line of schedule exploration (docs/explore.md).
#include "cli/explore_command.h"

#include "cli/output.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"
#include "closesim/run/runner.h"
#include "scenario/source_file.h"

namespace closesim::cli {

namespace {

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
    if (shown_ && now - last_ < std::chrono::milliseconds(200)) return;  // the first at once
    last_ = now;
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double rate = seconds > 0 ? static_cast<double>(schedules) / seconds : 0;
    const std::string left = total_ ? fmt::format(" of {}", total_) : std::string();
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

ExploreCommand::ExploreCommand(CLI::App& app, CommonOptions& common, Output& out)
    : common_(common), out_(out) {
  explore_ = app.add_subcommand("explore", "Run every order a scenario leaves open, check each, "
                                           "and group them by outcome");
  explore_->add_option("files", files_, "Scenario files")->required();
  explore_->add_option("--strategy", strategy_,
                       "auto (the default: dpor, then pct if dpor cannot finish), dpor (every "
                       "order of dependent events), dfs (every schedule), random or pct")
      ->check(CLI::IsMember({"auto", "dpor", "dfs", "random", "pct"}));
  explore_->add_option("--max-schedules", max_schedules_,
                       "auto, dpor, dfs: stop after this many schedules, 1 to 10^7 (default 10000)");
  explore_->add_option("--preemption-bound", preemption_bound_,
                       "dfs: only schedules with at most this many answers other than option 0 (0 to 1000)");
  explore_->add_option("--runs", runs_, "random, pct: how many runs, 1 to 10^7 (default 1000)");
  explore_->add_option("--depth", depth_, "pct: bug depth, the number of priority change points "
                                          "plus one, 1 to 1000, at most the run's choice points "
                                          "plus one (default 3)");
  explore_->add_option("--shard", shard_, "Run part I of N of the schedules, e.g. 0/4");
  explore_->add_option("--shard-depth", shard_depth_,
                       "split the schedules into subtrees below this many choice points, 1 to 64 "
                       "(dfs: default 4; auto, dpor: default 2)");
  explore_->add_option("--json", json_, "Write a JSON summary to this file (for closesim merge)");
  explore_->add_option("--shrink", shrink_, "Minimise the scenario while the first violated rule "
                                            "still fails, and write it to this file");
  explore_->add_option("--shrink-schedules", shrink_schedules_,
                       "Schedules the shrinker's search tries per candidate, 1 to 10^7 (default 2000)");
  explore_->add_flag("--check-determinism", check_determinism_,
                     "Run every schedule twice and fail if the traces differ");
  explore_->add_flag("--expect-all", expect_all_,
                     "Fail when an expectation fails in any schedule, not only in every one");
  explore_->add_flag("--require-exhaustive", require_exhaustive_,
                     "Exit 1 unless the exploration covered its whole space");
  explore_->add_flag("--signatures", signatures_,
                     "Print every outcome class's whole signature");
  add_common_options(*explore_, common_, CommonSet{.schedule = false});

  merge_ = app.add_subcommand("merge", "Combine the JSON summaries of explore shards into one report");
  merge_->add_option("summaries", summaries_, "JSON summaries written by closesim explore --json")
      ->required();
  merge_->add_option("-o,--output", merge_output_, "Also write the merged JSON summary here");
}

int ExploreCommand::dispatch() {
  if (explore_->parsed()) return explore();
  if (merge_->parsed()) return merge();
  return -1;
}

int ExploreCommand::explore() {
  if ((!json_.empty() || !shrink_.empty()) && files_.size() > 1)
    return bad_input(fmt::format("{} writes one scenario's result, got {} files",
                                 json_.empty() ? "--shrink" : "--json", files_.size()),
                     "explore the file on its own to write it");
  CommonOptions plain = common_;
  plain.seed.clear();  // the seed seeds the strategy, not each run
  std::optional<RunOptions> run = to_run_options(plain);
  if (!run) return kExitBadInput;
  std::optional<std::uint64_t> seed;
  if (!common_.seed.empty() && !(seed = parse_count("--seed", common_.seed, 0, UINT64_MAX))) return kExitBadInput;

  ExploreOptions options;
  options.run = *run;
  options.strategy = parse_strategy(strategy_).value_or(Strategy::Auto);
  if (!shard_.empty()) {
    std::optional<Shard> shard = parse_shard(shard_);
    if (!shard) return bad_input(fmt::format("bad --shard '{}'", shard_), "give I/N with 0 <= I < N, e.g. 0/4");
    options.shard = *shard;
  }
  auto count = [](const char* name, const std::string& text, std::uint64_t min, std::uint64_t max,
                  std::uint64_t& into) {
    std::optional<std::uint64_t> v = parse_count(name, text, min, max);
    if (v) into = *v;
    return v.has_value();
  };
  std::uint64_t split = 0, depth = 0, runs = 0, bound = 0;
  if (!count("--max-schedules", max_schedules_, 1, 10'000'000, options.dfs.max_schedules) ||
      !count("--runs", runs_, 1, 10'000'000, runs) || !count("--depth", depth_, 1, 1000, depth) ||
      !count("--shard-depth", shard_depth_, 1, 64, split) ||
      !count("--shrink-schedules", shrink_schedules_, 1, 10'000'000, shrink_max_) ||
      (!preemption_bound_.empty() && !count("--preemption-bound", preemption_bound_, 0, 1000, bound)))
    return kExitBadInput;
  if (!preemption_bound_.empty()) options.dfs.preemption_bound = bound;
  options.dpor.max_schedules = options.dfs.max_schedules;
  if (explore_->get_option("--shard-depth")->count() > 0) {
    options.dfs.split_depth = split;
    options.dpor.split_depth = split;
  }
  options.random.runs = runs;
  options.pct.runs = runs;
  options.pct.depth = depth;
  options.check_determinism = check_determinism_;
  options.expect_all = expect_all_;
  seed_ = seed;

  int status = kExitPass;
  for (const std::string& f : files_) status = std::max(status, explore_file(f, options));
  return status;
}

int ExploreCommand::explore_file(const std::string& file, const ExploreOptions& base) {
  ParseResult parsed = parse_scenario_file(file, base.run.max_file_size);
  if (parsed.ok()) parsed.diagnostics = check_names(parsed.scenario);  // as closesim run does
  if (!parsed.ok()) {
    print_diagnostics(parsed.diagnostics, parsed.scenario.lines);
    return kExitBadInput;
  }
  const Scenario& scenario = parsed.scenario;
  ExploreOptions options = base;
  const std::uint64_t seed = seed_.value_or(scenario.has_seed ? scenario.seed : 0);
  options.random.seed = seed;
  options.pct.seed = seed;

  ProgressLine progress(options.strategy == Strategy::Random || options.strategy == Strategy::Pct
                            ? options.random.runs
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
      so.max_schedules = shrink_max_;
      so.origin = file;
      ShrinkResult shrunk = shrink_scenario(scenario, so);
      if (!shrunk.ok) {
        out += fmt::format("\nshrink: {}\n", shrunk.error);
        status = std::max(status, kExitFail);
      } else if (out_.write(shrink_, shrunk.text) != 0) {
        status = kExitBadInput;
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
  status = std::max(status, out_.write("", out));
  if (!json_.empty()) status = std::max(status, out_.write(json_, summary_to_json(summary)));
  return status;
}

int ExploreCommand::merge() {
  std::vector<ExploreSummary> parts;
  for (const std::string& path : summaries_) {
    // The same reader as scenarios: regular files only, never blocking, at most 64MiB.
    std::string text;
    if (std::optional<lang::SourceProblem> problem = lang::read_source(path, kMaxFileSizeLimit, text))
      return bad_input(fmt::format("cannot read {}: {}", path, problem->message),
                       "give files written by closesim explore --json");
    std::string error;
    std::optional<ExploreSummary> s = summary_from_json(text, &error);
    if (!s) return bad_input(fmt::format("{}: {}", path, error), "give files written by closesim explore --json");
    parts.push_back(std::move(*s));
  }
  std::string error;
  std::optional<ExploreSummary> merged = merge_summaries(parts, &error);
  if (!merged) return bad_input(error, "merge the shards of one closesim explore run");
  int status = out_.write("", render_explore_report(*merged));
  if (!merge_output_.empty()) status = std::max(status, out_.write(merge_output_, summary_to_json(*merged)));
  return std::max(status, explore_exit_status(*merged));
}

}  // namespace closesim::cli
