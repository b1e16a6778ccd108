// The one verdict of a run: every report, the exit status and the CLI read this.
#include "closesim/result/run_result.h"

#include <algorithm>

namespace closesim {

bool RunResult::counts(const Violation& v) const {
  return rules_mode == RulesMode::On && !v.divergence;
}

Verdict RunResult::verdict() const {
  if (!diagnostics.empty()) return Verdict::Error;
  if (!failures.empty() || !stuck.empty()) return Verdict::Fail;
  if (std::any_of(rules.violations.begin(), rules.violations.end(),
                  [this](const Violation& v) { return counts(v); }))
    return Verdict::Fail;
  return Verdict::Pass;
}

int RunResult::exit_status() const {
  switch (verdict()) {
    case Verdict::Pass: return 0;
    case Verdict::Fail: return 1;
    case Verdict::Error: return 2;
  }
  return 2;
}

}  // namespace closesim
