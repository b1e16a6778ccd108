// The loop random walk and PCT share: run r of an exploration draws its seed as the r-th number
// of one stream seeded with --seed, so any shard can compute any run's seed and shard I of N runs
// exactly runs I, I+N, I+2N... of the unsharded exploration.
#pragma once

#include <cstdint>

#include "closesim/explore/explore.h"

namespace closesim {

// make_choices(seed) gives the ChoiceSource of one run; it must record every choice it answers
// (taken()), which is what the visitor is handed.
template <class MakeChoices>
void run_seeded(ScheduleRunner& runner, std::uint64_t runs, std::uint64_t seed, const Shard& shard,
                MakeChoices make_choices, const ScheduleVisitor& visit, StrategyStats& stats) {
  SeededChoice seeds(seed);
  for (std::uint64_t r = 0; r < runs; ++r) {
    const std::uint64_t run_seed = seeds.next();
    if (!shard_owns(shard, r)) continue;
    auto choices = make_choices(run_seed);
    RunResult result = runner.run(choices);
    Answers answers;
    answers.reserve(choices.taken().size());
    for (const ChoicePoint& c : choices.taken()) answers.push_back(c.chosen);
    ++stats.runs;
    if (!visit(answers, result)) {
      stats.stopped = true;
      return;
    }
  }
}

}  // namespace closesim
