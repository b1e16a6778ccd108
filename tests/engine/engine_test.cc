#include "closesim/engine/engine.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "closesim/engine/choice_source.h"
#include "closesim/engine/schedule.h"

namespace closesim {
namespace {

// Answers from a script and remembers every question. Asking past the script is a test failure.
class ScriptedChoice final : public ChoiceSource {
 public:
  explicit ScriptedChoice(std::vector<std::size_t> answers = {}) : answers_(std::move(answers)) {}
  std::size_t choose(const ChoiceContext& ctx) override {
    asked.push_back(ctx);
    REQUIRE(next_ < answers_.size());
    return answers_[next_++];
  }
  std::vector<ChoiceContext> asked;

 private:
  std::vector<std::size_t> answers_;
  std::size_t next_ = 0;
};

// Always the last option: the reverse of a plain run at every choice.
class LastChoice final : public ChoiceSource {
 public:
  std::size_t choose(const ChoiceContext& ctx) override { return ctx.options.size() - 1; }
};

// SeededChoice is final and takes a seed; these give the conformance suite default-constructible
// seeded sources.
template <std::uint64_t Seed>
class SeededSource final : public ChoiceSource {
 public:
  std::size_t choose(const ChoiceContext& ctx) override { return inner_.choose(ctx); }

 private:
  SeededChoice inner_{Seed};
};

using Log = std::vector<std::string>;

std::function<void()> note(Log& log, std::string what) {
  return [&log, what] { log.push_back(what); };
}

TEST_CASE("events run in time order, and in scheduling order at the same time") {
  FirstChoice first;
  Engine engine(first);
  Lane a = engine.add_lane("A.main");
  Lane b = engine.add_lane("peer#1");
  Log log;
  std::vector<Time> times;
  auto at = [&](Time t, Lane lane, std::string what) {
    engine.at(t, lane, [&, what] {
      log.push_back(what);
      times.push_back(engine.now());
    });
  };
  at(30, a, "c");
  at(10, b, "a1");
  at(20, a, "b");
  at(10, a, "a2");
  at(10, b, "a3");
  CHECK(engine.queued() == 5);
  CHECK(engine.run() == RunStop::Idle);
  CHECK(log == Log{"a1", "a2", "a3", "b", "c"});
  CHECK(times == std::vector<Time>{10, 10, 10, 20, 30});
  CHECK(engine.now() == 30);
  CHECK(engine.events_run() == 5);
  CHECK(engine.queued() == 0);
  CHECK_FALSE(engine.step());
}

TEST_CASE("events of one lane due at the same time run first in, first out, without a choice") {
  ScriptedChoice never;  // any question fails the test
  Engine engine(never);
  Lane a = engine.add_lane("A.main");
  Log log;
  for (int i = 0; i < 6; ++i) engine.at(5, a, note(log, std::to_string(i)));
  engine.run();
  CHECK(log == Log{"0", "1", "2", "3", "4", "5"});
  CHECK(engine.choices_made() == 0);
  CHECK(never.asked.empty());
}

TEST_CASE("lane labels") {
  FirstChoice first;
  Engine engine(first);
  CHECK(engine.add_lane("A.main") == 0);
  CHECK(engine.add_lane("peer#1") == 1);
  CHECK(engine.lane_label(0) == "A.main");
  CHECK(engine.lane_label(1) == "peer#1");
}

TEST_CASE("cancellation") {
  FirstChoice first;
  Engine engine(first);
  Lane a = engine.add_lane("A.main");
  Log log;

  SUBCASE("before it runs: skipped, not pending, not queued") {
    EventId x = engine.at(10, a, note(log, "x"));
    EventId y = engine.at(20, a, note(log, "y"));
    CHECK(engine.pending(x));
    engine.cancel(x);
    CHECK_FALSE(engine.pending(x));
    CHECK(engine.pending(y));
    CHECK(engine.queued() == 1);
    CHECK(engine.run() == RunStop::Idle);
    CHECK(log == Log{"y"});
    CHECK(engine.events_run() == 1);
  }
  SUBCASE("twice: the second does nothing") {
    EventId x = engine.at(10, a, note(log, "x"));
    engine.at(20, a, note(log, "y"));
    engine.cancel(x);
    engine.cancel(x);
    CHECK(engine.queued() == 1);
    engine.run();
    CHECK(log == Log{"y"});
  }
  SUBCASE("after it ran: does nothing") {
    EventId x = engine.at(10, a, note(log, "x"));
    CHECK(engine.step());
    CHECK_FALSE(engine.pending(x));
    engine.at(20, a, note(log, "y"));
    engine.cancel(x);
    CHECK(engine.queued() == 1);
    engine.run();
    CHECK(log == Log{"x", "y"});
  }
  SUBCASE("a stale id does not touch the event that reuses its slot") {
    EventId x = engine.at(10, a, note(log, "x"));
    engine.step();
    EventId y = engine.at(20, a, note(log, "y"));
    CHECK(y.slot == x.slot);  // the point of the test: the slot was reused
    engine.cancel(x);
    CHECK(engine.pending(y));
    engine.run();
    CHECK(log == Log{"x", "y"});
  }
  SUBCASE("an unknown or empty id does nothing") {
    engine.at(10, a, note(log, "x"));
    engine.cancel(EventId{});
    engine.cancel(EventId{12345, 0});
    engine.cancel(EventId{0, 999});
    CHECK_FALSE(engine.pending(EventId{}));
    CHECK_FALSE(engine.pending(EventId{12345, 0}));
    CHECK(engine.queued() == 1);
    engine.run();
    CHECK(log == Log{"x"});
  }
  SUBCASE("an event may cancel a later one due at the same time") {
    EventId y;
    engine.at(10, a, [&] {
      log.push_back("x");
      engine.cancel(y);
    });
    y = engine.at(10, a, note(log, "y"));
    engine.at(10, a, note(log, "z"));
    engine.run();
    CHECK(log == Log{"x", "z"});
  }
  SUBCASE("an event is not pending while it runs") {
    EventId x;
    x = engine.at(10, a, [&] { CHECK_FALSE(engine.pending(x)); });
    engine.run();
    CHECK(engine.events_run() == 1);
  }
}

TEST_CASE("cancelling most of a large queue keeps the rest in order") {
  FirstChoice first;
  Engine engine(first);
  Lane a = engine.add_lane("A.main");
  std::vector<Time> ran;
  std::vector<EventId> ids;
  for (Time t = 0; t < 1000; ++t) {
    Time due = (t * 7919) % 1000;  // a permutation of 0..999
    ids.push_back(engine.at(due, a, [&ran, &engine] { ran.push_back(engine.now()); }));
  }
  std::vector<Time> expected;
  for (Time t = 0; t < 1000; ++t) {
    if (t % 10 == 3) {
      expected.push_back((t * 7919) % 1000);
    } else {
      engine.cancel(ids[static_cast<std::size_t>(t)]);  // sweeps the queue along the way
    }
  }
  CHECK(engine.queued() == 100);
  for (std::size_t i = 0; i < ids.size(); ++i) CHECK(engine.pending(ids[i]) == (i % 10 == 3));
  std::sort(expected.begin(), expected.end());
  CHECK(engine.run() == RunStop::Idle);
  CHECK(ran == expected);
}

TEST_CASE("events scheduled while running at time t for time t run at t, after it") {
  ScriptedChoice choices({0, 0});
  Engine engine(choices);
  Lane one = engine.add_lane("one");
  Lane two = engine.add_lane("two");
  Log log;
  engine.at(10, one, [&] {  // seq 0
    log.push_back("A");
    engine.at(10, two, note(log, "B"));    // seq 3
    engine.at(10, one, note(log, "C"));    // seq 4
    engine.after(0, one, note(log, "E"));  // seq 5
  });
  engine.at(10, one, note(log, "D"));  // seq 1
  engine.at(11, two, note(log, "F"));  // seq 2
  engine.run();
  CHECK(log == Log{"A", "D", "B", "C", "E", "F"});
  // A and D: one lane, no question. Then D (one) and B (two) are due together; then B and C;
  // then C and E, one lane again.
  REQUIRE(choices.asked.size() == 2);
  CHECK(choices.asked[0].options == std::vector<std::string>{"one", "two"});
  CHECK(choices.asked[1].options == std::vector<std::string>{"two", "one"});
}

TEST_CASE("the choice source is asked exactly when two lanes are due at once") {
  ScriptedChoice choices({0, 0, 0});
  Engine engine(choices);
  Lane thread = engine.add_lane("A.main");
  Lane peer = engine.add_lane("peer#1");
  Lane link = engine.add_lane("link");
  Log log;

  // t=0: two lanes, scheduled peer first: one question, options in scheduling order.
  engine.at(0, peer, note(log, "p0"));
  engine.at(0, thread, note(log, "t0"));
  // t=5, t=7: one event each; t=9: two events of one lane: no question.
  engine.at(5, thread, note(log, "t5"));
  engine.at(7, peer, note(log, "p7"));
  engine.at(9, thread, note(log, "t9a"));
  engine.at(9, thread, note(log, "t9b"));
  // t=20: three lanes, several events each; the options are each lane's earliest event.
  engine.at(20, link, note(log, "l20a"));
  engine.at(20, thread, note(log, "t20a"));
  engine.at(20, link, note(log, "l20b"));
  engine.at(20, peer, note(log, "p20a"));
  engine.at(20, thread, note(log, "t20b"));

  engine.run(19);
  CHECK(log == Log{"p0", "t0", "t5", "p7", "t9a", "t9b"});
  REQUIRE(choices.asked.size() == 1);
  CHECK(choices.asked[0].time == 0);
  CHECK(choices.asked[0].index == 0);
  CHECK(choices.asked[0].options == std::vector<std::string>{"peer#1", "A.main"});
  CHECK(engine.choices_made() == 1);

  log.clear();
  engine.step();  // l20a: options link, thread, peer
  REQUIRE(choices.asked.size() == 2);
  CHECK(choices.asked[1].time == 20);
  CHECK(choices.asked[1].index == 1);
  CHECK(choices.asked[1].options == std::vector<std::string>{"link", "A.main", "peer#1"});
  engine.step();  // t20a: link's next is l20b, scheduled after t20a
  REQUIRE(choices.asked.size() == 3);
  CHECK(choices.asked[2].index == 2);
  CHECK(choices.asked[2].options == std::vector<std::string>{"A.main", "link", "peer#1"});
  CHECK(log == Log{"l20a", "t20a"});
  CHECK(engine.choices_made() == 3);
}

TEST_CASE("a cancelled event is not an option") {
  ScriptedChoice never;
  Engine engine(never);
  Lane a = engine.add_lane("A.main");
  Lane b = engine.add_lane("peer#1");
  Log log;
  engine.at(5, a, note(log, "a"));
  EventId x = engine.at(5, b, note(log, "b"));
  engine.cancel(x);
  engine.run();
  CHECK(log == Log{"a"});
  CHECK(never.asked.empty());
}

TEST_CASE("choosing option 1 reverses two lanes due at once") {
  ScriptedChoice choices({1});
  Engine engine(choices);
  Lane a = engine.add_lane("A.main");
  Lane b = engine.add_lane("B.main");
  Log log;
  engine.at(3, a, note(log, "a"));
  engine.at(3, b, note(log, "b"));
  engine.run();
  CHECK(log == Log{"b", "a"});
  CHECK(engine.choices_made() == 1);
}

TEST_CASE("run limits") {
  FirstChoice first;
  Engine engine(first);
  Lane a = engine.add_lane("A.main");
  Log log;
  engine.at(10, a, note(log, "10"));
  engine.at(20, a, note(log, "20"));
  engine.at(30, a, note(log, "30"));

  SUBCASE("time limit: stops before the first event due after it; the clock stays put") {
    CHECK(engine.run(25) == RunStop::TimeLimit);
    CHECK(log == Log{"10", "20"});
    CHECK(engine.now() == 20);
    CHECK(engine.queued() == 1);
    CHECK(engine.run(30) == RunStop::Idle);  // an event due exactly at max_time runs
    CHECK(log == Log{"10", "20", "30"});
  }
  SUBCASE("event limit counts the events of this call") {
    CHECK(engine.run(kForever, 1) == RunStop::EventLimit);
    CHECK(log == Log{"10"});
    CHECK(engine.run(kForever, 1) == RunStop::EventLimit);
    CHECK(log == Log{"10", "20"});
    CHECK(engine.run(kForever, 0) == RunStop::EventLimit);
    CHECK(engine.events_run() == 2);
  }
  SUBCASE("idle wins over the event limit when the last event was the last allowed") {
    CHECK(engine.run(kForever, 3) == RunStop::Idle);
  }
  SUBCASE("cancelled events do not count, and do not hold the run at the time limit") {
    EventId x = engine.at(40, a, note(log, "40"));
    engine.cancel(x);
    CHECK(engine.run(35) == RunStop::Idle);
    CHECK(engine.events_run() == 3);
  }
  SUBCASE("idle") {
    CHECK(engine.run() == RunStop::Idle);
    CHECK(engine.now() == 30);
    CHECK(engine.run() == RunStop::Idle);
  }
}

TEST_CASE("after() is relative to now and saturates at forever") {
  FirstChoice first;
  Engine engine(first);
  Lane a = engine.add_lane("A.main");
  Time seen = -1;
  engine.at(100, a, [&] { engine.after(kForever, a, [&] { seen = engine.now(); }); });
  engine.at(50, a, [&] { engine.after(25, a, [&] { CHECK(engine.now() == 75); }); });
  engine.run();
  CHECK(seen == kForever);
}

// ---------------------------------------------------------------------------------------------
// A random workload: a few lanes, few distinct times (so lanes collide often), events that
// schedule children (some at the current instant) and cancel others. A reference model of the
// pending set checks every event the engine runs.

struct WorkloadOptions {
  std::uint64_t workload_seed = 1;
  int lanes = 4;
  int initial = 200;
  int budget = 3000;  // total events scheduled, at most
  bool plain_order = false;  // also require the least (time, seq) each step (FirstChoice)
};

struct WorkloadResult {
  std::uint64_t order_hash = 14695981039346656037ULL;  // FNV-1a over (seq, time) as run
  std::uint64_t ran = 0;
  std::uint64_t cancelled = 0;
  std::uint64_t choices = 0;
};

WorkloadResult run_workload(ChoiceSource& choices, const WorkloadOptions& opt) {
  struct Known {
    EventId id;
    Time time;
    Lane lane;
    int runs = 0;
    bool cancelled = false;
  };
  std::map<std::pair<Time, std::uint64_t>, Lane> model;  // pending events, (time, seq) -> lane

  // Checks each question against the model, then lets the source under test answer it.
  class Checked final : public ChoiceSource {
   public:
    Checked(ChoiceSource& inner, const std::map<std::pair<Time, std::uint64_t>, Lane>& model)
        : inner_(inner), model_(model) {}
    std::size_t choose(const ChoiceContext& ctx) override {
      CHECK(ctx.index == asked_++);
      REQUIRE(!model_.empty());
      CHECK(ctx.time == model_.begin()->first.first);
      // Expected options: the earliest event of each lane due now, in scheduling order. The
      // model iterates in (time, seq) order, so first-seen per lane is that lane's earliest.
      std::vector<std::string> expected;
      std::vector<Lane> seen;
      for (auto it = model_.begin(); it != model_.end() && it->first.first == ctx.time; ++it) {
        if (std::find(seen.begin(), seen.end(), it->second) != seen.end()) continue;
        seen.push_back(it->second);
        expected.push_back("lane" + std::to_string(it->second));
      }
      CHECK(expected.size() >= 2);
      CHECK(ctx.options == expected);
      // The engine finds an option by its lane, and finds no lane that is not due (counted, not
      // checked one by one: this runs at every choice point of a long workload).
      std::size_t wrong = 0;
      for (Lane lane = 0; lane < 64; ++lane) {
        const auto it = std::find(seen.begin(), seen.end(), lane);
        std::size_t at = SIZE_MAX;
        const bool found = ctx.options.index_of(lane, at);
        if (found != (it != seen.end()) ||
            (found && at != static_cast<std::size_t>(it - seen.begin())))
          ++wrong;
      }
      CHECK(wrong == 0);
      // The options first offered here: every lane new since the previous choice point is
      // among them, and every option not among them was an option there too.
      ctx.options.fresh(fresh_);
      CHECK(std::is_sorted(fresh_.begin(), fresh_.end()));
      std::size_t unexplained = 0;
      for (std::size_t k = 0; k < seen.size(); ++k) {
        const bool fresh = std::binary_search(fresh_.begin(), fresh_.end(), k);
        const bool was_option = !options_.empty() && std::binary_search(options_.back().begin(), options_.back().end(), seen[k]);
        if (!fresh && !was_option) ++unexplained;
      }
      CHECK(unexplained == 0);
      fresh_total_ += fresh_.size();
      options_total_ += seen.size();
      std::sort(seen.begin(), seen.end());
      options_.push_back(seen);
      std::size_t pick = inner_.choose(ctx);
      CHECK(pick < ctx.options.size());
      return pick;
    }
    // What the engine tells as events run and offers are withdrawn, against what it offered.
    void on_event(const EventInfo& e) override {
      REQUIRE(e.label != nullptr);
      CHECK(*e.label == "lane" + std::to_string(e.lane));
      learn(e.lane, e.offered_from, e.offered_to, true);
      inner_.on_event(e);
    }
    void on_withdrawn(Lane lane, Time time, std::uint64_t from, std::uint64_t to) override {
      CHECK(time == model_.begin()->first.first);
      CHECK(from < to);
      learn(lane, from, to, false);
      inner_.on_withdrawn(lane, time, from, to);
    }
    // Every choice point's options, rebuilt from the offered ranges alone, are the ones offered.
    void verify() const {
      REQUIRE(learnt_.size() <= options_.size());
      for (std::size_t c = 0; c < options_.size(); ++c) {
        CAPTURE(c);
        std::vector<Lane> got = c < learnt_.size() ? learnt_[c] : std::vector<Lane>{};
        std::sort(got.begin(), got.end());
        CHECK(got == options_[c]);
      }
    }

   private:
    void learn(Lane lane, std::uint64_t from, std::uint64_t to, bool ran) {
      CHECK(from <= to);
      CHECK(to == asked_);  // an offer ends at the choice points made so far
      if (!ran) CHECK(from < to);
      if (learnt_.size() < to) learnt_.resize(to);
      for (std::uint64_t c = from; c < to; ++c) learnt_[c].push_back(lane);
    }
    ChoiceSource& inner_;
    const std::map<std::pair<Time, std::uint64_t>, Lane>& model_;
    std::uint64_t asked_ = 0;
    std::vector<std::vector<Lane>> options_;  // by choice point: its options' lanes, ascending
    std::vector<std::vector<Lane>> learnt_;   // by choice point: lanes told to be options there
    std::vector<std::size_t> fresh_;
   public:
    std::size_t fresh_total_ = 0, options_total_ = 0;
  } checked(choices, model);

  Engine engine(checked);
  SeededChoice rng(opt.workload_seed);
  std::vector<Lane> lanes;
  for (int i = 0; i < opt.lanes; ++i) lanes.push_back(engine.add_lane("lane" + std::to_string(i)));
  std::vector<Known> known;  // index = seq
  WorkloadResult result;
  Time last_time = 0;
  int scheduled = 0;

  std::function<void(Time, Lane)> schedule;
  auto fire = [&](std::uint64_t seq) {
    Known& k = known[seq];
    ++k.runs;
    ++result.ran;
    CHECK(!k.cancelled);
    CHECK(engine.now() == k.time);
    CHECK(k.time >= last_time);  // time never decreases
    last_time = k.time;
    // The model's view: this event must be due now, and first of its lane among those due now.
    REQUIRE(!model.empty());
    auto least = model.begin();
    CHECK(least->first.first == k.time);
    if (opt.plain_order) CHECK(least->first.second == seq);
    for (auto it = least; it != model.end() && it->first.first == k.time; ++it) {
      if (it->second == k.lane) {
        CHECK(it->first.second == seq);  // same-lane order kept
        break;
      }
    }
    CHECK(model.erase({k.time, seq}) == 1);
    CHECK(engine.queued() == model.size());
    for (unsigned char byte : std::to_string(seq) + "@" + std::to_string(k.time) + ";") {
      result.order_hash = (result.order_hash ^ byte) * 1099511628211ULL;
    }
    // Children: none, one or two; a third of them at this very instant.
    std::uint64_t r = rng.next();
    int children = static_cast<int>(r % 3);
    for (int c = 0; c < children && scheduled < opt.budget; ++c) {
      Time delay = (rng.next() % 3 == 0) ? 0 : static_cast<Time>(rng.next() % 5);
      schedule(engine.now() + delay, lanes[rng.next() % lanes.size()]);
    }
    // Sometimes cancel any event ever scheduled: pending, run, cancelled already, or itself.
    if (rng.next() % 4 == 0) {
      Known& victim = known[rng.next() % known.size()];
      bool was_pending = model.count({victim.time, victim.id.seq}) == 1;
      CHECK(engine.pending(victim.id) == was_pending);
      engine.cancel(victim.id);
      CHECK_FALSE(engine.pending(victim.id));
      if (was_pending) {
        victim.cancelled = true;
        ++result.cancelled;
        model.erase({victim.time, victim.id.seq});
      }
      CHECK(engine.queued() == model.size());
    }
  };
  schedule = [&](Time t, Lane lane) {
    ++scheduled;
    std::uint64_t seq = known.size();
    known.push_back({{}, t, lane});
    known.back().id = engine.at(t, lane, [&fire, seq] { fire(seq); });
    CHECK(known.back().id.seq == seq);  // seq is scheduling order, from 0
    model.emplace(std::make_pair(t, seq), lane);
  };

  for (int i = 0; i < opt.initial; ++i) {
    schedule(static_cast<Time>(rng.next() % 20), lanes[rng.next() % lanes.size()]);
  }
  CHECK(engine.run() == RunStop::Idle);
  CHECK(model.empty());
  checked.verify();
  // Not every option every time: here about a quarter (or a half with many lanes) are fresh.
  CHECK(checked.fresh_total_ * 3 < checked.options_total_ * 2);
  for (const Known& k : known) {
    CHECK(k.runs == (k.cancelled ? 0 : 1));  // every event not cancelled runs exactly once
    CHECK_FALSE(engine.pending(k.id));
  }
  CHECK(engine.events_run() == result.ran);
  CHECK(engine.queued() == 0);
  result.choices = engine.choices_made();
  return result;
}

using Seeded7 = SeededSource<7>;
using Seeded42 = SeededSource<42>;

// The conformance suite: the engine's contract holds whatever the choice source answers.
TEST_CASE_TEMPLATE("conformance: every choice source keeps the engine's invariants", Source,
                   FirstChoice, Seeded7, Seeded42, LastChoice) {
  for (std::uint64_t seed : {1, 2, 3}) {
    CAPTURE(seed);
    Source source;
    WorkloadOptions opt;
    opt.workload_seed = seed;
    WorkloadResult r = run_workload(source, opt);
    CHECK(r.ran > 1000);      // the workload is not trivial...
    CHECK(r.cancelled > 10);  // ...cancels...
    CHECK(r.choices > 100);   // ...and makes choices
  }
}

// Many lanes due at once: every choice point has dozens of options, and cancellations hit the
// earliest event of a lane as often as a later one, so the instant's per-lane lists and rank tree
// are exercised far beyond the few lanes of the suite above.
TEST_CASE_TEMPLATE("conformance with many lanes due at each instant", Source, FirstChoice,
                   Seeded7, LastChoice) {
  Source source;
  WorkloadOptions opt;
  opt.workload_seed = 11;
  opt.lanes = 41;
  opt.initial = 1000;
  opt.budget = 4000;
  WorkloadResult r = run_workload(source, opt);
  CHECK(r.ran > 2000);
  CHECK(r.cancelled > 50);
  CHECK(r.choices > 500);
}

// A search that learns a choice point's options from the events that ran must also hear of the
// options that never ran: a lane whose only due event is cancelled, a run stopped mid-instant.
TEST_CASE("offers that end without running are told as withdrawn") {
  struct Offer {
    Lane lane;
    Time time;
    std::uint64_t from, to;
  };
  struct Listener final : ChoiceSource {
    std::size_t choose(const ChoiceContext&) override { return 0; }
    void on_withdrawn(Lane lane, Time time, std::uint64_t from, std::uint64_t to) override {
      withdrawn.push_back({lane, time, from, to});
    }
    void on_event(const EventInfo& e) override { ran.push_back({e.lane, e.time, e.offered_from, e.offered_to}); }
    std::vector<Offer> withdrawn, ran;
  } listener;
  Engine engine(listener);
  const Lane a = engine.add_lane("a"), b = engine.add_lane("b"), c = engine.add_lane("c");
  EventId timer;
  engine.at(5, a, [&] { engine.cancel(timer); });
  timer = engine.at(5, b, [] {});
  engine.at(5, c, [] {});
  engine.at(9, a, [] {});
  engine.at(9, b, [] {});
  engine.at(9, c, [] {});
  CHECK(engine.run(kForever, 4) == RunStop::EventLimit);
  engine.end_run();
  // At 5: choice 0 among a, b, c takes a, which cancels b's timer; c runs alone after. At 9:
  // choice 1 takes a, choice 2 takes b, and the run stops with c still due.
  REQUIRE(listener.withdrawn.size() == 2);
  CHECK(listener.withdrawn[0].lane == b);
  CHECK(listener.withdrawn[0].time == 5);
  CHECK(listener.withdrawn[0].from == 0);
  CHECK(listener.withdrawn[0].to == 1);
  CHECK(listener.withdrawn[1].lane == c);
  CHECK(listener.withdrawn[1].time == 9);
  CHECK(listener.withdrawn[1].from == 1);
  CHECK(listener.withdrawn[1].to == 3);
  REQUIRE(listener.ran.size() == 4);
  CHECK(listener.ran[1].lane == c);
  CHECK(listener.ran[1].from == 0);  // an option at choice 0, ran once it was alone
  CHECK(listener.ran[1].to == 1);
  CHECK(listener.ran[3].lane == b);
  CHECK(listener.ran[3].from == 1);
  CHECK(listener.ran[3].to == 3);
}

// A source that does not observe events is not told of them, and a schedule observes them exactly
// when its fallback does: the explorer's recorder behind a schedule still hears every event.
TEST_CASE("only a source that observes events is told of them") {
  struct Counting final : ChoiceSource {
    explicit Counting(bool observes) : observes(observes) {}
    std::size_t choose(const ChoiceContext&) override { return 0; }
    bool observes_events() const override { return observes; }
    void on_event(const EventInfo&) override { ++events; }
    bool observes;
    int events = 0;
  };
  for (bool observes : {false, true}) {
    CAPTURE(observes);
    Counting counting(observes);
    ScheduleChoice schedule({}, &counting);
    CHECK(schedule.observes_events() == observes);
    Engine engine(schedule);
    const Lane a = engine.add_lane("a"), b = engine.add_lane("b");
    engine.at(1, a, [] {});
    engine.at(1, b, [] {});
    engine.at(2, a, [] {});
    CHECK(engine.run() == RunStop::Idle);
    CHECK(counting.events == (observes ? 3 : 0));
  }
  CHECK_FALSE(ScheduleChoice({}, nullptr).observes_events());
  CHECK_FALSE(FirstChoice().observes_events());
}

// A source that does not observe events spares the engine the offer bookkeeping until it first
// asks which options are fresh: then every option is (it has seen none), and from then on only
// the new ones are.
TEST_CASE("fresh options for a source that does not observe events") {
  struct Asking final : ChoiceSource {
    std::size_t choose(const ChoiceContext& ctx) override {
      std::vector<std::size_t> fresh;
      ctx.options.fresh(fresh);
      std::vector<std::string> labels;
      for (std::size_t k : fresh) labels.push_back(ctx.options[k]);
      asked.push_back(labels);
      return 0;
    }
    bool observes_events() const override { return false; }
    std::vector<std::vector<std::string>> asked;
  } asking;
  Engine engine(asking);
  const Lane a = engine.add_lane("a"), b = engine.add_lane("b"), c = engine.add_lane("c");
  engine.at(1, a, [] {});
  engine.at(1, a, [] {});  // a's second event: an option again once the first has run
  engine.at(1, b, [&] { engine.at(1, c, [] {}); });
  engine.at(1, b, [] {});
  CHECK(engine.run() == RunStop::Idle);
  // Choice 0: a, b (all fresh); a runs. Choice 1: a again (fresh), b; a runs. Then b alone
  // adds c: choice 2 among b's second event (fresh: b's first ran alone) and c (new).
  REQUIRE(asking.asked.size() == 3);
  CHECK(asking.asked[0] == std::vector<std::string>{"a", "b"});
  CHECK(asking.asked[1] == std::vector<std::string>{"a"});
  CHECK(asking.asked[2] == std::vector<std::string>{"b", "c"});
}

TEST_CASE("a copied choice context keeps its labels after the choice is answered") {
  ScriptedChoice scripted({2, 0});
  Engine engine(scripted);
  Log log;
  for (int i = 0; i < 3; ++i) {
    Lane lane = engine.add_lane("L" + std::to_string(i));
    engine.at(5, lane, note(log, "L" + std::to_string(i)));
  }
  engine.step();
  REQUIRE(scripted.asked.size() == 1);
  engine.run();
  // The engine's view is gone with its instant; the copy holds the labels themselves.
  CHECK(scripted.asked[0].options == std::vector<std::string>{"L0", "L1", "L2"});
  CHECK(log == Log{"L2", "L0", "L1"});
}

TEST_CASE("FirstChoice runs exactly the plain (time, seq) order") {
  FirstChoice first;
  WorkloadOptions opt;
  opt.plain_order = true;
  for (std::uint64_t seed : {1, 2, 3, 4}) {
    opt.workload_seed = seed;
    run_workload(first, opt);
  }
}

TEST_CASE("the same seeded workload runs in the same order every time") {
  WorkloadOptions opt;
  opt.workload_seed = 99;
  SeededChoice once(5), twice(5), other(6);
  WorkloadResult a = run_workload(once, opt);
  WorkloadResult b = run_workload(twice, opt);
  WorkloadResult c = run_workload(other, opt);
  CHECK(a.order_hash == b.order_hash);
  CHECK(a.ran == b.ran);
  CHECK(a.choices == b.choices);
  CHECK(a.order_hash != c.order_hash);  // the choices do steer the run
}

}  // namespace
}  // namespace closesim
