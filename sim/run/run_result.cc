#include "closesim/run_result.h"

namespace closesim {

Verdict RunResult::verdict() const {
  if (!diagnostics.empty()) return Verdict::Error;
  if (!failures.empty() || !stuck.empty()) return Verdict::Fail;
  if (rules_mode == RulesMode::On && rules.violated()) return Verdict::Fail;
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
