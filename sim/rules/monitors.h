// The rule monitors, one factory per rule (docs/rules.md). make_monitors() in checker.cc builds
// one of each, in the order of the rule table; tests may build a single one. Each monitor starts
// with a shadow of its own; check_rules makes them share one (ShadowedMonitor::share).
#pragma once

#include <memory>

#include "closesim/rules/rules.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

// make_r1_monitor ... make_r14_monitor: one per row of the rule table (closesim/base/rule_id.h),
// each defined in its monitor's file.
#define CLOSESIM_RULE_FACTORY(id, factory, title) \
  std::unique_ptr<ShadowedMonitor> make_##factory##_monitor(const CheckerOptions& options);
CLOSESIM_RULES(CLOSESIM_RULE_FACTORY)
#undef CLOSESIM_RULE_FACTORY

}  // namespace closesim::rules
