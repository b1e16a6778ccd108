// The discrete-event engine: a virtual clock and a queue of events ordered by (time, seq). It
// knows nothing of sockets. Ordering contract (ns-3 style): events run in strictly increasing
// (time, seq) order, where seq is the order in which they were scheduled; two events due at the
// same time in different lanes are an open choice, put to the ChoiceSource; events of one lane
// keep their scheduling order among themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "closesim/engine/choice_source.h"
#include "closesim/engine/event_callback.h"
#include "closesim/base/time.h"

namespace closesim {

// A lane is a sequence of events that must keep its own order (one scripted thread, one peer,
// one link direction). Lanes are registered once and named for choice contexts and reports.
using Lane = std::uint32_t;

// Names one scheduled event. `seq` is its place in scheduling order (unique for the engine's
// life); `slot` is where the engine keeps its callback, so cancel() and pending() are O(1) without
// a seq -> event map. A default EventId names no event; cancelling it does nothing.
struct EventId {
  std::uint64_t seq = UINT64_MAX;   // UINT64_MAX: no event
  std::uint32_t slot = UINT32_MAX;  // engine-internal; meaningful only with `seq`
  bool valid() const { return seq != UINT64_MAX; }
};

enum class RunStop {
  Idle,        // the queue is empty
  TimeLimit,   // the next event is due after max_time
  EventLimit,  // max_events events have run
};

class Engine {
 public:
  explicit Engine(ChoiceSource& choices);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  Lane add_lane(std::string label);
  const std::string& lane_label(Lane lane) const;

  Time now() const { return now_; }
  // REQUIRES: t >= now(). The event runs at t, in `lane`.
  EventId at(Time t, Lane lane, EventCallback fn);
  // REQUIRES: delay >= 0. A delay reaching past kForever is clamped to kForever (no overflow).
  EventId after(Time delay, Lane lane, EventCallback fn) {
    return at(delay >= kForever - now_ ? kForever : now_ + delay, lane, std::move(fn));
  }
  // Cancelling marks the event; it is skipped when reached. Cancelling twice, or cancelling an
  // event that already ran, does nothing.
  void cancel(EventId id);
  bool pending(EventId id) const;

  // Runs one event (asking the ChoiceSource if several lanes are due at once). False if none.
  bool step();
  // Runs events until the queue is empty (Idle), the next event is due after max_time
  // (TimeLimit; now() stays at the last event run, it is not advanced to max_time), or
  // max_events events have run in this call (EventLimit). The three are tested in that order
  // before each event, so running the last pending event as the max_events-th reports Idle.
  RunStop run(Time max_time = kForever, std::uint64_t max_events = UINT64_MAX);

  std::uint64_t events_run() const { return events_run_; }
  // The ordinal of the event running now (EventInfo::ordinal), kNoEvent between events.
  std::uint64_t current_event() const { return current_; }
  std::uint64_t choices_made() const { return choices_made_; }
  std::size_t queued() const;  // events scheduled and not yet run or cancelled
  // The run stops here (a budget ran out): lanes still due at the current instant will not run,
  // and the ChoiceSource is told (on_withdrawn), so it knows every choice point's options.
  void end_run();

 private:
  // The queue, the callback slots and the choice scratch space live in Impl (sim/engine/engine.cc).
  struct Impl;
  // Frees the event's slot, advances now, runs it. It was an option at the choice points from
  // `offered_from` to the ones made so far (none if equal).
  void run_event(Time t, std::uint32_t slot, std::uint64_t offered_from);

  // Fixed at construction.
  ChoiceSource& choices_;
  bool observed_;  // choices_.observes_events()
  // Grows as lanes are added; a Lane is an index into it.
  std::vector<std::string> lane_labels_;
  // Change every step.
  std::uint64_t current_ = kNoEvent;
  Time now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t events_run_ = 0;
  std::uint64_t choices_made_ = 0;
  struct ImplDeleter { void operator()(Impl*) const; };
  std::unique_ptr<Impl, ImplDeleter> impl_;
};

}  // namespace closesim
