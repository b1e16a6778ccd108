// Random exploration: independent runs with uniformly random answers, seeded as seeded_runs.h says.
#include "closesim/explore/explore.h"
#include "seeded_runs.h"

namespace closesim {

StrategyStats explore_random(const Scenario& scenario, const RunOptions& options,
                             const RandomOptions& random, const ScheduleVisitor& visit) {
  StrategyStats stats;
  ScheduleRunner runner(scenario, options);
  const Shard shard = random.shard.count == 0 ? Shard{} : random.shard;
  run_seeded(runner, random.runs, random.seed, shard,
             [](std::uint64_t seed) { return RandomWalkChoice(seed); }, visit, stats);
  return stats;
}

}  // namespace closesim
