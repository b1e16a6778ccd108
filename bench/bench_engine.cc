// Engine throughput: a steady queue of `pending` events, each of which schedules one successor at
// now + a pseudo-random delay, run for `events` events. The same workload on a bare
// std::priority_queue of (time, seq) PODs is the yardstick: the ratio is what the engine's
// callbacks, slots, cancellation checks and choice points cost over the heap alone.
//
// Usage: bench_engine [events]   (default 20000000). Prints only; asserts nothing about speed.
// Times are CPU seconds, best of three alternating rounds.
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <queue>
#include <string>
#include <vector>

#include "closesim/engine/choice_source.h"
#include "closesim/engine/engine.h"

namespace {

using closesim::Engine;
using closesim::Lane;
using closesim::Time;

// splitmix64, inlined here so both sides pay the same for their random numbers.
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

constexpr int kLanes = 8;

struct Workload {
  std::uint64_t pending;
  Time max_delay;              // delays are uniform in [0, max_delay)
  std::uint64_t events_share;  // runs events / events_share events
  const char* note;
  const char* target;  // the ratio to the plain heap it should reach
};

struct Result {
  double seconds;
  Time final_time;  // identical on both sides iff they ran the same schedule
  std::uint64_t choices;
};

// CPU time of the process: on a machine shared with other builds, wall time would measure the
// load as much as the code.
using CpuClock = double;
CpuClock cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
double seconds_since(CpuClock start) { return cpu_now() - start; }

struct EngineBench {
  Engine* engine;
  Rng rng;
  Lane lanes[kLanes];
  Time max_delay;

  void schedule(Time t) {
    Lane lane = lanes[rng.next() % kLanes];
    // One pointer of capture: fits std::function's small buffer, so no allocation per event.
    engine->at(t, lane, [this] { fire(); });
  }
  void fire() { schedule(engine->now() + static_cast<Time>(rng.next() % max_delay)); }
};

Result run_engine(const Workload& w, std::uint64_t events) {
  closesim::FirstChoice first;
  Engine engine(first);
  EngineBench b{&engine, Rng{42}, {}, w.max_delay};
  for (int i = 0; i < kLanes; ++i) b.lanes[i] = engine.add_lane("lane" + std::to_string(i));
  for (std::uint64_t i = 0; i < w.pending; ++i) b.schedule(static_cast<Time>(b.rng.next() % w.max_delay));
  const CpuClock start = cpu_now();
  engine.run(closesim::kForever, events);
  double s = seconds_since(start);
  return {s, engine.now(), engine.choices_made()};
}

struct Pod {
  Time time;
  std::uint64_t seq;
};
struct Later {
  bool operator()(const Pod& a, const Pod& b) const {
    return a.time > b.time || (a.time == b.time && a.seq > b.seq);
  }
};

Result run_plain(const Workload& w, std::uint64_t events) {
  std::priority_queue<Pod, std::vector<Pod>, Later> heap;
  Rng rng{42};
  std::uint64_t seq = 0;
  for (std::uint64_t i = 0; i < w.pending; ++i) {
    Time t = static_cast<Time>(rng.next() % w.max_delay);
    rng.next();  // the lane draw, unused here
    heap.push({t, seq++});
  }
  const CpuClock start = cpu_now();
  Time now = 0;
  for (std::uint64_t i = 0; i < events; ++i) {
    now = heap.top().time;
    heap.pop();
    Time t = now + static_cast<Time>(rng.next() % w.max_delay);
    rng.next();  // the lane draw
    heap.push({t, seq++});
  }
  double s = seconds_since(start);
  return {s, now, 0};
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t events = 20'000'000;
  if (argc > 1) events = std::strtoull(argv[1], nullptr, 10);
  const Workload workloads[] = {
      {1'000, 1'000'000, 1, "spread", "ratio >= 0.75"},
      {10'000, 1'000'000, 1, "spread", "ratio >= 0.75"},
      // ~16 events per instant over 8 lanes: a choice point nearly every step, each costing
      // O(log n) (the instant's per-lane lists and rank tree), not O(events due at the instant).
      {1'000, 64, 4, "ties", "ratio >= 0.7"},
  };
  for (const Workload& w : workloads) {
    const std::uint64_t n = events / w.events_share;
    // Best of three, alternating, so a burst of load on the machine hits both sides alike.
    Result e = run_engine(w, n);
    Result p = run_plain(w, n);
    for (int round = 1; round < 3; ++round) {
      Result e2 = run_engine(w, n);
      Result p2 = run_plain(w, n);
      e.seconds = std::min(e.seconds, e2.seconds);
      p.seconds = std::min(p.seconds, p2.seconds);
    }
    double e_rate = static_cast<double>(n) / e.seconds / 1e6;
    double p_rate = static_cast<double>(n) / p.seconds / 1e6;
    std::printf(
        "engine  pending=%llu  events=%llu  %-6s  %.1f Mev/s  (plain heap %.1f Mev/s, ratio %.2f)"
        "  choices=%llu  (target: %s)%s\n",
        static_cast<unsigned long long>(w.pending), static_cast<unsigned long long>(n), w.note,
        e_rate, p_rate, e_rate / p_rate, static_cast<unsigned long long>(e.choices), w.target,
        e.final_time == p.final_time ? "" : "  SCHEDULES DIFFER");
  }
  return 0;
}
