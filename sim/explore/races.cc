#include "explore/races.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <unordered_map>

namespace closesim::por {

namespace {

// The events of the instant that happen before one event: indices below a bound (the event's
// own index). Kept as a sorted list while it is small, as bits once it is not: independent
// events (n closes of n sockets) each have a handful of predecessors, so n of them cost O(n),
// where a row of bits per event cost O(n^2); an instant that really is a long chain of
// dependent events pays bits, j/8 bytes for event j, as before.
class EventSet {
 public:
  explicit EventSet(std::size_t bound = 0) : bound_(bound) {}
  bool has(std::size_t i) const {
    if (dense_) return i / 64 < bits_.size() && ((bits_[i / 64] >> (i % 64)) & 1u) != 0;
    return std::binary_search(sparse_.begin(), sparse_.end(), static_cast<std::uint32_t>(i));
  }
  // REQUIRES: i < the bound.
  void add(std::size_t i) {
    if (dense_) {
      bits_[i / 64] |= std::uint64_t{1} << (i % 64);
      return;
    }
    const auto v = static_cast<std::uint32_t>(i);
    auto at = std::lower_bound(sparse_.begin(), sparse_.end(), v);
    if (at != sparse_.end() && *at == v) return;
    sparse_.insert(at, v);
    densify_if_big();
  }
  // REQUIRES: every member of `from` is below this set's bound.
  void merge(const EventSet& from) {
    if (from.dense_) {
      densify();
      for (std::size_t w = 0; w < from.bits_.size(); ++w) bits_[w] |= from.bits_[w];
      return;
    }
    if (dense_) {
      for (std::uint32_t i : from.sparse_) bits_[i / 64] |= std::uint64_t{1} << (i % 64);
      return;
    }
    if (from.sparse_.empty()) return;
    merged_.clear();
    std::set_union(sparse_.begin(), sparse_.end(), from.sparse_.begin(), from.sparse_.end(),
                   std::back_inserter(merged_));
    sparse_.swap(merged_);
    densify_if_big();
  }

 private:
  // A list of k entries takes 4k bytes and bits take bound/8: bits win past bound/32 entries.
  void densify_if_big() {
    if (sparse_.size() * 32 > bound_ + 64) densify();
  }
  void densify() {
    if (dense_) return;
    bits_.assign((bound_ + 63) / 64, 0);
    for (std::uint32_t i : sparse_) bits_[i / 64] |= std::uint64_t{1} << (i % 64);
    std::vector<std::uint32_t>().swap(sparse_);
    dense_ = true;
  }

  std::size_t bound_;
  bool dense_ = false;
  std::vector<std::uint32_t> sparse_;
  std::vector<std::uint64_t> bits_;
  std::vector<std::uint32_t> merged_;  // scratch
};

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
  std::vector<EventSet> before;  // before[j]: the events of this instant that happen before j
  before.reserve(n);
  std::unordered_map<std::uint64_t, ObjectAccesses> objects;  // looked up only: no order leaks
  std::map<Lane, std::size_t> last_of_lane;
  std::size_t last_everything = SIZE_MAX;  // dependent on all: every earlier event precedes it
  std::vector<std::size_t> preds, dependents;
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
    EventSet later(j);  // what the dependents after the one looked at follow
    for (std::size_t d = dependents.size(); d-- > 0;) {
      const std::size_t i = dependents[d];
      if (events[i].lane != ej.lane) {  // otherwise ordered by the lane itself
        bool ordered = later.has(i);
        for (std::size_t p : preds) ordered = ordered || p == i || before[p].has(i);
        if (!ordered) {
          race(i, j);
          break;
        }
      }
      later.merge(before[i]);
    }

    // What happens before j: its predecessors and everything before them, latest first, so a
    // predecessor already known to be before j adds nothing.
    EventSet& row = before.emplace_back(j);
    preds.insert(preds.end(), dependents.begin(), dependents.end());
    std::sort(preds.begin(), preds.end(), std::greater<>());
    for (std::size_t p : preds) {
      if (row.has(p)) continue;
      row.add(p);
      row.merge(before[p]);
    }
    last_of_lane[ej.lane] = j;
  }
}

}  // namespace closesim::por
