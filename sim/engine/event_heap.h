// The engine's queue of events due at distinct instants: a d-ary min-heap of 24-byte entries
// under the (time, seq) order, and the slots where the callbacks stay put while entries move.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "closesim/base/check.h"
#include "closesim/engine/engine.h"

namespace closesim::engine_detail {

constexpr std::uint64_t kFreeSlot = UINT64_MAX;  // Slot::seq of a slot holding no event
constexpr std::uint32_t kNoPosition = UINT32_MAX;

// What the heap moves: 24 bytes, no callback. The callback stays put in its slot.
struct Entry {
  Time time;
  std::uint64_t seq;
  Lane lane;
  std::uint32_t slot;
};
static_assert(sizeof(Entry) == 24);

// The event order. `before(a, b)`: a is due earlier, or at the same time and was scheduled
// first. Properties, for the entries of one engine (whose seqs are unique):
//   - irreflexive: !before(a, a);
//   - asymmetric: before(a, b) implies !before(b, a);
//   - transitive: lexicographic order on (time, seq) is;
//   - total: for distinct entries a, b exactly one of before(a, b), before(b, a) holds, because
//     their seqs differ. So no two events are ever "equivalent", and the heap's layout (or its
//     history) can never decide an order: the run is a function of the schedule and the choices.
// Lanes play no part here; they matter only for the choice point (instant.h).
inline bool before(const Entry& a, const Entry& b) {
  return a.time < b.time || (a.time == b.time && a.seq < b.seq);
}

// A callback's home. seq == kFreeSlot: free (on the free list). Otherwise the slot belongs to
// the event with that seq until the event is run or skipped; a cancelled event keeps its slot
// (with fn already released) until then, so an entry never points at a slot that was reused.
// `position`: where the event sits in the current instant (instant.h), kNoPosition while it is
// in the heap.
struct Slot {
  std::function<void()> fn;
  std::uint64_t seq = kFreeSlot;
  std::uint64_t creator = UINT64_MAX;  // the ordinal of the event that scheduled it (kNoEvent)
  bool cancelled = false;
  std::uint32_t position = kNoPosition;
};

// The slots and their free list.
class SlotPool {
 public:
  Slot& operator[](std::uint32_t s) { return slots_[s]; }
  const Slot& operator[](std::uint32_t s) const { return slots_[s]; }
  std::size_t size() const { return slots_.size(); }

  std::uint32_t acquire() {
    if (!free_.empty()) {
      std::uint32_t s = free_.back();
      free_.pop_back();
      return s;
    }
    CLOSESIM_CHECK(slots_.size() < UINT32_MAX);
    slots_.emplace_back();
    return static_cast<std::uint32_t>(slots_.size() - 1);
  }
  void release(std::uint32_t s) {
    Slot& slot = slots_[s];
    slot.seq = kFreeSlot;
    slot.cancelled = false;
    slot.position = kNoPosition;
    free_.push_back(s);
  }

 private:
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
};

class EventHeap {
 public:
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Entry& top() const { return heap_.front(); }

  void push(const Entry& e) {
    heap_.push_back(e);
    sift_up(heap_.size() - 1, e);
  }
  void pop() { remove_at(0); }

  // True if another entry (live or not) is due at the top's time. Only the root's children
  // need looking at: everything deeper is no earlier than some child.
  bool tie_at_top() const {
    const std::size_t n = heap_.size();
    const Time t = heap_.front().time;
    const std::size_t last = std::min<std::size_t>(kArity + 1, n);
    for (std::size_t c = 1; c < last; ++c) {
      if (heap_[c].time == t) return true;
    }
    return false;
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

 private:
  // d = 2 measured a little faster than 4 or 8 with bench_engine at 1,000 and 10,000 pending
  // events.
  static constexpr std::size_t kArity = 2;
  static std::size_t parent(std::size_t i) { return (i - 1) / kArity; }

  void sift_up(std::size_t i, Entry e) {
    while (i > 0) {
      std::size_t p = parent(i);
      if (!before(e, heap_[p])) break;
      heap_[i] = heap_[p];
      i = p;
    }
    heap_[i] = e;
  }

  // Places e in the hole at i, moving the hole down past the smaller child. Written for two
  // children, with no loop over them: the compiler kept a loop for them, a fifth more
  // instructions per event.
  void sift_down(std::size_t i, Entry e) {
    static_assert(kArity == 2);
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

  void remove_at(std::size_t i) {
    Entry last = heap_.back();
    heap_.pop_back();
    if (i == heap_.size()) return;
    if (i > 0 && before(last, heap_[parent(i)])) {
      sift_up(i, last);
    } else {
      sift_down(i, last);
    }
  }

  std::vector<Entry> heap_;
};

}  // namespace closesim::engine_detail
