// Where a run could go either way. Whenever two independent things are due at the same virtual
// time, the engine asks a ChoiceSource which goes first. This is the one injected interface
// between a run and nondeterminism: a plain run takes the script's order, a seeded run picks at
// random, the explorer enumerates every answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "closesim/time.h"

namespace closesim {

using Lane = std::uint32_t;  // see engine.h
inline constexpr std::uint64_t kNoEvent = UINT64_MAX;

// What the engine knows about a choice when it asks.
struct ChoiceContext {
  Time time = 0;                  // the instant at which the options are all due
  std::uint64_t index = 0;        // 0 for the run's first choice, 1 for the next...
  std::vector<std::string> options;  // lane label of each option, in script order
  std::vector<Lane> lanes;        // the lane of each option, in the same order
};

// One event as it starts to run. `ordinal` counts the events of a run from 0 (it is also the
// `event` of every trace record the event writes); `creator` is the ordinal of the event that
// scheduled it, kNoEvent when it was scheduled before the run began. Partial-order reduction
// reads these to know which events could have run in another order.
struct EventInfo {
  std::uint64_t ordinal = 0;
  Time time = 0;
  Lane lane = 0;
  std::uint64_t creator = kNoEvent;
};

class ChoiceSource {
 public:
  virtual ~ChoiceSource() = default;
  // REQUIRES: ctx.options.size() >= 2. Returns an index into ctx.options. Option 0 is always
  // what a plain, unexplored run does.
  virtual std::size_t choose(const ChoiceContext& ctx) = 0;
  // Told before every event runs, chosen or not. Most sources ignore it.
  virtual void on_event(const EventInfo&) {}
};

// Always option 0: the order the scenario is written in.
class FirstChoice final : public ChoiceSource {
 public:
  std::size_t choose(const ChoiceContext&) override { return 0; }
};

// A deterministic pseudo-random source (splitmix64): the same seed gives the same choices on
// every machine and standard library.
class SeededChoice final : public ChoiceSource {
 public:
  explicit SeededChoice(std::uint64_t seed) : state_(seed) {}
  std::size_t choose(const ChoiceContext& ctx) override;
  std::uint64_t next();  // the raw generator, also used by randomised strategies

 private:
  std::uint64_t state_;
};

}  // namespace closesim
