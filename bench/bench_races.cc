// Exploration of one close racing k = 1..8 blocking recvs on one descriptor, all at one
// instant, with and without the leave-blocked-call mutant: schedules run by the default
// strategy (partial-order reduction), outcome classes, Mazurkiewicz traces, time, and whether
// the mutant was found. When Debian's spin is installed, the same race as a Promela model
// (bench/close_race.pml) is verified by SPIN in the same run, its time beside ours.
//
// Usage: bench_races   (from the source tree's root, so bench/close_race.pml is found)
// Prints only; asserts nothing about speed. Targets on a 2-core machine: k = 8 explored
// exhaustively in under 1 s; the mutant found at k = 5 in under 0.1 s; schedules at most 2x the
// traces.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"
#include "closesim/world/mutant.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string race(int k) {
  std::string text = "title \"close races blocking recvs\"\n"
                     "0 A.main s = socket(tcp) = ok\n"
                     "0 A.main connect(s) = 0\n"
                     "1ms A.main closesocket(s) = 0\n";
  for (int i = 1; i <= k; ++i) text += fmt::format("1ms A.t{} recv(s, 1024) = ?\n", i);
  return text;
}

// SPIN's time to verify the model (generate, compile, search), or a negative value if it could
// not be run. `found`: SPIN reported an error (the parked thread of the mutant).
double spin_seconds(int k, bool mutant, bool& found) {
  const std::string dir = fmt::format("/tmp/closesim-spin-{}-{}", k, mutant ? 1 : 0);
  const std::string cmd = fmt::format(
      "mkdir -p {0} && cp bench/close_race.pml {0}/ && cd {0} && spin -a -DK={1} -DMUTANT={2} "
      "close_race.pml >/dev/null 2>&1 && cc -O2 -DSAFETY -o pan pan.c >/dev/null 2>&1 && "
      "./pan > pan.out 2>&1; grep -q 'errors: 0' pan.out",
      dir, k, mutant ? 1 : 0);
  const auto start = Clock::now();
  const int rc = std::system(cmd.c_str());
  const double t = seconds_since(start);
  if (rc == -1) return -1;
  found = rc != 0;
  // A missing spin or compiler also makes grep fail: tell the two apart by the output file.
  if (std::system(fmt::format("test -s {}/pan.out", dir).c_str()) != 0) return -1;
  return t;
}

}  // namespace

int main() {
  using namespace closesim;
  const bool spin = std::system("command -v spin >/dev/null 2>&1 && command -v cc >/dev/null 2>&1") == 0;
  fmt::print("close racing k blocking recvs, default explore (dpor, then pct if dpor cannot finish)\n");
  fmt::print("{:>2} {:>7} {:>9} {:>7} {:>8} {:>10} {:>6} | {:>9} {:>7} {:>10} {:>6}{}\n", "k",
             "sched", "traces", "classes", "ratio", "time", "exh.", "mut.sched", "found",
             "mut.time", "exh.", spin ? " | spin ok / mutant (s)" : "");
  double worst_ratio = 0, k8_time = 0, k5_mutant_time = 0;
  bool k5_found = false, k8_found = false, k8_exhaustive = false;
  for (int k = 1; k <= 8; ++k) {
    ParseResult p = parse_scenario("race.scn", race(k));
    if (!p.ok()) {
      std::fprintf(stderr, "bench_races: the generated scenario does not parse\n");
      return 2;
    }
    ExploreOptions o;
    auto start = Clock::now();
    ExploreSummary ok = explore_scenario(p.scenario, o);
    const double t = seconds_since(start);
    o.run.mutant = Mutant::LeaveBlockedCall;
    start = Clock::now();
    ExploreSummary bad = explore_scenario(p.scenario, o);
    const double tm = seconds_since(start);
    const bool found = explore_exit_status(bad) != 0;
    const double ratio = ok.traces ? static_cast<double>(ok.schedules) / static_cast<double>(ok.traces) : 0;
    worst_ratio = std::max(worst_ratio, ratio);
    if (k == 8) {
      k8_time = t;
      k8_found = found;
      k8_exhaustive = ok.exhaustive();
    }
    if (k == 5) {
      k5_mutant_time = tm;
      k5_found = found;
    }
    std::string spin_cell;
    if (spin) {
      bool e1 = false, e2 = false;
      const double s1 = spin_seconds(k, false, e1);
      const double s2 = spin_seconds(k, true, e2);
      spin_cell = s1 < 0 || s2 < 0 ? " | spin failed to run"
                                   : fmt::format(" | {:.3f}{} / {:.3f}{}", s1, e1 ? " (error!)" : "",
                                                 s2, e2 ? " found" : " not found");
    }
    fmt::print("{:>2} {:>7} {:>9} {:>7} {:>8.2f} {:>9.4f}s {:>6} | {:>9} {:>7} {:>9.4f}s {:>6}{}\n", k,
               ok.schedules, ok.traces, ok.classes.size(), ratio, t, ok.exhaustive() ? "yes" : "no",
               bad.schedules, found ? "yes" : "NO", tm, bad.exhaustive() ? "yes" : "no", spin_cell);
  }
  if (!spin) fmt::print("(spin is not installed: apt-get install spin to compare with SPIN)\n");
  fmt::print("\ntargets:\n");
  fmt::print("  k = 8 explored exhaustively:      {:.4f} s, exhaustive {}   target < 1 s, yes\n", k8_time,
             k8_exhaustive ? "yes" : "no");
  fmt::print("  mutant found at k = 5:            {:.4f} s, found {}       target < 0.1 s, yes\n",
             k5_mutant_time, k5_found ? "yes" : "no");
  fmt::print("  mutant found at k = 8:            found {}                  target yes\n", k8_found ? "yes" : "no");
  fmt::print("  schedules / traces, worst:        {:.2f}                      target <= 2\n", worst_ratio);
  return 0;
}
