// Schedule exploration: every ordering a scenario leaves open, run, checked, grouped by outcome,
// replayable and shrinkable (docs/explore.md).
//
// A run's choices are the answers it gave at its choice points (engine/choice_source.h). The
// explorer never saves engine state: it reaches a schedule by replaying its answers from the
// start (stateless search), so any schedule it reports replays with `closesim run FILE
// --schedule S`. Every run goes through run_scenario, which checks the scenario's own
// expectations; the rule checker's report is memoised per distinct trace (ScheduleRunner).
//
// Determinism: results are a function of the scenario, the options and the seed. Nothing here
// reads a clock; classes, tallies and reports are in a canonical order (never hash order), so
// shards merged in any order give the same report as one unsharded run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "closesim/engine/choice_source.h"
#include "closesim/explore/schedules.h"
#include "closesim/base/rule_id.h"
#include "closesim/rules/rules.h"
#include "closesim/result/run_result.h"
#include "closesim/run/runner.h"
#include "closesim/scenario/scenario.h"

namespace closesim {

// --- sharding -----------------------------------------------------------------------------------

// Part `index` of `count` disjoint parts of a schedule space.
struct Shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
};
// "I/N" with 0 <= I < N; nullopt otherwise.
std::optional<Shard> parse_shard(const std::string& text);
// Which shard owns the k-th unit of work (a DFS subtree key, a random or PCT run).
inline bool shard_owns(const Shard& shard, std::uint64_t k) { return k % shard.count == shard.index; }

// --- strategies -----------------------------------------------------------------------------------

// Called for each schedule a strategy runs and counts, in exploration order, with its answers
// (untrimmed) and the run. Return false to stop the exploration early. Strategies run schedules
// through a ScheduleRunner, so the RunResult is run_with_choices's.
using ScheduleVisitor = std::function<bool(const Answers& answers, const RunResult& result)>;

struct StrategyStats {
  std::uint64_t runs = 0;     // schedules run and handed to the visitor
  std::uint64_t probes = 0;   // uncounted runs: DFS shards mapping others' subtrees, PCT's plain run
  bool truncated = false;     // DFS: stopped at max_schedules with schedules left
  bool stopped = false;       // the visitor asked to stop
};

struct DfsOptions {
  std::uint64_t max_schedules = 10'000;
  // At most this many answers per schedule differ from option 0; nullopt = unbounded.
  std::optional<std::size_t> preemption_bound;
  Shard shard;
  // Sharding splits the tree into subtrees keyed by the answers at the first `split_depth`
  // choice points; subtree k (in DFS order) belongs to shard k mod count.
  std::size_t split_depth = 4;
};

// Depth-first over every schedule, by replay: run with a prefix (then option 0), read back the
// (chosen, options) of every choice point, backtrack to the deepest point with an untried option
// within the preemption bound. Each schedule is run once. Exhaustive when !truncated (and not
// stopped); the shards of one split are disjoint and together run exactly the unsharded set.
StrategyStats explore_dfs(const Scenario& scenario, const RunOptions& options,
                          const DfsOptions& dfs, const ScheduleVisitor& visit);

struct RandomOptions {
  std::uint64_t runs = 1000;
  std::uint64_t seed = 0;
  Shard shard;  // run r (0-based) belongs to shard r mod count
};
// `runs` runs with uniform random answers; run r uses the r-th seed drawn from `seed`.
StrategyStats explore_random(const Scenario& scenario, const RunOptions& options,
                             const RandomOptions& random, const ScheduleVisitor& visit);

struct PctOptions {
  std::uint64_t runs = 1000;
  std::uint64_t seed = 0;
  std::size_t depth = 3;  // >= 1; depth 1 is random priorities without change points
  Shard shard;
};
// `runs` PCT runs; k, the range change points are drawn from, is the plain run's number of
// choice points (the same for every shard; the plain run is counted as a probe).
StrategyStats explore_pct(const Scenario& scenario, const RunOptions& options,
                          const PctOptions& pct, const ScheduleVisitor& visit);

struct DporOptions {
  std::uint64_t max_schedules = 10'000;
  Shard shard;
  // With shards, the first `split_depth` choice points are branched in full and each subtree
  // below them is reduced on its own (so shards never need each other's races).
  std::size_t split_depth = 2;
};
// Dynamic partial-order reduction with sleep sets over the dependency relation read from each
// event's trace records (docs/explore.md): runs at least one schedule of every Mazurkiewicz trace
// (every class of schedules that differ only in the order of independent events at an instant),
// and rarely one twice. Exhaustive in that sense when !truncated.
StrategyStats explore_dpor(const Scenario& scenario, const RunOptions& options,
                           const DporOptions& dpor, const ScheduleVisitor& visit);

// --- outcomes -------------------------------------------------------------------------------------

// The observable outcome of a run, as sorted lines (a multiset, so neither times nor the
// interleaving matter): each call's return (thread, call, line, result, and the new handle of a
// creating call), what each peer saw (FIN, RST, bytes received), each operation's completion
// (op, status, bytes, via), handle and socket releases, the rules violated and whether the run
// was stuck. `hash` is FNV-1a (64-bit) over the lines.
struct OutcomeSignature {
  std::vector<std::string> lines;
  std::uint64_t hash = 0;
};
OutcomeSignature outcome_signature(const RunResult& result);
std::string hash_text(std::uint64_t hash);  // 16 lowercase hex digits

// --- the summary of an exploration (also the JSON summary, docs/explore.md) ------------------------

struct OutcomeClass {
  std::uint64_t hash = 0;
  std::vector<std::string> signature;
  std::uint64_t count = 0;             // schedules (runs) with this outcome
  Answers example;                     // trimmed; the least by schedule_less
  std::vector<std::string> violations; // the example's violation texts (divergences included)
  std::vector<std::string> violated;   // rule names violated (not divergences), sorted
  std::vector<std::string> stuck;      // the example's stuck messages
  bool failing() const { return !violated.empty() || !stuck.empty(); }
};

struct ExpectationTally {
  int line = 0;
  std::uint64_t failed = 0;  // schedules in which it failed
  std::string message;       // the example's first failure message
  Answers example;           // the least failing schedule
};

struct DeterminismFailure {
  Answers schedule;
  std::uint64_t first = 0;   // Trace::hash of the two runs
  std::uint64_t second = 0;
};

struct FirstViolation {
  Answers schedule;
  RuleId rule = RuleId::None;
};

struct ExploreSummary {
  // What was explored, and how (replay lines repeat provider, profile and mutant).
  std::string file;
  std::string title;
  std::string strategy = "dfs";   // "dfs", "random", "pct"
  std::string provider;           // "" = the file's own
  std::string profile;            // "" = the file's own
  std::string mutant;             // "" = none
  std::string rules_mode = "on";  // "on", "warn", "off"
  bool expect_all = false;
  bool check_determinism = false;
  // Strategy parameters (those of other strategies are left at their defaults).
  std::uint64_t max_schedules = 0;              // dfs
  std::optional<std::uint64_t> preemption_bound; // dfs
  std::uint64_t split_depth = 0;                // dfs
  std::uint64_t runs = 0;                       // random, pct
  std::uint64_t seed = 0;                       // random, pct
  std::uint64_t depth = 0;                      // pct
  // The shards of `shard_count` this summary covers (one, or several after a merge).
  std::uint32_t shard_count = 1;
  std::vector<std::uint32_t> shards{0};
  // What came out.
  std::uint64_t schedules = 0;
  std::uint64_t probes = 0;
  bool truncated = false;
  std::vector<OutcomeClass> classes;             // canonical order: count desc, example, hash
  std::vector<ExpectationTally> expectations;    // by line
  std::vector<DeterminismFailure> nondeterministic;
  // The first schedule (in exploration order) that violated a rule. Not kept in JSON.
  std::optional<FirstViolation> first_violation;

  // When the default strategy's reduced search did not finish within its budget and it went on
  // with PCT: the PCT depths swept and runs per depth (0: no fallback).
  std::uint64_t fallback_runs = 0;
  std::uint64_t fallback_depths = 0;
  // Distinct Mazurkiewicz traces among the schedules run (equal to `schedules` for an optimal
  // reduction; the number of traces of the whole space when the search was exhaustive).
  std::uint64_t traces = 0;
  std::uint64_t lanes = 0;    // lanes met at choice points in the plain run (PCT's n)
  std::uint64_t choices = 0;  // choice points of the plain run (PCT's k)

  bool complete_shards() const { return shards.size() == shard_count; }
  // Every schedule (dfs without a preemption bound) or every Mazurkiewicz trace (dpor) of every
  // shard was run.
  bool exhaustive() const {
    return (strategy == "dpor" || (strategy == "dfs" && !preemption_bound)) && !truncated &&
           complete_shards() && fallback_runs == 0;
  }
};

// Accumulates runs (or whole classes, when merging) into a summary. Classes are keyed by
// signature hash; the example of a class is its least schedule, so the result does not depend on
// the order of adding.
class OutcomeTally {
 public:
  void add_run(const Answers& answers, const RunResult& result);
  void add_class(const OutcomeClass& c);
  void add_expectation(const ExpectationTally& e);
  // Moves the classes and tallies into `summary`, in canonical order.
  void finish(ExploreSummary& summary);
  std::size_t classes() const { return classes_.size(); }

 private:
  std::vector<OutcomeClass> classes_;          // kept sorted by hash
  std::vector<ExpectationTally> expectations_; // kept sorted by line
  // (trace_fingerprint, stuck) -> signature hash, so a repeated trace is not classified again.
  std::map<std::pair<std::uint64_t, bool>, std::uint64_t> signature_of_trace_;
};

// --- exploring a scenario ---------------------------------------------------------------------------

// Auto (the default): dpor; if it cannot finish within --max-schedules, PCT over a sweep of
// depths, with its probability bound stated in the report.
enum class Strategy { Auto, Dpor, Dfs, Random, Pct };
std::optional<Strategy> parse_strategy(const std::string& text);
std::string strategy_name(Strategy s);

struct ExploreOptions {
  RunOptions run;  // provider, profile, mutant, rules, max_events... (choices are the explorer's)
  Strategy strategy = Strategy::Auto;
  DporOptions dpor;
  DfsOptions dfs;
  RandomOptions random;
  PctOptions pct;
  Shard shard;     // copied into the strategy's options
  bool check_determinism = false;  // run each schedule twice, compare Trace::hash
  bool expect_all = false;         // an expectation failing in any schedule fails the whole
  // Called after every 1024th schedule with the schedules run and classes found so far (for a
  // progress line); never changes what is explored.
  std::function<void(std::uint64_t schedules, std::size_t classes)> progress;
};

ExploreSummary explore_scenario(const Scenario& scenario, const ExploreOptions& options);

// 0 when nothing failed; 1 when a rule is violated in any schedule (rules mode on), a run was
// stuck, two runs of one schedule differed, an expectation failed in every schedule run, or (with
// expect_all) in any.
// With `require_exhaustive`, also 1 when the exploration was not exhaustive.
int explore_exit_status(const ExploreSummary& summary, bool require_exhaustive = false);

// `closesim run FILE --schedule S [--provider P] [--profile Q] [--mutant M]`, shell-quoted.
std::string replay_command(const ExploreSummary& summary, const Answers& schedule);

struct ExploreReportOptions {
  bool signatures = false;  // print every class's full signature, not only what differs
};
// The text report: header, classes (the majority first, each with its count, example schedule
// and replay line; every other class with its differences from the majority), expectations that
// depend on the schedule, determinism failures, and a verdict line.
std::string render_explore_report(const ExploreSummary& summary,
                                  const ExploreReportOptions& options = {});

// --- JSON summaries and merging ------------------------------------------------------------------------

std::string summary_to_json(const ExploreSummary& summary);
// nullopt with `error` set ("line 3: expected ','") when the text is not a summary.
std::optional<ExploreSummary> summary_from_json(const std::string& text, std::string* error);
// Combines summaries of one scenario explored with the same settings (typically the shards of
// one split): classes merged by signature hash with counts added, tallies added. nullopt with
// `error` set when they do not belong together (another file, strategy or split; a shard twice).
std::optional<ExploreSummary> merge_summaries(const std::vector<ExploreSummary>& parts,
                                              std::string* error);

// --- shrinking ------------------------------------------------------------------------------------

struct ShrinkOptions {
  RunOptions run;                   // the mutant, provider... the violation was found under
  RuleId rule = RuleId::None;       // the rule that must keep failing
  Answers schedule;                 // the schedule it failed under (tried first)
  // The bounded DFS that looks for a failing schedule of each candidate.
  std::uint64_t max_schedules = 2000;
  std::optional<std::size_t> preemption_bound = 2;
  std::string origin;               // names the source in the written file's comment
};

struct ShrinkResult {
  bool ok = false;
  std::string error;       // when !ok
  std::string text;        // the scenario file to write
  Answers schedule;        // the failing schedule pinned in it
  std::size_t steps_before = 0;
  std::size_t steps_after = 0;
  std::uint64_t candidates = 0;  // candidate scenarios tried
};

// Minimises `scenario` while `rule` still fails under some schedule of a bounded DFS: drops
// expectations, whole threads and peers, then single steps, then halves the byte counts of
// send/recv/WSASend/WSARecv and peer sends, until nothing more can go. The result is the
// original directives (provider and profile as run; any `schedule` directive replaced by the
// failing schedule), then the kept step lines as written. It parses, and a plain run of it (with
// the same mutant) fails `rule`.
ShrinkResult shrink_scenario(const Scenario& scenario, const ShrinkOptions& options);

}  // namespace closesim
