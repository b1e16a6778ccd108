#include "explore/races.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace closesim::por {

namespace {

// A set of events of the instant, as bits; the set of events before j holds indices below j
// only, so its row is j bits long.
using Bits = std::vector<std::uint64_t>;

std::size_t words_for(std::size_t bits) { return (bits + 63) / 64; }
bool has(const Bits& b, std::size_t i) {
  return i / 64 < b.size() && ((b[i / 64] >> (i % 64)) & 1u) != 0;
}
void add(Bits& b, std::size_t i) { b[i / 64] |= std::uint64_t{1} << (i % 64); }
void merge(Bits& into, const Bits& from) {
  for (std::size_t w = 0; w < from.size(); ++w) into[w] |= from[w];
}

// Per object, the accesses a later event can depend on without passing through another
// dependent event: the last write, and the reads since. Any earlier access is dependent on that
// write, so it is ordered before it, and through it before the later event.
struct ObjectAccesses {
  std::size_t last_write = SIZE_MAX;
  std::vector<std::size_t> reads;
};

}  // namespace

void for_each_race(const std::vector<InstantEvent>& events,
                   const std::function<void(std::size_t earlier, std::size_t later)>& race) {
  const std::size_t n = events.size();
  std::vector<Bits> before(n);  // before[j]: the events of this instant that happen before j
  std::unordered_map<std::uint64_t, ObjectAccesses> objects;  // looked up only: no order leaks
  std::map<Lane, std::size_t> last_of_lane;
  std::size_t last_everything = SIZE_MAX;  // dependent on all: every earlier event precedes it
  std::vector<std::size_t> preds, dependents;
  Bits later;
  for (std::size_t j = 0; j < n; ++j) {
    const InstantEvent& ej = events[j];
    const Footprint& fj = *ej.footprint;
    preds.clear();
    dependents.clear();
    auto lane_it = last_of_lane.find(ej.lane);
    if (lane_it != last_of_lane.end()) preds.push_back(lane_it->second);
    if (ej.creator < j) preds.push_back(ej.creator);

    // The dependent events that nothing dependent separates from j; the others are ordered
    // before one of these, which adds nothing to the race or to the order below.
    if (fj.everything) {
      for (std::size_t i = last_everything == SIZE_MAX ? 0 : last_everything; i < j; ++i)
        dependents.push_back(i);
      last_everything = j;
    } else {
      if (last_everything != SIZE_MAX) dependents.push_back(last_everything);
      for (auto a = fj.accesses.begin(); a != fj.accesses.end();) {
        const std::uint64_t object = a->object;
        bool write = false;
        for (; a != fj.accesses.end() && a->object == object; ++a) write = write || a->write;
        ObjectAccesses& seen = objects[object];
        if (seen.last_write != SIZE_MAX) dependents.push_back(seen.last_write);
        if (write) {
          dependents.insert(dependents.end(), seen.reads.begin(), seen.reads.end());
          seen.reads.clear();
          seen.last_write = j;
        } else {
          seen.reads.push_back(j);
        }
      }
      std::sort(dependents.begin(), dependents.end());
      dependents.erase(std::unique(dependents.begin(), dependents.end()), dependents.end());
    }

    // The last dependent event of another lane that nothing else orders before j races with it.
    later.assign(words_for(j), 0);  // what the dependents after the one looked at follow
    for (std::size_t d = dependents.size(); d-- > 0;) {
      const std::size_t i = dependents[d];
      if (events[i].lane != ej.lane) {  // otherwise ordered by the lane itself
        bool ordered = has(later, i);
        for (std::size_t p : preds) ordered = ordered || p == i || has(before[p], i);
        if (!ordered) {
          race(i, j);
          break;
        }
      }
      merge(later, before[i]);
    }

    // What happens before j: its predecessors and everything before them, latest first, so a
    // predecessor already known to be before j adds nothing.
    Bits& row = before[j];
    row.assign(words_for(j), 0);
    preds.insert(preds.end(), dependents.begin(), dependents.end());
    std::sort(preds.begin(), preds.end(), std::greater<>());
    for (std::size_t p : preds) {
      if (has(row, p)) continue;
      add(row, p);
      merge(row, before[p]);
    }
    last_of_lane[ej.lane] = j;
  }
}

}  // namespace closesim::por
