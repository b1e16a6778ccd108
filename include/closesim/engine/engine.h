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
#include <vector>

#include "closesim/engine/choice_source.h"
#include "closesim/time.h"

namespace closesim {

// A lane is a sequence of events that must keep its own order (one scripted thread, one peer,
// one link direction). Lanes are registered once and named for choice contexts and reports.
using Lane = std::uint32_t;

struct EventId {
  std::uint64_t seq = UINT64_MAX;  // UINT64_MAX: no event
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
  EventId at(Time t, Lane lane, std::function<void()> fn);
  EventId after(Time delay, Lane lane, std::function<void()> fn) { return at(now_ + delay, lane, std::move(fn)); }
  // Cancelling marks the event; it is skipped when reached. Cancelling twice, or cancelling an
  // event that already ran, does nothing.
  void cancel(EventId id);
  bool pending(EventId id) const;

  // Runs one event (asking the ChoiceSource if several lanes are due at once). False if none.
  bool step();
  RunStop run(Time max_time = kForever, std::uint64_t max_events = UINT64_MAX);

  std::uint64_t events_run() const { return events_run_; }
  std::uint64_t choices_made() const { return choices_made_; }
  std::size_t queued() const;  // events scheduled and not yet run or cancelled

 private:
  struct Entry;
  // implementation-defined members (see sim/engine/engine.cc)
  ChoiceSource& choices_;
  Time now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t events_run_ = 0;
  std::uint64_t choices_made_ = 0;
  std::vector<std::string> lane_labels_;
  struct Impl;
  struct ImplDeleter { void operator()(Impl*) const; };
  std::unique_ptr<Impl, ImplDeleter> impl_;
};

}  // namespace closesim
