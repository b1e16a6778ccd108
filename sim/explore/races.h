// The races among the events of one instant of a run, for the reduced search (dpor.cc): two
// events race when they are dependent (footprint.h), run in different lanes, and nothing else
// orders them — neither a lane, nor "this event scheduled that one", nor a chain of dependent
// events. Private to sim/explore.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "closesim/engine/engine.h"
#include "explore/footprint.h"

namespace closesim::por {

// One event of the instant, in run order.
struct InstantEvent {
  Lane lane = 0;
  std::size_t creator = SIZE_MAX;  // the index of the event of this instant that scheduled it
  const Footprint* footprint = nullptr;
};

// For each event j, the last earlier event of another lane that is dependent on j and not
// ordered before j by anything else: race(i, j). Each event's dependents are found through the
// objects it touches (per object, its last write and the reads since), so the cost grows with
// the accesses and with the events each one is ordered after, not with every pair of the instant.
void for_each_race(const std::vector<InstantEvent>& events,
                   const std::function<void(std::size_t earlier, std::size_t later)>& race);

}  // namespace closesim::por
