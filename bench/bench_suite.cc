// Scenarios per second for the bundled suite: parse and run every scenario under scenarios/
// (rules checked, expectations checked), several rounds, and print throughput. Only this
// benchmark reads a clock; closesim itself never does.
#include <chrono>
#include <cstdio>
#include <string>

#include "closesim/scenario/parser.h"
#include "closesim/run/runner.h"

int main(int argc, char** argv) {
  using namespace closesim;
  const std::string root = argc > 1 ? argv[1] : "scenarios";
  std::vector<Diagnostic> errors;
  std::vector<std::string> files = find_scenarios({root}, &errors);
  if (files.empty() || !errors.empty()) {
    std::fprintf(stderr, "bench_suite: no scenarios under %s (run from the source root)\n", root.c_str());
    return 2;
  }
  std::vector<Scenario> parsed;
  for (const std::string& f : files) parsed.push_back(parse_scenario_file(f).scenario);

  using Clock = std::chrono::steady_clock;
  const int rounds = 20;
  std::uint64_t events = 0;
  int failed = 0;
  auto t0 = Clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const std::string& f : files) {
      RunResult res = run_file(f, {});
      events += res.events;
      failed += res.exit_status() != 0;
    }
  double with_parse = std::chrono::duration<double>(Clock::now() - t0).count();
  t0 = Clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const Scenario& s : parsed) run_scenario(s, {});
  double run_only = std::chrono::duration<double>(Clock::now() - t0).count();

  // The same runs without the rule checker: what checking costs on top (target: at most 1.5x).
  RunOptions no_rules;
  no_rules.rules = RulesMode::Off;
  t0 = Clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const Scenario& s : parsed) run_scenario(s, no_rules);
  double run_no_rules = std::chrono::duration<double>(Clock::now() - t0).count();

  const double n = static_cast<double>(files.size()) * rounds;
  std::printf("suite   scenarios=%zu  rounds=%d  %.0f scenarios/s (parse+run+check)  %.0f scenarios/s (run+check)\n",
              files.size(), rounds, n / with_parse, n / run_only);
  std::printf("suite   one pass over the whole suite: %.1f ms  (target < 1000 ms)  events/s %.2f M  failures %d\n",
              1000.0 * with_parse / rounds, static_cast<double>(events) / with_parse / 1e6, failed);
  std::printf("suite   rules on / rules off: %.2f  (target <= 1.5)\n", run_only / run_no_rules);
  return failed == 0 ? 0 : 1;
}
