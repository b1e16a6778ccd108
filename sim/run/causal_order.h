// Which steps of a scenario must come before another, whatever their times (docs/explore.md,
// "Happens-before"): a step that names something waits until the step that made it returned, a
// peer's action until its connection exists, and a step timed `then` until the step before it
// started. Steps of one thread are ordered by the thread itself and need no entry. Private to
// sim/run.
#pragma once

#include <cstddef>
#include <vector>

#include "closesim/scenario/scenario.h"

namespace closesim {

struct Prerequisite {
  std::size_t step = 0;      // an index into scenario.steps, earlier in the file
  bool returned = true;      // it must have returned (else: only started)
  bool operator==(const Prerequisite&) const = default;
  auto operator<=>(const Prerequisite&) const = default;
};

// prerequisites[i]: what must come before step i starts (none of i's own thread). O(n log n)
// overall.
std::vector<std::vector<Prerequisite>> causal_prerequisites(const Scenario& scenario);

}  // namespace closesim
