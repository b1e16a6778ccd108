// Depth-first exploration by replay (stateless search): no engine state is saved; a schedule is
// reached by running its answers from the start, so each run is also a proof that it replays.
//
// Sharding: the subtrees below the first `split_depth` choice points are numbered in DFS order
// (a new subtree begins whenever the search branches above that depth) and subtree k belongs to
// shard k mod count. Every shard walks the same top of the tree, so they agree on the numbering;
// a shard runs only its own subtrees in full. To learn the shape of a subtree it does not own it
// runs one probe (not counted, not visited) — unless the branch was at the split depth itself,
// where the top of the tree is already known.
#include <algorithm>

#include "closesim/explore/explore.h"

namespace closesim {

StrategyStats explore_dfs(const Scenario& scenario, const RunOptions& options,
                          const DfsOptions& dfs, const ScheduleVisitor& visit) {
  StrategyStats stats;
  ScheduleRunner runner(scenario, options);
  const Shard shard = dfs.shard.count == 0 ? Shard{} : dfs.shard;
  const std::size_t split =
      shard.count > 1 ? std::max<std::size_t>(dfs.split_depth, 1) : SIZE_MAX;
  const std::size_t bound = dfs.preemption_bound.value_or(SIZE_MAX);

  Answers prefix;
  std::vector<ChoicePoint> path;       // the choice points of the current schedule
  std::vector<std::size_t> deviations; // deviations[i]: non-zero answers in path[0, i)
  std::uint64_t subtree = 0;
  bool owned = shard_owns(shard, subtree);
  bool run_needed = true;
  for (;;) {
    if (run_needed) {
      if (owned && stats.runs >= dfs.max_schedules) {
        stats.truncated = true;
        break;
      }
      PrefixChoice choices(prefix);
      RunResult result = runner.run(choices);
      path = choices.taken();
      if (owned) {
        ++stats.runs;
        if (!visit(choices.answers(), result)) {
          stats.stopped = true;
          break;
        }
      } else {
        ++stats.probes;
      }
    }

    // Backtrack to the deepest choice point with an untried option within the bound. In a
    // subtree of another shard only the points above the split depth are ours to vary.
    const std::size_t limit = owned ? path.size() : std::min(path.size(), split);
    deviations.assign(limit + 1, 0);
    for (std::size_t i = 0; i < limit; ++i)
      deviations[i + 1] = deviations[i] + (path[i].chosen != 0 ? 1 : 0);
    std::size_t branch = limit;
    for (std::size_t i = limit; i-- > 0;) {
      if (path[i].chosen + 1 < path[i].options && deviations[i] + 1 <= bound) {
        branch = i;
        break;
      }
    }
    if (branch == limit) break;  // every schedule within the bound has been run

    prefix.clear();
    for (std::size_t i = 0; i < branch; ++i) prefix.push_back(path[i].chosen);
    prefix.push_back(path[branch].chosen + 1);
    if (branch < split) {
      ++subtree;
      owned = shard_owns(shard, subtree);
    }
    if (!owned && branch + 1 >= split) {
      // The new subtree's top is the old one's with one answer changed: no probe needed.
      path.resize(branch + 1);
      ++path[branch].chosen;
      run_needed = false;
    } else {
      run_needed = true;
    }
  }
  return stats;
}

}  // namespace closesim
