// Which lanes were options at which choice points of one run, learnt from the events as they ran
// (EventInfo's offered range) and from withdrawn offers, so that no choice point's options are
// copied: a run with n choice points among n lanes records O(n), not O(n^2). Private to
// sim/explore (the reduced search asks it whether a lane was enabled at a choice point).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "closesim/engine/choice_source.h"

namespace closesim::por {

class OfferLog {
 public:
  // `lane` was an option at the choice points [from, to), all at instant `time`. REQUIRES:
  // from < to; `to` never decreases from one call to the next (offers end as the run goes).
  void add(Lane lane, Time time, std::uint64_t from, std::uint64_t to);

  // Whether `lane` was an option at choice point `choice`. O(log offers of the lane).
  bool offered(Lane lane, std::uint64_t choice) const;
  // Whether `lane` was an option at any choice point.
  bool met(Lane lane) const { return lane < by_lane_.size() && !by_lane_[lane].empty(); }
  // The options at `choice`, ascending; empty for a choice point the run did not reach. Costs
  // the offers of its instant that end after it.
  std::vector<Lane> options_at(std::uint64_t choice) const;

 private:
  struct Offer {
    Lane lane = 0;
    Time time = 0;
    std::uint64_t from = 0;
    std::uint64_t to = 0;
  };
  struct Span {
    std::uint64_t from = 0;
    std::uint64_t to = 0;
  };
  std::vector<Offer> offers_;             // ordered by `to`
  std::vector<std::vector<Span>> by_lane_;  // each ordered by `from` (a lane's offers never overlap)
};

}  // namespace closesim::por
