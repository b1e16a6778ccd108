#include "closesim/engine/engine.h"

#include <cstddef>
#include <utility>

#include "closesim/base/check.h"
#include "engine/event_heap.h"
#include "engine/instant.h"

namespace closesim {

using engine_detail::Entry;
using engine_detail::kNoPosition;

// Events due at distinct times wait in the heap; the events of an instant at which two or more
// are due wait in `instant` while it lasts (instant.h). An event due at the current instant is
// added there, behind the others: its seq is the largest yet.
struct Engine::Impl final : ChoiceOptions::Source {
  explicit Impl(const std::vector<std::string>& lane_labels) : labels(lane_labels) {}

  const std::vector<std::string>& labels;  // the engine's, by lane
  engine_detail::EventHeap heap;
  engine_detail::SlotPool slots;
  engine_detail::Instant instant;
  // The next event's rank (Entry::key), below engine_detail::kRankLimit.
  std::uint64_t next_rank = 0;
  // True while the heap's top is the entry of an event that already left it (it runs now): the
  // first event that event schedules into the heap takes its place in one pass (replace_top)
  // instead of a pop and a push. settle() pops it if none did. Every reader of the heap
  // settles first.
  bool stale_top = false;
  // Cancelled entries still in the heap; they are skipped when they reach the top, or swept
  // out all at once when they outnumber the live ones.
  std::size_t dead = 0;
  std::size_t live = 0;  // scheduled, not yet run, not cancelled
  ChoiceContext context;

  // The option labels, read only if the ChoiceSource asks for them.
  const std::string& label(std::size_t k) const override { return labels[lane(k)]; }
  Lane lane(std::size_t k) const override { return instant.lane(instant.option(k)); }
  bool index_of(Lane lane, std::size_t& k) const override { return instant.option_of(lane, k); }
  void fresh(std::vector<std::size_t>& out) const override {
    instant.fresh_options(context.index, out);
  }

  // Asks for the slots of the next top's candidates while the top's event runs: with many
  // events pending the slots no longer fit in the cache, and the miss would come next.
  void prefetch_next_slots() const {
    for (std::size_t k = 0; k < 2; ++k)
      if (const Entry* e = heap.child_of_top(k)) __builtin_prefetch(&slots[e->slot()]);
  }

  void settle() {
    if (stale_top) {
      stale_top = false;
      heap.pop();
    }
  }

  void push(const Entry& e) {
    if (stale_top) {
      stale_top = false;
      heap.replace_top(e);
    } else {
      heap.push(e);
    }
  }

  std::uint64_t take_rank() {
    if (next_rank == engine_detail::kRankLimit) renumber();
    return next_rank++;
  }
  // Ranks start again from 0, in the same order: only the order of ranks matters.
  void renumber() {
    settle();
    next_rank = heap.renumber(instant.renumber());
    CLOSESIM_CHECK(next_rank < engine_detail::kRankLimit);
  }

  // Pops cancelled entries off the top. False if no live event remains in the heap.
  bool drop_cancelled_top() {
    while (!heap.empty()) {
      const std::uint32_t s = heap.top().slot();
      if (!slots[s].cancelled()) return true;
      heap.pop();
      slots.release(s);
      --dead;
    }
    return false;
  }

  // True if an event is due; then `next` is when.
  bool next_time(Time& next) {
    if (instant.active()) {
      next = instant.time();
      return true;
    }
    if (!drop_cancelled_top()) return false;
    next = heap.top().time;
    return true;
  }

  void compact() {
    settle();
    heap.filter([this](const Entry& e) {
      if (!slots[e.slot()].cancelled()) return true;
      slots.release(e.slot());
      return false;
    });
    dead = 0;
  }

  // Moves every live event due at the top's time into `instant`, in (time, seq) order;
  // `choices` have been made so far.
  void begin_instant(std::uint64_t choices) {
    const Time t = heap.top().time;
    instant.begin(t);
    while (!heap.empty() && heap.top().time == t) {
      const Entry e = heap.top();
      heap.pop();
      engine_detail::Slot& slot = slots[e.slot()];
      if (slot.cancelled()) {
        slots.release(e.slot());
        --dead;
      } else {
        instant.add(e, slot.lane, slots, choices);
      }
    }
  }
};

void Engine::ImplDeleter::operator()(Impl* impl) const { delete impl; }

Engine::Engine(ChoiceSource& choices)
    : choices_(choices), observed_(choices.observes_events()), impl_(new Impl(lane_labels_)) {
  if (observed_) impl_->instant.track();  // offered ranges need every offer from the start
}

Lane Engine::add_lane(std::string label) {
  CLOSESIM_CHECK(lane_labels_.size() < UINT32_MAX);
  lane_labels_.push_back(std::move(label));
  return static_cast<Lane>(lane_labels_.size() - 1);
}

const std::string& Engine::lane_label(Lane lane) const {
  CLOSESIM_CHECK(lane < lane_labels_.size());
  return lane_labels_[lane];
}

EventId Engine::at(Time t, Lane lane, EventCallback fn) {
  CLOSESIM_CHECK(t >= now_ && "an event cannot be scheduled in the past");
  CLOSESIM_CHECK(lane < lane_labels_.size() && "unknown lane");
  CLOSESIM_CHECK(fn && "an event needs a callback");
  Impl& m = *impl_;
  const std::uint32_t s = m.slots.acquire();
  const std::uint64_t seq = next_seq_++;
  engine_detail::Slot& slot = m.slots[s];
  slot.fn = std::move(fn);
  slot.seq = seq;
  slot.creator = current_;
  slot.lane = lane;
  const Entry e{t, engine_detail::make_key(m.take_rank(), s)};
  if (m.instant.active() && t == m.instant.time()) {
    m.instant.add(e, lane, m.slots, choices_made_);
  } else {
    m.push(e);
  }
  ++m.live;
  return {seq, s};
}

void Engine::cancel(EventId id) {
  if (!pending(id)) return;
  Impl& m = *impl_;
  engine_detail::Slot& slot = m.slots[id.slot];
  slot.fn.reset();  // release what the callback holds now, not when its time comes
  --m.live;
  if (slot.position != kNoPosition) {
    // An event of the current instant: if it was its lane's earliest, the lane's next one
    // becomes an option now; either way its slot comes back when the instant passes it.
    const std::uint32_t position = slot.position;
    const bool earliest = m.instant.earliest_of_its_lane(position);
    const Lane lane = slot.lane;
    std::uint64_t from = 0;
    const bool withdrawn = m.instant.cancel(position, m.slots, from);
    if (earliest) m.slots.release(id.slot);
    if (observed_ && withdrawn && from < choices_made_)
      choices_.on_withdrawn(lane, m.instant.time(), from, choices_made_);
    return;
  }
  ++m.dead;
  if (m.dead > 64 && m.dead > m.live) m.compact();
}

bool Engine::pending(EventId id) const {
  if (!id.valid()) return false;
  const Impl& m = *impl_;
  if (id.slot >= m.slots.size()) return false;
  const engine_detail::Slot& slot = m.slots[id.slot];
  return slot.seq == id.seq && !slot.cancelled();
}

bool Engine::step() {
  Impl& m = *impl_;
  m.settle();
  if (!m.instant.active()) {
    if (!m.drop_cancelled_top()) return false;
    // Fast path: nothing else is due at the top's time, so the top runs.
    if (!m.heap.tie_at_top()) {
      const Entry e = m.heap.top();
      m.prefetch_next_slots();
      m.stale_top = true;
      run_event(e.time, e.slot(), choices_made_);
      m.settle();
      return true;
    }
    m.begin_instant(choices_made_);
  }
  // The choice point. With one lane due, its earliest event runs: the top itself, since the top
  // is the least (time, seq) live entry. Only two or more lanes make a choice.
  const std::size_t due = m.instant.lanes_due();
  std::size_t pick = 0;
  if (due >= 2) {
    ChoiceContext& ctx = m.context;
    ctx.time = m.instant.time();
    ctx.index = choices_made_;
    ctx.options.view(m, due);
    pick = choices_.choose(ctx);
    ++choices_made_;
    m.instant.forget_fresh();
    CLOSESIM_CHECK(pick < due && "ChoiceSource::choose returned an index out of range");
  }
  const std::uint32_t position = m.instant.option(pick);
  const Time t = m.instant.time();
  const std::uint32_t s = m.instant.slot(position);
  const std::uint64_t offered_from = m.instant.run(position, m.slots, choices_made_);
  run_event(t, s, offered_from);
  return true;
}

void Engine::run_event(Time t, std::uint32_t s, std::uint64_t offered_from) {
  Impl& m = *impl_;
  engine_detail::Slot& slot = m.slots[s];
  // Move the callback out before running it: it may schedule events, which may grow the slots
  // and reuse this very slot.
  EventCallback fn(std::move(slot.fn));
  const std::uint64_t creator = slot.creator;
  const Lane lane = slot.lane;
  m.slots.release(s);
  --m.live;
  CLOSESIM_CHECK(t >= now_);
  now_ = t;
  current_ = events_run_++;
  if (observed_)
    choices_.on_event(EventInfo{current_, t, lane, creator, offered_from, choices_made_,
                                &lane_labels_[lane]});
  fn();
  current_ = kNoEvent;
}

RunStop Engine::run(Time max_time, std::uint64_t max_events) {
  std::uint64_t ran = 0;
  Impl& m = *impl_;
  m.settle();
  for (;;) {
    Time next = 0;
    if (!m.next_time(next)) return RunStop::Idle;
    if (next > max_time) return RunStop::TimeLimit;
    if (ran == max_events) return RunStop::EventLimit;
    ++ran;
    // The common case, as in step(), without finding the top a second time: next_time() left
    // a live entry on top, and no other entry shares its time.
    if (!m.instant.active() && !m.heap.tie_at_top()) {
      const Entry e = m.heap.top();
      m.prefetch_next_slots();
      m.stale_top = true;
      run_event(e.time, e.slot(), choices_made_);
      m.settle();
      continue;
    }
    step();
  }
}

std::size_t Engine::queued() const { return impl_->live; }

void Engine::end_run() {
  Impl& m = *impl_;
  if (!observed_ || !m.instant.active()) return;
  m.instant.for_each_due_lane([&](Lane lane, std::uint64_t since) {
    if (since < choices_made_) choices_.on_withdrawn(lane, m.instant.time(), since, choices_made_);
  });
}

}  // namespace closesim
