// The engine's queue of events due at distinct instants: a binary min-heap of 16-byte entries
// under the (time, seq) order, and the slots where the callbacks stay put while entries move.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "closesim/base/check.h"
#include "closesim/engine/engine.h"
#include "closesim/engine/event_callback.h"

namespace closesim::engine_detail {

constexpr std::uint64_t kFreeSlot = UINT64_MAX;  // Slot::seq of a slot holding no event
constexpr std::uint32_t kNoPosition = UINT32_MAX;
constexpr std::uint32_t kNoSlot = UINT32_MAX;

// What the heap moves: 16 bytes, no callback (it stays put in its slot), no lane (the slot has
// it). `key` is the event's rank in scheduling order in its high 32 bits and its slot in the low
// 32: ordering by key is ordering by seq, since ranks are unique and grow with seq. Ranks are
// renumbered (EventHeap::renumber) before they outgrow 32 bits; seq itself is 64 bits and lives
// in the slot.
struct Entry {
  Time time;
  std::uint64_t key;
  std::uint32_t slot() const { return static_cast<std::uint32_t>(key); }
  std::uint64_t rank() const { return key >> 32; }
};
static_assert(sizeof(Entry) == 16);

constexpr std::uint64_t kRankLimit = std::uint64_t{1} << 32;
constexpr std::uint64_t make_key(std::uint64_t rank, std::uint32_t slot) {
  return rank << 32 | slot;
}

// The event order. `before(a, b)`: a is due earlier, or at the same time and was scheduled
// first. Properties, for the entries of one engine (whose ranks are unique):
//   - irreflexive: !before(a, a);
//   - asymmetric: before(a, b) implies !before(b, a);
//   - transitive: lexicographic order on (time, key) is;
//   - total: for distinct entries a, b exactly one of before(a, b), before(b, a) holds, because
//     their ranks differ. So no two events are ever "equivalent", and the heap's layout (or its
//     history) can never decide an order: the run is a function of the schedule and the choices.
// Lanes play no part here; they matter only for the choice point (instant.h).
// Written without short-circuits: which child of a heap node is earlier is a coin toss to the
// branch predictor, and the three comparisons as flags cost less than its misses.
inline bool before(const Entry& a, const Entry& b) {
  const int earlier = static_cast<int>(a.time < b.time);
  const int tied = static_cast<int>(a.time == b.time);
  const int first = static_cast<int>(a.key < b.key);
  return (earlier | (tied & first)) != 0;
}

// A callback's home: one cache line. seq == kFreeSlot: free (on the free list). Otherwise the
// slot belongs to the event with that seq until the event is run or skipped; a cancelled event
// keeps its slot, its callback released (so `fn` is empty exactly when the event is cancelled),
// until then, so an entry never points at a slot that was reused. `position`: where the event
// sits in the current instant (instant.h), kNoPosition while it is in the heap.
struct alignas(64) Slot {
  EventCallback fn;
  std::uint64_t seq = kFreeSlot;
  // The ordinal of the event that scheduled it (kNoEvent); while the slot is free, the next
  // free slot (kNoSlot at the end of the list).
  std::uint64_t creator = UINT64_MAX;
  Lane lane = 0;
  std::uint32_t position = kNoPosition;
  bool cancelled() const { return !fn; }
};
static_assert(sizeof(Slot) == 64);

// The slots and their free list, threaded through the free slots themselves.
class SlotPool {
 public:
  Slot& operator[](std::uint32_t s) { return slots_[s]; }
  const Slot& operator[](std::uint32_t s) const { return slots_[s]; }
  std::size_t size() const { return slots_.size(); }

  std::uint32_t acquire() {
    if (free_ != kNoSlot) {
      const std::uint32_t s = free_;
      free_ = static_cast<std::uint32_t>(slots_[s].creator);
      return s;
    }
    CLOSESIM_CHECK(slots_.size() < kNoSlot);
    slots_.emplace_back();
    return static_cast<std::uint32_t>(slots_.size() - 1);
  }
  // REQUIRES: the slot's callback is empty (it ran or was cancelled).
  void release(std::uint32_t s) {
    Slot& slot = slots_[s];
    slot.seq = kFreeSlot;
    slot.position = kNoPosition;
    slot.creator = free_;
    free_ = s;
  }

 private:
  std::vector<Slot> slots_;
  std::uint32_t free_ = kNoSlot;
};

class EventHeap {
 public:
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Entry& top() const { return heap_.front(); }
  // The root's children: one of them is the next top, unless the event about to run schedules
  // an earlier one. nullptr where there is none.
  const Entry* child_of_top(std::size_t k) const {
    return k + 1 < heap_.size() ? &heap_[k + 1] : nullptr;
  }

  void push(const Entry& e) {
    heap_.push_back(e);
    sift_up(heap_.size() - 1, e);
  }
  void pop() {
    const Entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) place_from_top(last);
  }
  // pop() then push(e), in one pass. REQUIRES: !empty().
  void replace_top(const Entry& e) { place_from_top(e); }

  // True if another entry (live or not) is due at the top's time. Only the root's children
  // need looking at: everything deeper is no earlier than some child.
  bool tie_at_top() const {
    const std::size_t n = heap_.size();
    const Time t = heap_.front().time;
    return (n > 1 && heap_[1].time == t) || (n > 2 && heap_[2].time == t);
  }

  // Keeps the entries `keep` accepts and rebuilds the heap. Layout changes cannot change the
  // run: the order is total (see `before`).
  template <class Keep>
  void filter(Keep keep) {
    std::size_t kept = 0;
    for (const Entry& e : heap_) {
      if (keep(e)) heap_[kept++] = e;
    }
    heap_.resize(kept);
    if (heap_.size() < 2) return;
    for (std::size_t i = parent(heap_.size() - 1) + 1; i-- > 0;) sift_down(i, heap_[i]);
  }

  // Gives the entries the ranks first, first + 1, ... in their order, keeping their slots: the
  // order among them is unchanged, and so is the heap. Returns the next free rank.
  std::uint64_t renumber(std::uint64_t first) {
    std::sort(heap_.begin(), heap_.end(), before);  // a sorted array is a heap
    std::uint64_t rank = first;
    for (Entry& e : heap_) {
      CLOSESIM_CHECK(rank < kRankLimit);
      e.key = make_key(rank++, e.slot());
    }
    return rank;
  }

 private:
  static std::size_t parent(std::size_t i) { return (i - 1) / 2; }

  void sift_up(std::size_t i, Entry e) {
    while (i > 0) {
      std::size_t p = parent(i);
      if (!before(e, heap_[p])) break;
      heap_[i] = heap_[p];
      i = p;
    }
    heap_[i] = e;
  }

  // Top-down, for rebuilding: places e in the hole at i, moving the hole down past the smaller
  // child while that child is before e.
  void sift_down(std::size_t i, Entry e) {
    const std::size_t n = heap_.size();
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && before(heap_[child + 1], heap_[child])) ++child;
      if (!before(heap_[child], e)) break;
      heap_[i] = heap_[child];
      i = child;
    }
    heap_[i] = e;
  }

  // Bottom-up (Floyd): the root's hole goes down the path of smaller children to a leaf, one
  // comparison a level, and e rises from there. An entry that replaces the top, or the last one
  // taking its place, belongs near the bottom, so this does about half the comparisons of
  // sift_down from the root.
  void place_from_top(const Entry& e) {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    std::size_t child = 2;
    for (; child < n; child = 2 * i + 2) {
      child -= static_cast<std::size_t>(before(heap_[child - 1], heap_[child]));
      heap_[i] = heap_[child];
      i = child;
    }
    if (child == n) {  // a last node with one child
      heap_[i] = heap_[child - 1];
      i = child - 1;
    }
    sift_up(i, e);
  }

  std::vector<Entry> heap_;
};

}  // namespace closesim::engine_detail
