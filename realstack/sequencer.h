// File order across the runner's threads and processes (docs/realstack.md, "Time"): the steps'
// progress lives in the SharedRun, so a child process's step waits for the parent's above it.
#pragma once

#include <algorithm>
#include <atomic>
#include <thread>

#include "plan_file.h"
#include "shared_run.h"
#include "trace_log.h"

namespace realstack {

// Step k may start once step k-1 returned, or once k-1 has been running for `grace` (blocking
// steps) or for the tolerance (a step that should not block but did: its lateness is the
// scenario's failure to report, not a reason to hang the run).
class Sequencer {
 public:
  Sequencer(const PlanFile& plan, const Clock& clock, SharedRun& shared)
      : plan_(plan), clock_(clock), state_(shared.state()), started_(shared.started()) {}

  void wait_turn(std::size_t k) {
    clock_.sleep_until(plan_.steps[k].start);
    while (k > 0) {
      const int before = state(k - 1).load();
      if (before == 2) break;
      if (before == 1) {
        const std::int64_t patience = plan_.steps[k - 1].blocking ? grace() : plan_.tolerance;
        if (clock_.now() - started(k - 1).load() >= patience) break;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    started(k).store(clock_.now());
    state(k).store(1);
  }
  // Whether the last step has been started: until then a slow machine is still playing the
  // script, and the run must not be cut short by the clock.
  bool all_started() { return plan_.steps.empty() || state(plan_.steps.size() - 1).load() != 0; }
  void done(std::size_t k) { state(k).store(2); }

 private:
  // A fifth of the tolerance: long enough for the call to reach its wait, short enough that the
  // next step still starts within the tolerance of its time.
  std::int64_t grace() const { return plan_.tolerance / 5; }
  std::atomic_ref<std::int32_t> state(std::size_t k) { return std::atomic_ref<std::int32_t>(state_[k]); }
  std::atomic_ref<std::int64_t> started(std::size_t k) { return std::atomic_ref<std::int64_t>(started_[k]); }

  const PlanFile& plan_;
  const Clock& clock_;
  std::int32_t* state_;    // in the SharedRun
  std::int64_t* started_;
};

}  // namespace realstack
