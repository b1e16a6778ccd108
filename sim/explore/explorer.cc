// explore_scenario: runs a strategy, feeds every schedule to the outcome tally, and (on request)
// runs each schedule a second time, by replay, to check that the run is a function of its
// schedule.
#include <algorithm>

#include "closesim/explore.h"
#include "closesim/world/mutant.h"

namespace closesim {

std::optional<Strategy> parse_strategy(const std::string& text) {
  if (text == "dfs") return Strategy::Dfs;
  if (text == "random") return Strategy::Random;
  if (text == "pct") return Strategy::Pct;
  return std::nullopt;
}

std::string strategy_name(Strategy s) {
  switch (s) {
    case Strategy::Dfs: return "dfs";
    case Strategy::Random: return "random";
    case Strategy::Pct: return "pct";
  }
  return "dfs";
}

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
  const ScheduleVisitor visit = [&](const Answers& answers, const RunResult& result) {
    tally.add_run(answers, result);
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

  StrategyStats stats;
  switch (options.strategy) {
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
