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
  // Only the options first offered here can be new: every other one was an option at the
  // previous choice point, and has a priority and a place in the queue already.
  ctx.options.fresh(fresh_);
  for (std::size_t k : fresh_) {
    const Lane lane = ctx.options.lane(k);
    if (lane >= priority_.size()) {
      priority_.resize(lane + 1, kNoPriority);
      queued_.resize(lane + 1, kNoPriority);
    }
    if (priority_[lane] == kNoPriority) priority_[lane] = depth_ + (random_.next() >> 2);
    enqueue(lane);
  }
  // At the i-th change point (in index order) the lane about to run drops to priority
  // depth - i.
  while (next_change_ < change_points_.size() && change_points_[next_change_].first < index)
    changes_done_ += change_points_[next_change_++].second;
  if (next_change_ < change_points_.size() && change_points_[next_change_].first == index) {
    for (std::uint64_t c = 0; c < change_points_[next_change_].second; ++c) {
      const Lane lane = ctx.options.lane(best(ctx));
      priority_[lane] = depth_ - (++changes_done_);
      enqueue(lane);
    }
    ++next_change_;
  }
  const std::size_t pick = best(ctx);
  taken_.push_back(ChoicePoint{static_cast<std::uint32_t>(pick), static_cast<std::uint32_t>(n)});
  return pick;
}

// One live entry per lane due, at its priority (a changed priority leaves the old entry stale).
void PctChoice::enqueue(Lane lane) {
  if (queued_[lane] == priority_[lane]) return;
  queued_[lane] = priority_[lane];
  queue_.push({priority_[lane], lane});
}

// The option of highest priority, the earliest option among equals. Every lane due has a live
// entry in the queue: pushed when it was first offered, and again when its priority changed
// (priorities never come back to an old value: change points give ever lower ones). An entry
// whose priority is no longer its lane's is dropped when it reaches the top, and so is one whose
// lane is no longer due (it is pushed again when the lane is offered anew).
std::size_t PctChoice::best(const ChoiceContext& ctx) {
  std::size_t pick = SIZE_MAX;
  std::uint64_t top = 0;
  tied_.clear();
  while (!queue_.empty()) {
    const Queued q = queue_.top();
    if (priority_[q.lane] != q.priority) {  // superseded
      queue_.pop();
      continue;
    }
    std::size_t k = 0;
    if (!ctx.options.index_of(q.lane, k)) {  // no longer due
      queue_.pop();
      queued_[q.lane] = kNoPriority;
      continue;
    }
    if (pick != SIZE_MAX && q.priority != top) break;  // lower: the best is known
    queue_.pop();
    tied_.push_back(q);
    // Equal priorities (rare: 62-bit draws) go to the earliest option, as they always have.
    if (pick == SIZE_MAX || k < pick) pick = k;
    top = q.priority;
  }
  CLOSESIM_CHECK(pick != SIZE_MAX && "every option has a priority in the queue");
  for (const Queued& q : tied_) queue_.push(q);  // still due: choosing a lane does not run it yet
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
