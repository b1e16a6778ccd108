// The mutant gate: run a suite under each deliberate provider bug with the scripts' own
// expectations switched off, and see which rules catch it. A mutant that no rule catches means
// the rule checker has a blind spot (or the suite lacks a scenario that reaches the bug).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "closesim/base/rule_id.h"
#include "closesim/run/runner.h"
#include "closesim/world/mutant.h"

namespace closesim {

struct MutantOutcome {
  MutantInfo info;
  std::set<RuleId> caught_by;           // rules violated under the mutant and not without it
  std::vector<std::string> scenarios;   // the scenarios in which they were
  bool caught() const { return !caught_by.empty(); }
};

struct MutantGateResult {
  std::vector<MutantOutcome> outcomes;
  // Scenarios that break a rule even without a mutant: the baseline the gate subtracts.
  std::vector<std::string> baseline_violations;
  std::vector<std::string> unreadable;  // scenarios with parse errors (skipped)
};

// `base` supplies provider/profile overrides and budgets; expectations are turned off and rules
// on. `only` restricts the gate to one mutant.
MutantGateResult run_mutant_gate(const std::vector<std::string>& files, const RunOptions& base,
                                 std::optional<Mutant> only = std::nullopt);

}  // namespace closesim
