#include "closesim/engine/engine.h"

#include <algorithm>
#include "closesim/check.h"
#include <cstddef>
#include <utility>

namespace closesim {

namespace {

constexpr std::uint64_t kFreeSlot = UINT64_MAX;  // Slot::seq of a slot holding no event

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
// Lanes play no part here; they matter only for the choice point in Engine::step().
inline bool before(const Entry& a, const Entry& b) {
  return a.time < b.time || (a.time == b.time && a.seq < b.seq);
}

// A callback's home. seq == kFreeSlot: free (on the free list). Otherwise the slot belongs to
// the event with that seq until the event is popped from the heap, run or skipped; a cancelled
// event keeps its slot (with fn already released) until then, so a heap entry never points at
// a slot that was reused.
struct Slot {
  std::function<void()> fn;
  std::uint64_t seq = kFreeSlot;
  std::uint64_t creator = kNoEvent;  // the ordinal of the event that scheduled it
  bool cancelled = false;
};

// One option of a choice point: the earliest live event of one lane due at the instant.
struct Candidate {
  std::size_t heap_index;
  std::uint64_t seq;
  Lane lane;
};

}  // namespace

struct Engine::Impl {
  // A d-ary min-heap under `before`, root at 0; children of i are d*i+1 .. d*i+d. d = 2 measured
  // a little faster than 4 or 8 with bench_engine at 1,000 and 10,000 pending events.
  static constexpr std::size_t kArity = 2;
  std::vector<Entry> heap;
  // Cancelled entries still in the heap; they are skipped when they reach the top, or swept
  // out all at once when they outnumber the live ones (see compact()).
  std::size_t dead = 0;

  std::vector<Slot> slots;
  std::vector<std::uint32_t> free_slots;
  std::size_t live = 0;  // scheduled, not yet run, not cancelled

  // Choice-point scratch, reused so a choice allocates nothing once warmed up.
  std::vector<std::size_t> walk;       // heap indices still to visit
  std::vector<Candidate> candidates;   // one per lane due at the instant
  std::vector<std::uint64_t> lane_mark;  // lane -> gather stamp when it has a candidate
  std::vector<std::uint32_t> lane_candidate;  // lane -> index into candidates (if marked)
  std::uint64_t gather_stamp = 0;
  ChoiceContext context;

  static std::size_t parent(std::size_t i) { return (i - 1) / kArity; }

  void sift_up(std::size_t i, Entry e) {
    while (i > 0) {
      std::size_t p = parent(i);
      if (!before(e, heap[p])) break;
      heap[i] = heap[p];
      i = p;
    }
    heap[i] = e;
  }

  // Places e in the hole at i, moving the hole down past smaller children.
  void sift_down(std::size_t i, Entry e) {
    const std::size_t n = heap.size();
    for (;;) {
      std::size_t first = kArity * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      std::size_t last = std::min(first + kArity, n);
      for (std::size_t c = first + 1; c < last; ++c) {
        if (before(heap[c], heap[best])) best = c;
      }
      if (!before(heap[best], e)) break;
      heap[i] = heap[best];
      i = best;
    }
    heap[i] = e;
  }

  void push(const Entry& e) {
    heap.push_back(e);
    sift_up(heap.size() - 1, e);
  }

  // Removes heap[i], keeping the heap property.
  void remove_at(std::size_t i) {
    Entry last = heap.back();
    heap.pop_back();
    if (i == heap.size()) return;
    if (i > 0 && before(last, heap[parent(i)])) {
      sift_up(i, last);
    } else {
      sift_down(i, last);
    }
  }

  void free_slot(std::uint32_t s) {
    slots[s].seq = kFreeSlot;
    slots[s].cancelled = false;
    free_slots.push_back(s);
  }

  // Pops cancelled entries off the top. False if no live event remains.
  bool drop_cancelled_top() {
    while (!heap.empty()) {
      const Entry& top = heap.front();
      if (!slots[top.slot].cancelled) return true;
      std::uint32_t s = top.slot;
      remove_at(0);
      free_slot(s);
      --dead;
    }
    return false;
  }

  // Sweeps every cancelled entry out and rebuilds the heap. Layout changes cannot change the
  // run: the order is total (see `before`) and candidates are sorted by seq, not heap position.
  void compact() {
    std::size_t kept = 0;
    for (const Entry& e : heap) {
      if (slots[e.slot].cancelled) {
        free_slot(e.slot);
      } else {
        heap[kept++] = e;
      }
    }
    heap.resize(kept);
    dead = 0;
    if (heap.size() < 2) return;
    for (std::size_t i = parent(heap.size() - 1) + 1; i-- > 0;) sift_down(i, heap[i]);
  }

  // True if another entry (live or not) is due at the top's time. Only the root's children
  // need looking at: everything deeper is no earlier than some child.
  bool tie_at_top() const {
    const std::size_t n = heap.size();
    const Time t = heap.front().time;
    std::size_t last = std::min<std::size_t>(kArity + 1, n);
    for (std::size_t c = 1; c < last; ++c) {
      if (heap[c].time == t) return true;
    }
    return false;
  }

  // Fills `candidates` with the earliest-seq live entry of each lane due at time t (the top's
  // time), in ascending seq order. Visits only the entries due at t (and their children): a
  // subtree whose root is later than t holds nothing due at t.
  void gather(Time t, std::size_t lane_count) {
    candidates.clear();
    if (lane_mark.size() < lane_count) {
      lane_mark.resize(lane_count, 0);
      lane_candidate.resize(lane_count, 0);
    }
    ++gather_stamp;
    walk.clear();
    walk.push_back(0);
    while (!walk.empty()) {
      std::size_t i = walk.back();
      walk.pop_back();
      const Entry& e = heap[i];
      if (e.time != t) continue;
      if (!slots[e.slot].cancelled) {
        if (lane_mark[e.lane] != gather_stamp) {
          lane_mark[e.lane] = gather_stamp;
          lane_candidate[e.lane] = static_cast<std::uint32_t>(candidates.size());
          candidates.push_back({i, e.seq, e.lane});
        } else {
          Candidate& c = candidates[lane_candidate[e.lane]];
          if (e.seq < c.seq) c = {i, e.seq, e.lane};
        }
      }
      std::size_t first = kArity * i + 1;
      std::size_t end = std::min(first + kArity, heap.size());
      for (std::size_t c = first; c < end; ++c) walk.push_back(c);
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& a, const Candidate& b) { return a.seq < b.seq; });
  }
};

void Engine::ImplDeleter::operator()(Impl* impl) const { delete impl; }

Engine::Engine(ChoiceSource& choices) : choices_(choices), impl_(new Impl) {}

Lane Engine::add_lane(std::string label) {
  CLOSESIM_CHECK(lane_labels_.size() < UINT32_MAX);
  lane_labels_.push_back(std::move(label));
  return static_cast<Lane>(lane_labels_.size() - 1);
}

const std::string& Engine::lane_label(Lane lane) const {
  CLOSESIM_CHECK(lane < lane_labels_.size());
  return lane_labels_[lane];
}

EventId Engine::at(Time t, Lane lane, std::function<void()> fn) {
  CLOSESIM_CHECK(t >= now_ && "an event cannot be scheduled in the past");
  CLOSESIM_CHECK(lane < lane_labels_.size() && "unknown lane");
  CLOSESIM_CHECK(fn && "an event needs a callback");
  Impl& m = *impl_;
  std::uint32_t s;
  if (!m.free_slots.empty()) {
    s = m.free_slots.back();
    m.free_slots.pop_back();
  } else {
    CLOSESIM_CHECK(m.slots.size() < UINT32_MAX);
    s = static_cast<std::uint32_t>(m.slots.size());
    m.slots.emplace_back();
  }
  const std::uint64_t seq = next_seq_++;
  Slot& slot = m.slots[s];
  slot.fn = std::move(fn);
  slot.seq = seq;
  slot.creator = current_;
  slot.cancelled = false;
  m.push({t, seq, lane, s});
  ++m.live;
  return {seq, s};
}

void Engine::cancel(EventId id) {
  if (!pending(id)) return;
  Impl& m = *impl_;
  Slot& slot = m.slots[id.slot];
  slot.cancelled = true;
  slot.fn = nullptr;  // release what the callback holds now, not when its time comes
  --m.live;
  ++m.dead;
  if (m.dead > 64 && m.dead > m.live) m.compact();
}

bool Engine::pending(EventId id) const {
  if (!id.valid()) return false;
  const Impl& m = *impl_;
  if (id.slot >= m.slots.size()) return false;
  const Slot& slot = m.slots[id.slot];
  return slot.seq == id.seq && !slot.cancelled;
}

bool Engine::step() {
  Impl& m = *impl_;
  if (!m.drop_cancelled_top()) return false;

  // The choice point. Fast path: nothing else is due at the top's time, so the top runs.
  std::size_t index = 0;
  if (m.tie_at_top()) {
    const Time t = m.heap.front().time;
    m.gather(t, lane_labels_.size());
    // With one lane due, its earliest event is the top itself (the top is the least (time,
    // seq) live entry), so only two or more lanes make a choice.
    if (m.candidates.size() >= 2) {
      ChoiceContext& ctx = m.context;
      ctx.time = t;
      ctx.index = choices_made_;
      ctx.options.resize(m.candidates.size());
      ctx.lanes.resize(m.candidates.size());
      for (std::size_t k = 0; k < m.candidates.size(); ++k) {
        ctx.options[k] = lane_labels_[m.candidates[k].lane];
        ctx.lanes[k] = m.candidates[k].lane;
      }
      std::size_t pick = choices_.choose(ctx);
      ++choices_made_;
      CLOSESIM_CHECK(pick < m.candidates.size() && "ChoiceSource::choose returned an index out of range");
      index = m.candidates[pick].heap_index;
    }
  }

  const Entry e = m.heap[index];
  m.remove_at(index);
  Slot& slot = m.slots[e.slot];
  // Move the callback out before running it: it may schedule events, which may grow `slots`
  // and reuse this very slot.
  std::function<void()> fn;
  fn.swap(slot.fn);
  const std::uint64_t creator = slot.creator;
  m.free_slot(e.slot);
  --m.live;
  CLOSESIM_CHECK(e.time >= now_);
  now_ = e.time;
  current_ = events_run_++;
  choices_.on_event(EventInfo{current_, e.time, e.lane, creator});
  fn();
  current_ = kNoEvent;
  return true;
}

RunStop Engine::run(Time max_time, std::uint64_t max_events) {
  std::uint64_t ran = 0;
  for (;;) {
    if (!impl_->drop_cancelled_top()) return RunStop::Idle;
    if (impl_->heap.front().time > max_time) return RunStop::TimeLimit;
    if (ran == max_events) return RunStop::EventLimit;
    step();
    ++ran;
  }
}

std::size_t Engine::queued() const { return impl_->live; }

}  // namespace closesim
