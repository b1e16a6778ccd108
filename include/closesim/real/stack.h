// Plays a plan on a real Winsock: the cross-compiled runner (realstack/) under Wine on Linux.
// The one place closesim reads a wall clock and starts processes; the simulator never does.
// The Wine prefix lives in the build folder and is made on first use; one persistent
// wineserver serves a whole batch of runs.
#pragma once

#include <string>

#include "closesim/real/plan.h"

namespace closesim::real {

struct StackConfig {
  std::string runner;   // realstack.exe
  std::string wine;     // wine64 loader; empty => run the runner directly (Windows)
  std::string prefix;   // WINEPREFIX
  std::string work_dir; // where plans and traces of this batch are written
};

// The runner and prefix this build made (CMake passes their paths), Debian's wine64 loader.
StackConfig default_stack_config();

// Empty when everything is there; else what is missing and how to get it ("make real").
std::string stack_missing(const StackConfig& config);

// "wine 8.0 (Debian 8.0~repack-4)"; made once per process.
std::string stack_version(const StackConfig& config);

struct StackRun {
  bool ok = false;
  std::string trace;   // the runner's JSON lines
  std::string error;   // why it did not run
  bool hung = false;   // it ran but did not finish in time and was killed (error says so)
  std::string note;    // said about a run that was stopped after its trace was complete
};

// Writes the plan to work_dir/<name>.plan, runs the runner on it and reads back the trace. A
// runner that has not finished a minute after the plan's last time is killed (`hung`).
// REQUIRES: plan.realisable().
StackRun play_on_stack(const Plan& plan, const StackConfig& config, const std::string& name);

}  // namespace closesim::real
