// One child process per scenario process after the first: the runner starts itself again with
// `--child NAME --shared BASE`, and the child plays that process's steps on the same plan, in
// the same trace file and in file order with the parent's (shared_run.h).
#pragma once

#include <string>
#include <vector>

#include "plan_file.h"
#include "shared_run.h"

namespace realstack {

struct Role {
  std::string process;  // the scenario process this runner plays ("" when the plan has none)
  bool child = false;
  std::string shared;   // the base name of the shared objects ("" for a run of one process)
  int index = 0;        // 0 for the parent, 1.. for the children in plan order
};

// The scenario processes of the plan, in order of first appearance.
std::vector<std::string> plan_processes(const PlanFile& plan);

// Starts a child for each process but the first and waits (up to 30 s) until each is ready for
// time zero. Returns false with a reason. REQUIRES: the parent's own slot is filled.
bool start_children(const std::vector<std::string>& processes, const std::string& plan_path,
                    const std::string& out_path, const std::string& shared_base, SharedRun& shared,
                    std::string& why);

// Waits up to `wall_ms` for the children to end, then ends those that have not. Returns how many
// had to be ended.
int finish_children(DWORD wall_ms);

}  // namespace realstack
