// Exploration throughput: complete schedules per second for each race scenario, explored
// exhaustively with DFS (each schedule run, rule-checked, expectation-checked and classified,
// exactly as `closesim explore` does), and the total time to explore every race scenario once.
// For comparison, the cost of a plain run_scenario of the same file (no choices recorded, no
// signature): the difference is what exploration itself adds.
//
// Usage: bench_explore [PATH...]   (default scenarios/races, from the source tree's root)
// Prints only; asserts nothing about speed. Targets: >= 20,000 schedules/s on the three-thread
// close race (close_vs_two_blocked_recvs.scn); every race scenario explored in under 10 s.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "closesim/explore/explore.h"
#include "closesim/scenario/parser.h"
#include "closesim/run/runner.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace closesim;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) paths.emplace_back(argv[i]);
  if (paths.empty()) paths.emplace_back("scenarios/races");
  std::vector<Diagnostic> errors;
  std::vector<std::string> files = find_scenarios(paths, &errors);
  if (!errors.empty() || files.empty()) {
    std::fprintf(stderr, "bench_explore: no scenarios under the paths given (run it from the "
                         "source tree's root, or name the files)\n");
    return 2;
  }
  std::vector<Scenario> scenarios;
  for (const std::string& f : files) {
    ParseResult p = parse_scenario_file(f);
    if (!p.ok()) {
      std::fprintf(stderr, "bench_explore: %s does not parse\n", f.c_str());
      return 2;
    }
    scenarios.push_back(std::move(p.scenario));
  }

  std::printf("%-52s %9s %7s %8s %14s %12s %14s\n", "scenario (dfs, exhaustive)", "schedules",
              "classes", "choices", "schedules/s", "us/schedule", "plain runs/s");
  // One full pass first: the total the target is about.
  const Clock::time_point all = Clock::now();
  std::uint64_t total_schedules = 0;
  for (const Scenario& sc : scenarios) total_schedules += explore_scenario(sc, ExploreOptions{}).schedules;
  const double total_seconds = seconds_since(all);

  for (const Scenario& sc : scenarios) {
    // Repeat for at least half a second, for a steady rate.
    ExploreSummary s;
    std::uint64_t schedules = 0;
    int rounds = 0;
    const Clock::time_point start = Clock::now();
    double elapsed = 0;
    do {
      s = explore_scenario(sc, ExploreOptions{});
      schedules += s.schedules;
      ++rounds;
      elapsed = seconds_since(start);
    } while (elapsed < 0.5);
    // The plain run for comparison.
    std::uint64_t plain = 0;
    std::uint64_t choices = 0;
    const Clock::time_point p0 = Clock::now();
    double plain_elapsed = 0;
    do {
      RunResult r = run_scenario(sc, RunOptions{});
      choices = r.config.schedule.empty() ? 0 : std::count(r.config.schedule.begin(), r.config.schedule.end(), '.') + 1;
      ++plain;
      plain_elapsed = seconds_since(p0);
    } while (plain_elapsed < 0.25);
    std::printf("%-52s %9llu %7zu %8llu %14.0f %12.2f %14.0f\n", sc.file.c_str(),
                static_cast<unsigned long long>(s.schedules), s.classes.size(),
                static_cast<unsigned long long>(choices), schedules / elapsed,
                1e6 * elapsed / static_cast<double>(schedules), plain / plain_elapsed);
    (void)rounds;
  }
  std::printf("\nall %zu race scenarios explored exhaustively: %llu schedules in %.3f s "
              "(%.0f schedules/s)\n",
              scenarios.size(), static_cast<unsigned long long>(total_schedules), total_seconds,
              total_schedules / total_seconds);
  return 0;
}
