// The rule checker: one monitor per close rule (docs/rules.md), fed the trace record by record.
// It reads the trace only — never the model — so that it can catch a model that closes wrongly.
// A monitor reports whether its rule's premise occurred (coverage, with the branches seen) and
// every violation, with the record that broke it.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "closesim/base/rule_id.h"
#include "closesim/base/run_config.h"
#include "closesim/base/trace.h"

namespace closesim {

struct Violation {
  RuleId rule = RuleId::None;
  Time time = 0;
  std::uint64_t seq = 0;      // the record that broke the rule (or the last record, at finish)
  std::string message;        // one sentence in the catalogue's terms, without the "R5 violated at" prefix
  bool divergence = false;    // windows profile: a known departure from the documents, not a bug
};
// "R5 violated at 3ms: <message>" or "R3 diverges at 3ms (windows profile): <message>".
std::string format_violation(const Violation& v);

struct RuleCoverage {
  RuleId rule = RuleId::None;
  bool exercised = false;            // the rule's premise occurred in the run
  std::set<std::string> branches;    // e.g. "linger {1,t}", "blocking", "nonifs", "shared"
};

struct RuleReport {
  std::vector<Violation> violations;   // in trace order
  std::vector<RuleCoverage> coverage;  // one per rule, R1..R14 in order
  // Only for a run cut short (CheckerOptions::run_cut): what would have been a violation at the
  // end of the run ("the close never returned"), had the run ended by itself. Not violations:
  // the budget ran out before the instant they were due. In rule order.
  std::vector<Violation> unreached;
  bool violated() const;               // any violation that is not a divergence
};

struct CheckerOptions {
  ProfileKind profile = ProfileKind::Documented;
  // The trace stops where a budget (--max-time, --max-events) cut the run, not where it ended.
  bool run_cut = false;
};

// One rule's monitor. Fed every record in order, then finish() once at the end of the run.
class RuleMonitor {
 public:
  virtual ~RuleMonitor() = default;
  virtual RuleId rule() const = 0;
  virtual void observe(const TraceRecord& r, const Trace& trace) = 0;
  virtual void finish(const Trace& trace) { (void)trace; }

  std::vector<Violation> violations;
  RuleCoverage coverage;
};

std::vector<std::unique_ptr<RuleMonitor>> make_monitors(const CheckerOptions& options);
RuleReport check_rules(const Trace& trace, const CheckerOptions& options);

}  // namespace closesim
