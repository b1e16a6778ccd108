// The plan: a parsed scenario turned into the line-oriented steps the Windows runner plays on a
// real ws2_32 (docs/realstack.md, "The plan"). closesim writes it; realstack/ reads it. Steps the
// runner cannot realise are named with the reason instead of being dropped silently.
#pragma once

#include <string>
#include <vector>

#include "closesim/scenario/scenario.h"

namespace closesim::real {

// A scenario step the runner cannot play, and why ("child processes are not realised yet").
struct UnrealisableStep {
  int line = 0;
  std::string reason;
};

struct Plan {
  std::string text;                          // the plan file's contents
  std::vector<UnrealisableStep> unrealisable;  // empty => the whole scenario can be played
  bool realisable() const { return unrealisable.empty(); }
};

struct PlanOptions {
  double time_scale = 1.0;   // wall-clock time = virtual time x time_scale
  Time tolerance = 10 * kMillisecond;  // virtual; how far a return may be from its stated time
};

// REQUIRES: the scenario parsed and passed check_names.
Plan write_plan(const Scenario& scenario, const PlanOptions& options);

}  // namespace closesim::real
