// The rule checker: feeds every record of a trace to one monitor per rule, then gathers what they
// found. The monitors read one shared shadow of the trace, applied once per record between their
// looks before and after it: a record costs one shadow update, not fourteen. The shadow is
// const to them, so none can be misled by another's bookkeeping; what a monitor keeps of its
// own stays its own.
#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "closesim/base/check.h"
#include "closesim/rules/rules.h"
#include "rules/monitors.h"

namespace closesim {

std::string format_violation(const Violation& v) {
  if (v.divergence)
    return fmt::format("{} diverges at {} (windows profile): {}", rule_name(v.rule),
                       format_time(v.time), v.message);
  return fmt::format("{} violated at {}: {}", rule_name(v.rule), format_time(v.time), v.message);
}

bool RuleReport::violated() const {
  return std::any_of(violations.begin(), violations.end(),
                     [](const Violation& v) { return !v.divergence; });
}

namespace {

std::vector<std::unique_ptr<rules::ShadowedMonitor>> make_shadowed_monitors(
    const CheckerOptions& options) {
  std::vector<std::unique_ptr<rules::ShadowedMonitor>> monitors;
#define CLOSESIM_RULE_MONITOR(id, factory, title) \
  monitors.push_back(rules::make_##factory##_monitor(options));
  CLOSESIM_RULES(CLOSESIM_RULE_MONITOR)
#undef CLOSESIM_RULE_MONITOR
  return monitors;
}

}  // namespace

std::vector<std::unique_ptr<RuleMonitor>> make_monitors(const CheckerOptions& options) {
  std::vector<std::unique_ptr<RuleMonitor>> out;
  for (auto& m : make_shadowed_monitors(options)) out.push_back(std::move(m));
  return out;
}

RuleReport check_rules(const Trace& trace, const CheckerOptions& options) {
  std::vector<std::unique_ptr<rules::ShadowedMonitor>> monitors = make_shadowed_monitors(options);
  rules::ShadowState shadow;
  for (auto& m : monitors) m->share(shadow);
  // Per record kind, the monitors that look at it before and after it is applied: a record
  // costs the few looks that care about it, not two per rule.
  constexpr std::size_t kKinds = static_cast<std::size_t>(RecordKind::Note) + 1;
  // Fixed arrays, not vectors: a short trace should not pay for the table's allocations.
  struct Looks {
    std::array<rules::ShadowedMonitor*, kRuleCount> monitors{};
    std::size_t size = 0;
  };
  CLOSESIM_CHECK(monitors.size() <= static_cast<std::size_t>(kRuleCount));
  std::array<Looks, kKinds> before{}, after{};
  for (auto& m : monitors) {
    const rules::RecordKinds b = m->before_kinds(), a = m->after_kinds();
    for (std::size_t k = 0; k < kKinds; ++k) {
      if (b.has(static_cast<RecordKind>(k))) before[k].monitors[before[k].size++] = m.get();
      if (a.has(static_cast<RecordKind>(k))) after[k].monitors[after[k].size++] = m.get();
    }
  }
  for (const TraceRecord& r : trace.records()) {
    const auto k = static_cast<std::size_t>(r.kind);
    CLOSESIM_CHECK(k < kKinds && "a record of a known kind");
    for (std::size_t i = 0; i < before[k].size; ++i) before[k].monitors[i]->look_before(r, trace);
    shadow.apply(r);
    for (std::size_t i = 0; i < after[k].size; ++i) after[k].monitors[i]->look_after(r, trace);
  }
  if (!trace.records().empty())
    for (auto& m : monitors) m->saw_last(trace.records().back());
  RuleReport report;
  report.coverage.resize(kRuleCount);
  for (int i = 0; i < kRuleCount; ++i) report.coverage[i].rule = static_cast<RuleId>(i + 1);
  for (auto& m : monitors) {
    const std::size_t during_run = m->violations.size();
    m->finish(trace);
    // What finish() finds are obligations still open when the trace ends. A run cut by its
    // budget never reached the instant they were due: they are not reached, not violated.
    auto open = m->violations.begin() + static_cast<std::ptrdiff_t>(during_run);
    report.violations.insert(report.violations.end(), m->violations.begin(),
                             options.run_cut ? open : m->violations.end());
    if (options.run_cut) report.unreached.insert(report.unreached.end(), open, m->violations.end());
    RuleCoverage& c = report.coverage[static_cast<int>(m->rule()) - 1];
    c.exercised = c.exercised || m->coverage.exercised;
    c.branches.insert(m->coverage.branches.begin(), m->coverage.branches.end());
  }
  std::stable_sort(report.violations.begin(), report.violations.end(),
                   [](const Violation& a, const Violation& b) {
                     if (a.seq != b.seq) return a.seq < b.seq;
                     return static_cast<int>(a.rule) < static_cast<int>(b.rule);
                   });
  return report;
}

}  // namespace closesim
