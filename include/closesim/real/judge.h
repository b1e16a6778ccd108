// Judges a trace recorded on a real stack (or by any harness) against a scenario's call results
// and expect lines, within a time tolerance, and with the rule monitors whose premises an
// application can observe. What a real stack cannot show is listed as not observable, never
// passed silently (docs/realstack.md, "What a real stack shows").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "closesim/real/plan.h"
#include "closesim/result/run_result.h"

namespace closesim::real {

struct JudgeOptions {
  Time tolerance = 100 * kMillisecond;  // how far from its stated time an observation may be
  ProfileKind profile = ProfileKind::Documented;  // for the monitors' divergence notes
  RulesMode rules = RulesMode::On;
};

// A real run: the judged result (trace, failures, monitors) plus what could not be judged.
struct RealRun {
  RunResult result;
  std::vector<std::string> not_observable;   // "line 12: released(s): ..."; rules too
  std::vector<UnrealisableStep> unrealisable;  // steps the runner could not play
  std::vector<std::string> notes;            // late starts, runner messages
  std::string stack;                         // "wine 8.0 (Debian 8.0~repack-4)", "windows 10.0..."
  bool realised() const { return unrealisable.empty(); }
};

// The monitors a real trace can feed: their premises are calls, results and completions only.
bool rule_observable_on_real_stack(RuleId rule);

// With a scenario: judges its call results and expect lines too. Without one (nullptr): only
// the observable monitors. The trace is moved into the result.
RealRun judge_trace(const Scenario* scenario, Trace trace, const JudgeOptions& options);

// "pass", "fail (2 expectations)", ... for one line of a --runs tally: what a run showed.
std::string outcome_signature(const RealRun& run);

}  // namespace closesim::real
