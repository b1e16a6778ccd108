// The name check before a run grows as n log n in the steps: time it at 10k, 40k and 160k steps
// (each step names a socket made far above it) and print the cost per step beside the target.
// Only this benchmark reads a clock; closesim itself never does.
#include <chrono>
#include <cstdio>
#include <string>

#include "closesim/scenario/parser.h"
#include "closesim/run/runner.h"

int main() {
  using namespace closesim;
  using Clock = std::chrono::steady_clock;
  const double target_ns_per_step = 5000;  // flat per step; a quadratic check grows 16x to 160k
  double first = 0;
  for (int steps : {10000, 40000, 160000}) {
    std::string text = "0 A.main s = socket(tcp) = ok\n0 A.main connect(s) = 0\n";
    for (int i = 0; i < steps; ++i) text += "1ms A.main send(s, 1) = ?\n";
    ParseResult p = parse_scenario("bench.scn", text);
    if (!p.ok()) return 2;
    auto t0 = Clock::now();
    std::size_t errors = check_names(p.scenario).size();
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count() / steps;
    if (first == 0) first = ns;
    std::printf("name check, %6d steps: %7.0f ns/step (target < %.0f; x%.1f of the 10k cost)%s\n",
                steps, ns, target_ns_per_step, ns / first, errors ? "  ERRORS" : "");
  }
  return 0;
}
