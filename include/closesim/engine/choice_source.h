// Where a run could go either way. Whenever two independent things are due at the same virtual
// time, the engine asks a ChoiceSource which goes first. This is the one injected interface
// between a run and nondeterminism: a plain run takes the script's order, a seeded run picks at
// random, the explorer enumerates every answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "closesim/base/time.h"

namespace closesim {

// The options of a choice point: one lane label each, in script order. The engine offers a
// view that names a label only when it is read, so offering a choice among N lanes costs no
// string copies; a strategy that needs only the count pays nothing per option. Contexts made by
// hand (tests, tools) hold labels of their own. A copy always holds its own labels: it stays
// valid after choose() returns, when the engine's view does not.
using Lane = std::uint32_t;  // see engine.h
inline constexpr std::uint64_t kNoEvent = UINT64_MAX;

class ChoiceOptions {
 public:
  // What a view reads its labels from (the engine, for the choice it is asking about).
  class Source {
   public:
    virtual const std::string& label(std::size_t k) const = 0;
    virtual Lane lane(std::size_t k) const = 0;
    // The option index of `lane`, if it is among the options (then true, and k is set).
    virtual bool index_of(Lane lane, std::size_t& k) const = 0;
    virtual void fresh(std::vector<std::size_t>& out) const = 0;

   protected:
    ~Source() = default;
  };

  ChoiceOptions() = default;
  ChoiceOptions(std::initializer_list<std::string> labels) : owned_(labels), size_(owned_.size()) {}
  ChoiceOptions(const ChoiceOptions& other) : owned_(other.labels()), size_(other.size_) {
    for (std::size_t k = 0; k < size_; ++k) owned_lanes_.push_back(other.lane(k));
  }
  ChoiceOptions& operator=(const ChoiceOptions& other);
  ChoiceOptions& operator=(std::vector<std::string> labels);
  ChoiceOptions& operator=(std::initializer_list<std::string> labels);
  void assign(std::size_t n, const std::string& label);
  // Options made by hand with lanes of their own (a source that keeps state per lane, tested
  // without an engine). REQUIRES: as many lanes as labels, no lane twice.
  void assign(std::vector<std::string> labels, std::vector<Lane> lanes);
  // The engine's view: n options whose labels `source` gives until the choice is answered.
  void view(const Source& source, std::size_t n) {
    owned_.clear();
    owned_lanes_.clear();
    source_ = &source;
    size_ = n;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const std::string& operator[](std::size_t k) const;  // REQUIRES: k < size()
  // The engine lane of option k (a context made by hand numbers its options' lanes 0, 1, ...).
  Lane lane(std::size_t k) const;  // REQUIRES: k < size()
  // The index of the option whose lane is `lane`, if there is one (then true, and k is set).
  // O(log n) on the engine's view: a search that remembers lanes, not indices, asks for the
  // index only of the option it takes.
  bool index_of(Lane lane, std::size_t& k) const;
  // The indices, ascending, of the options first offered here: their lane became due, or due
  // again after its previous event ran, since the previous choice point. Every other option's
  // lane was an option at the previous choice point as well. So a source that keeps state per
  // lane learns each new lane once, without reading every option at every choice point. (A
  // context made by hand calls every option fresh.)
  void fresh(std::vector<std::size_t>& out) const;
  std::vector<std::string> labels() const;
  bool operator==(const std::vector<std::string>& labels) const { return this->labels() == labels; }

 private:
  std::vector<std::string> owned_;
  std::vector<Lane> owned_lanes_;   // empty: option k's lane is k
  const Source* source_ = nullptr;  // set: a view; owned_ is empty
  std::size_t size_ = 0;
};

// What the engine knows about a choice when it asks.
struct ChoiceContext {
  Time time = 0;            // the instant at which the options are all due
  std::uint64_t index = 0;  // 0 for the run's first choice, 1 for the next...
  ChoiceOptions options;    // lane label of each option, in script order
};

// One event as it starts to run. `ordinal` counts the events of a run from 0 (it is also the
// `event` of every trace record the event writes); `creator` is the ordinal of the event that
// scheduled it, kNoEvent when it was scheduled before the run began. Partial-order reduction
// reads these to know which events could have run in another order.
//
// Its lane was an option at the choice points numbered [offered_from, offered_to) of the run
// (ChoiceContext::index; none when equal), with this event or with cancelled earlier events of
// its lane it took the place of. So a search learns every choice point's options from the
// events as they run, instead of copying the options at each choice point: a lane is an option
// at choice point c exactly when one of its events (or a withdrawn offer, on_withdrawn) has c in
// its range. `label` is the lane's label (never null), valid during on_event only: a pointer, so
// an event whose source never reads it costs no load.
struct EventInfo {
  std::uint64_t ordinal = 0;
  Time time = 0;
  Lane lane = 0;
  std::uint64_t creator = kNoEvent;
  std::uint64_t offered_from = 0;
  std::uint64_t offered_to = 0;
  const std::string* label = nullptr;
};

class ChoiceSource {
 public:
  virtual ~ChoiceSource() = default;
  // REQUIRES: ctx.options.size() >= 2. Returns an index into ctx.options. Option 0 is always
  // what a plain, unexplored run does.
  virtual std::size_t choose(const ChoiceContext& ctx) = 0;
  // Whether on_event and on_withdrawn do anything. Asked once, when an engine is built on the
  // source (so it must not change): a source that says no spares every event a virtual call.
  virtual bool observes_events() const { return true; }
  // Told before every event runs, chosen or not. Most sources ignore it.
  virtual void on_event(const EventInfo&) {}
  // Told when a lane stops being an option at instant `time` without running: its earliest due
  // event was cancelled and no other event of it is due then, or the run stopped (Engine::
  // end_run) before it ran. It was an option at the choice points [from, to). Rare (a timer
  // cancelled at the instant it was due; a run cut short by its event budget).
  virtual void on_withdrawn(Lane /*lane*/, Time /*time*/, std::uint64_t /*from*/,
                            std::uint64_t /*to*/) {}
};

// Always option 0: the order the scenario is written in.
class FirstChoice final : public ChoiceSource {
 public:
  std::size_t choose(const ChoiceContext&) override { return 0; }
  bool observes_events() const override { return false; }
};

// A deterministic pseudo-random source (splitmix64): the same seed gives the same choices on
// every machine and standard library.
class SeededChoice final : public ChoiceSource {
 public:
  explicit SeededChoice(std::uint64_t seed) : state_(seed) {}
  std::size_t choose(const ChoiceContext& ctx) override;
  bool observes_events() const override { return false; }
  std::uint64_t next();  // the raw generator, also used by randomised strategies

 private:
  std::uint64_t state_;
};

}  // namespace closesim
