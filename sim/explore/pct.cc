// Probabilistic concurrency testing: a ChoiceSource that schedules by lane priority, with a few
// random priority change points, and the driver that runs it.
#include <algorithm>
#include <map>
#include "closesim/base/check.h"

#include "closesim/explore/explore.h"
#include "seeded_runs.h"

namespace closesim {

PctChoice::PctChoice(std::uint64_t seed, std::size_t depth, std::uint64_t expected_choices)
    : random_(seed), depth_(depth) {
  CLOSESIM_CHECK(depth >= 1);
  const std::uint64_t k = std::max<std::uint64_t>(expected_choices, 1);
  // depth - 1 draws, counted per choice index (a map of at most k entries) rather than kept.
  std::map<std::uint64_t, std::uint64_t> counts;
  for (std::size_t i = 1; i < depth_; ++i) ++counts[random_.next() % k];
  change_points_.assign(counts.begin(), counts.end());
}

std::size_t PctChoice::choose(const ChoiceContext& ctx) {
  const std::size_t n = ctx.options.size();
  CLOSESIM_CHECK(n >= 2);
  const std::uint64_t index = taken_.size();
  // Lanes first seen now get a random priority above every change point's, in option order.
  option_priority_.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::string& label = ctx.options[k];
    auto it = priority_.find(label);
    if (it == priority_.end()) it = priority_.emplace(label, depth_ + (random_.next() >> 2)).first;
    option_priority_[k] = &it->second;
  }
  auto best = [&] {
    std::size_t pick = 0;
    for (std::size_t k = 1; k < n; ++k)
      if (*option_priority_[k] > *option_priority_[pick]) pick = k;
    return pick;
  };
  // At the i-th change point (in index order) the lane about to run drops to priority
  // depth - i.
  while (next_change_ < change_points_.size() && change_points_[next_change_].first < index)
    changes_done_ += change_points_[next_change_++].second;
  if (next_change_ < change_points_.size() && change_points_[next_change_].first == index) {
    for (std::uint64_t c = 0; c < change_points_[next_change_].second; ++c)
      *option_priority_[best()] = depth_ - (++changes_done_);
    ++next_change_;
  }
  const std::size_t pick = best();
  taken_.push_back(ChoicePoint{static_cast<std::uint32_t>(pick), static_cast<std::uint32_t>(n)});
  return pick;
}

StrategyStats explore_pct(const Scenario& scenario, const RunOptions& options,
                          const PctOptions& pct, const ScheduleVisitor& visit) {
  StrategyStats stats;
  ScheduleRunner runner(scenario, options);
  const Shard shard = pct.shard.count == 0 ? Shard{} : pct.shard;
  // k, the number of choice points change points are drawn among, is the plain run's. It is
  // the same for every shard (a k that grew with the runs seen would differ between shards).
  PrefixChoice plain({});
  runner.run(plain);
  ++stats.probes;
  const std::uint64_t k = plain.taken().size();
  // More change points than the plain run has choice points would only cost memory: the depth is
  // bounded by the run's length.
  const auto depth = static_cast<std::size_t>(std::clamp<std::uint64_t>(pct.depth, 1, k + 1));
  run_seeded(runner, pct.runs, pct.seed, shard,
             [&](std::uint64_t seed) { return PctChoice(seed, depth, k); }, visit, stats);
  return stats;
}

}  // namespace closesim
