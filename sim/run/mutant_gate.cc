#include "closesim/run/mutant_gate.h"

#include <map>

#include "closesim/scenario/parser.h"

namespace closesim {

namespace {

std::set<RuleId> violated(const RunResult& r) {
  std::set<RuleId> out;
  for (const Violation& v : r.rules.violations)
    if (!v.divergence) out.insert(v.rule);
  return out;
}

}  // namespace

MutantGateResult run_mutant_gate(const std::vector<std::string>& files, const RunOptions& base,
                                 std::optional<Mutant> only) {
  MutantGateResult gate;
  RunOptions options = base;
  options.expectations = false;
  options.rules = RulesMode::On;
  options.mutant = Mutant::None;

  std::vector<Scenario> scenarios;
  std::vector<std::set<RuleId>> baseline;
  for (const std::string& f : files) {
    ParseResult p = parse_scenario_file(f);
    if (!p.ok()) {
      gate.unreadable.push_back(f);
      continue;
    }
    RunResult r = run_scenario(p.scenario, options);
    baseline.push_back(violated(r));
    if (!baseline.back().empty()) gate.baseline_violations.push_back(f);
    scenarios.push_back(std::move(p.scenario));
  }
  for (const MutantInfo& info : mutant_catalogue()) {
    if (only && *only != Mutant::None && info.mutant != *only) continue;
    MutantOutcome outcome{info, {}, {}};
    options.mutant = info.mutant;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      RunResult r = run_scenario(scenarios[i], options);
      bool caught_here = false;
      for (RuleId id : violated(r)) {
        if (baseline[i].count(id)) continue;
        outcome.caught_by.insert(id);
        caught_here = true;
      }
      if (caught_here) outcome.scenarios.push_back(scenarios[i].file);
    }
    gate.outcomes.push_back(std::move(outcome));
  }
  return gate;
}

}  // namespace closesim
