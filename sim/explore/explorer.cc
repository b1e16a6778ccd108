// explore_scenario: runs a strategy, feeds every schedule to the outcome tally, and (on request)
// runs each schedule a second time, by replay, to check that the run is a function of its
// schedule.
#include <algorithm>
#include <set>

#include "closesim/explore/explore.h"
#include "explore/footprint.h"
#include "closesim/world/mutant.h"

namespace closesim {

std::optional<Strategy> parse_strategy(const std::string& text) {
  if (text == "auto") return Strategy::Auto;
  if (text == "dpor") return Strategy::Dpor;
  if (text == "dfs") return Strategy::Dfs;
  if (text == "random") return Strategy::Random;
  if (text == "pct") return Strategy::Pct;
  return std::nullopt;
}

std::string strategy_name(Strategy s) {
  switch (s) {
    case Strategy::Auto: return "auto";
    case Strategy::Dpor: return "dpor";
    case Strategy::Dfs: return "dfs";
    case Strategy::Random: return "random";
    case Strategy::Pct: return "pct";
  }
  return "dfs";
}

namespace {

// The plain run's choice points and the lanes met at them: PCT's k and n. A lane is met when one
// of its events, or a withdrawn offer, was an option at a choice point: learnt from the events,
// so a choice point costs nothing per option.
class ShapeProbe final : public ChoiceSource {
 public:
  std::size_t choose(const ChoiceContext&) override {
    ++choices;
    return 0;
  }
  void on_event(const EventInfo& e) override {
    if (e.offered_from < e.offered_to) meet(e.lane);
  }
  void on_withdrawn(Lane lane, Time, std::uint64_t, std::uint64_t) override { meet(lane); }

  std::uint64_t choices = 0;
  std::size_t lanes = 0;

 private:
  void meet(Lane lane) {
    if (lane >= met_.size()) met_.resize(lane + 1, false);
    if (!met_[lane]) ++lanes;
    met_[lane] = true;
  }
  std::vector<bool> met_;
};

// PCT depths the default strategy sweeps when its reduced search runs out of budget.
constexpr std::size_t kFallbackDepths = 3;

}  // namespace

ExploreSummary explore_scenario(const Scenario& scenario, const ExploreOptions& options) {
  ExploreSummary summary;
  summary.file = scenario.file;
  summary.title = scenario.title;
  summary.strategy = strategy_name(options.strategy);
  const RunOptions& run = options.run;
  if (run.provider) summary.provider = provider_name(*run.provider);
  if (run.profile) summary.profile = profile_name(*run.profile);
  summary.mutant = std::string(mutant_name(run.mutant));
  summary.rules_mode = run.rules == RulesMode::Off ? "off" : run.rules == RulesMode::Warn ? "warn" : "on";
  summary.expect_all = options.expect_all;
  summary.check_determinism = options.check_determinism;
  const Shard shard = options.shard.count == 0 ? Shard{} : options.shard;
  summary.shard_count = shard.count;
  summary.shards = {shard.index};

  OutcomeTally tally;
  std::uint64_t visited = 0;
  std::set<std::uint64_t> traces;
  const ScheduleVisitor visit = [&](const Answers& answers, const RunResult& result) {
    tally.add_run(answers, result);
    traces.insert(por::mazurkiewicz_key(result.trace));
    if (options.progress && ++visited % 1024 == 0) options.progress(visited, tally.classes());
    if (!summary.first_violation && run.rules != RulesMode::Off) {
      for (const Violation& v : result.rules.violations) {
        if (v.divergence) continue;
        summary.first_violation = FirstViolation{trim_schedule(answers), v.rule};
        break;
      }
    }
    if (options.check_determinism) {
      RunResult again = replay_schedule(scenario, run, answers);
      const std::uint64_t first = result.trace.hash();
      const std::uint64_t second = again.trace.hash();
      if (first != second)
        summary.nondeterministic.push_back(DeterminismFailure{trim_schedule(answers), first, second});
    }
    return true;
  };

  {
    ShapeProbe shape;
    run_with_choices(scenario, run, shape);
    summary.lanes = shape.lanes;
    summary.choices = shape.choices;
  }

  StrategyStats stats;
  switch (options.strategy) {
    case Strategy::Auto:
    case Strategy::Dpor: {
      summary.strategy = "dpor";
      DporOptions dpor = options.dpor;
      dpor.shard = shard;
      summary.max_schedules = dpor.max_schedules;
      summary.split_depth = dpor.split_depth;
      stats = explore_dpor(scenario, run, dpor, visit);
      if (options.strategy == Strategy::Auto && stats.truncated && !stats.stopped) {
        // Too big to cover within the budget: PCT at depths 1..3 gives each a stated chance.
        PctOptions pct = options.pct;
        pct.shard = shard;
        summary.fallback_runs = pct.runs;
        summary.fallback_depths = kFallbackDepths;
        summary.seed = pct.seed;
        for (std::size_t d = 1; d <= kFallbackDepths && !stats.stopped; ++d) {
          pct.depth = d;
          pct.seed = options.pct.seed + d;
          StrategyStats more = explore_pct(scenario, run, pct, visit);
          stats.runs += more.runs;
          stats.probes += more.probes;
          stats.stopped = more.stopped;
        }
      }
      break;
    }
    case Strategy::Dfs: {
      DfsOptions dfs = options.dfs;
      dfs.shard = shard;
      summary.max_schedules = dfs.max_schedules;
      if (dfs.preemption_bound) summary.preemption_bound = *dfs.preemption_bound;
      summary.split_depth = dfs.split_depth;
      stats = explore_dfs(scenario, run, dfs, visit);
      break;
    }
    case Strategy::Random: {
      RandomOptions random = options.random;
      random.shard = shard;
      summary.runs = random.runs;
      summary.seed = random.seed;
      stats = explore_random(scenario, run, random, visit);
      break;
    }
    case Strategy::Pct: {
      PctOptions pct = options.pct;
      pct.shard = shard;
      summary.runs = pct.runs;
      summary.seed = pct.seed;
      summary.depth = pct.depth;
      stats = explore_pct(scenario, run, pct, visit);
      break;
    }
  }
  summary.schedules = stats.runs;
  summary.traces = traces.size();
  summary.probes = stats.probes;
  summary.truncated = stats.truncated;
  std::sort(summary.nondeterministic.begin(), summary.nondeterministic.end(),
            [](const DeterminismFailure& a, const DeterminismFailure& b) {
              return schedule_less(a.schedule, b.schedule);
            });
  tally.finish(summary);
  return summary;
}

}  // namespace closesim
