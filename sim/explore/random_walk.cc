// Random exploration: independent runs with uniformly random answers. Run r draws its seed as the
// r-th number of a splitmix64 stream seeded with --seed, so any shard can compute any run's seed
// and the runs of shard I of N are exactly runs I, I+N, I+2N... of the unsharded exploration.
#include "closesim/explore/explore.h"

namespace closesim {

StrategyStats explore_random(const Scenario& scenario, const RunOptions& options,
                             const RandomOptions& random, const ScheduleVisitor& visit) {
  StrategyStats stats;
  ScheduleRunner runner(scenario, options);
  const Shard shard = random.shard.count == 0 ? Shard{} : random.shard;
  SeededChoice seeds(random.seed);
  for (std::uint64_t r = 0; r < random.runs; ++r) {
    const std::uint64_t seed = seeds.next();
    if (!shard_owns(shard, r)) continue;
    RandomWalkChoice choices(seed);
    RunResult result = runner.run(choices);
    Answers answers;
    answers.reserve(choices.taken().size());
    for (const ChoicePoint& c : choices.taken()) answers.push_back(c.chosen);
    ++stats.runs;
    if (!visit(answers, result)) {
      stats.stopped = true;
      break;
    }
  }
  return stats;
}

}  // namespace closesim
