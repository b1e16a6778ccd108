// What one run of one scenario produced: its trace, the expectations that failed, what the rule
// checker found, and the verdict. Reports of every format are views of this.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "closesim/base/diagnostic.h"
#include "closesim/rules/rules.h"
#include "closesim/scenario/scenario.h"
#include "closesim/base/trace.h"

namespace closesim {

struct ExpectationFailure {
  int line = 0;         // scenario line of the step or expect line
  Time time = 0;        // when it was checked (or should have held)
  std::string message;  // "expected recv(s) = SOCKET_ERROR WSAEINTR at 5ms, got 1024 at 5ms"
  bool schedule_dependent = false;  // explore: holds in some schedules only
};

enum class RulesMode { Off, Warn, On };

enum class Verdict {
  Pass,   // every expectation held and no rule was violated
  Fail,   // exit status 1
  Error,  // the scenario could not be run (parse errors): exit status 2
};

// The configuration that ran: the scenario's directives with the command line's overrides
// applied. Reports and verdicts read this, never the file's directives, so that
// `run --provider lsp:ifs` is reported as lsp:ifs.
struct EffectiveConfig {
  ProviderKind provider = ProviderKind::NonIfs;
  ProfileKind profile = ProfileKind::Documented;
  LinkConfig link;
  std::string mutant;                  // the deliberate bug run with, "" = none
  std::optional<std::uint64_t> seed;   // set when choices were seeded
  std::string schedule;                // the choices taken, "0.1.0" ("" = none asked)
  Time max_time = 0;                   // budgets
  std::uint64_t max_events = 0;
  std::vector<std::string> overrides;  // what the command line changed: "provider lsp:ifs"
                                       // (the mutant is shown on its own, never here)
};

struct RunResult {
  Scenario scenario;
  EffectiveConfig config;
  std::vector<Diagnostic> diagnostics;       // non-empty => Verdict::Error
  Trace trace;
  std::vector<ExpectationFailure> failures;  // in line order
  RuleReport rules;
  RulesMode rules_mode = RulesMode::On;
  std::vector<std::string> stuck;            // why the run could not finish, if it could not
  // The run was cut by its budget (--max-time, --max-events) with work still pending: the
  // rules' end-of-run obligations are in rules.unreached, not rules.violations.
  bool cut_short = false;
  bool schedule_mismatch = false;            // the given schedule does not fit this scenario
  Time end_time = 0;
  std::uint64_t events = 0;

  // The verdict (the only definition of it; reports call it): Error with diagnostics; Fail with
  // a failed expectation, a stuck run or a violation that counts; else Pass.
  Verdict verdict() const;
  int exit_status() const;  // 0 pass, 1 fail, 2 error
  // A violation fails the run when rules are on and it is not a windows-profile divergence.
  bool counts(const Violation& v) const;
};

}  // namespace closesim
