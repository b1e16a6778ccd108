// Schedules: the answers a run gave at its choice points (engine/choice_source.h), the choice
// sources that give them (a fixed prefix, a random walk, PCT), and the runner that replays a
// schedule and memoises the rule checker per distinct trace. The explorer (explore.h) is built on
// these; `closesim run --schedule S` replays one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "closesim/engine/choice_source.h"
#include "closesim/rules/rules.h"
#include "closesim/result/run_result.h"
#include "closesim/run/runner.h"
#include "closesim/scenario/scenario.h"

namespace closesim {

// --- schedules ----------------------------------------------------------------------------------

using Answers = std::vector<std::size_t>;

// One choice point as a run met it.
struct ChoicePoint {
  std::uint32_t chosen = 0;
  std::uint32_t options = 0;  // >= 2
};

// Drops trailing zeros: past the end of a replayed schedule every answer is option 0, so the
// trimmed schedule replays the same run.
Answers trim_schedule(Answers answers);
// The schedule as `--schedule` and the `schedule` directive take it, trimmed: "0.1.0.2". An
// all-zero schedule is "0" (never empty, so that it overrides a file's `schedule` directive).
std::string schedule_text(const Answers& answers);
// The canonical order of example schedules: shorter (trimmed) first, then lexicographic.
bool schedule_less(const Answers& a, const Answers& b);

// Answers from `prefix`, then option 0 (a prefix answer beyond a point's options is clamped to
// the last option); records every choice point met. The DFS strategy and replays use it.
class PrefixChoice final : public ChoiceSource {
 public:
  explicit PrefixChoice(Answers prefix) : prefix_(std::move(prefix)) {}
  std::size_t choose(const ChoiceContext& ctx) override;
  bool observes_events() const override { return false; }
  const std::vector<ChoicePoint>& taken() const { return taken_; }
  Answers answers() const;

 private:
  Answers prefix_;
  std::vector<ChoicePoint> taken_;
};

// Uniform random answers from a seed (SeededChoice's mapping); records every choice point.
class RandomWalkChoice final : public ChoiceSource {
 public:
  explicit RandomWalkChoice(std::uint64_t seed) : random_(seed) {}
  std::size_t choose(const ChoiceContext& ctx) override;
  bool observes_events() const override { return false; }
  const std::vector<ChoicePoint>& taken() const { return taken_; }

 private:
  SeededChoice random_;
  std::vector<ChoicePoint> taken_;
};

// Probabilistic concurrency testing (Burckhardt et al., ASPLOS 2010). Each lane gets a random
// priority (>= depth) when first seen; `depth - 1` change points are drawn uniformly among the
// choice indices [0, expected_choices); at the i-th change point (1-based) the lane about to be
// picked drops to priority depth - i, below every initial one. Each choice takes the option of
// the highest-priority lane (ties: lower option index). A bug that needs d ordering constraints
// is found with probability at least 1 / (n * k^(d-1)) per run, for n lanes and k choices.
class PctChoice final : public ChoiceSource {
 public:
  // REQUIRES: depth >= 1.
  PctChoice(std::uint64_t seed, std::size_t depth, std::uint64_t expected_choices);
  std::size_t choose(const ChoiceContext& ctx) override;
  bool observes_events() const override { return false; }
  const std::vector<ChoicePoint>& taken() const { return taken_; }

 private:
  SeededChoice random_;
  std::size_t depth_;
  // The change points as (choice index, how many fall on it), by index: at most
  // min(depth - 1, expected_choices) entries, so memory does not grow with the depth asked for.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> change_points_;
  std::size_t next_change_ = 0;      // the first entry of change_points_ not yet reached
  std::uint64_t changes_done_ = 0;   // change points applied so far: the next one's rank
  // Priorities by lane (lanes and labels are one to one), and the lanes due by priority, highest
  // first: a choice point costs O(log n) for each lane first offered there, not O(options).
  static constexpr std::uint64_t kNoPriority = UINT64_MAX;
  struct Queued {
    std::uint64_t priority = 0;
    Lane lane = 0;
    bool operator<(const Queued& o) const { return priority < o.priority; }
  };
  void enqueue(Lane lane);
  std::size_t best(const ChoiceContext& ctx);
  std::vector<std::uint64_t> priority_;
  std::vector<std::uint64_t> queued_;  // by lane: the priority of its live entry in queue_
  std::priority_queue<Queued> queue_;
  std::vector<Queued> tied_;           // scratch
  std::vector<std::size_t> fresh_;     // scratch
  std::vector<ChoicePoint> taken_;
};

// Runs one schedule: `choices` answers every choice point (a `schedule` directive in the file is
// ignored). The options' own schedule, seed and choices fields are overridden.
RunResult run_with_choices(const Scenario& scenario, RunOptions options, ChoiceSource& choices);

// A 64-bit hash of every field of every record, like Trace::hash but several times cheaper (it
// keys the memos of exploration, which compute it for every schedule). Not stable across
// versions: never store it.
std::uint64_t trace_fingerprint(const Trace& trace);

// Runs many schedules of one scenario, as run_with_choices does, with the rule checker memoised
// by trace: the checker reads nothing but the trace (DESIGN.md), and the schedules of a race
// mostly differ in the order of events that leave the very same trace (150 schedules of a
// three-thread close race make 10 traces), so each distinct trace (by trace_fingerprint) is
// checked once and its report reused. Results are those of run_with_choices.
class ScheduleRunner {
 public:
  ScheduleRunner(const Scenario& scenario, const RunOptions& options);
  ScheduleRunner(const ScheduleRunner&) = delete;
  ScheduleRunner& operator=(const ScheduleRunner&) = delete;

  RunResult run(ChoiceSource& choices);
  // The same, with RunOptions::watch_trace set for this run.
  RunResult run(ChoiceSource& choices, std::function<void(const Trace&)> watch_trace);
  std::uint64_t runs() const { return runs_; }
  std::uint64_t checks() const { return checks_; }  // times the rule checker actually ran

 private:
  // Fixed at construction.
  const Scenario& scenario_;
  RunOptions options_;  // rules off: the runner checks them itself
  RulesMode rules_;
  CheckerOptions checker_;
  // Grows with every distinct trace (cleared if it ever gets large).
  std::map<std::uint64_t, RuleReport> reports_;
  std::uint64_t runs_ = 0;
  std::uint64_t checks_ = 0;
};
// Replays `answers` exactly as `closesim run --schedule` does.
RunResult replay_schedule(const Scenario& scenario, const RunOptions& options,
                          const Answers& answers);

}  // namespace closesim
