// What one run of one scenario produced: its trace, the expectations that failed, what the rule
// checker found, and the verdict. Reports of every format are views of this.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "closesim/diagnostic.h"
#include "closesim/rules.h"
#include "closesim/scenario.h"
#include "closesim/trace.h"

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

struct RunResult {
  Scenario scenario;
  std::vector<Diagnostic> diagnostics;       // non-empty => Verdict::Error
  Trace trace;
  std::vector<ExpectationFailure> failures;  // in line order
  RuleReport rules;
  RulesMode rules_mode = RulesMode::On;
  std::vector<std::string> stuck;            // why the run could not finish, if it could not
  std::string schedule;                      // the choices taken, "0.1.0" ("" = none asked)
  bool schedule_mismatch = false;            // the given schedule does not fit this scenario
  std::string mutant;                        // the deliberate bug run with, "" = none
  Time end_time = 0;
  std::uint64_t events = 0;

  Verdict verdict() const;
  int exit_status() const;  // 0 pass, 1 fail, 2 error
};

}  // namespace closesim
