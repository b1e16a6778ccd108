// The rule monitors, one factory per rule (docs/rules.md). make_monitors() in checker.cc builds
// one of each; tests may build a single one.
#pragma once

#include <memory>

#include "closesim/rules.h"

namespace closesim::rules {

std::unique_ptr<RuleMonitor> make_r1_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r2_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r3_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r4_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r5_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r6_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r7_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r8_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r9_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r10_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r11_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r12_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r13_monitor(const CheckerOptions& options);
std::unique_ptr<RuleMonitor> make_r14_monitor(const CheckerOptions& options);

}  // namespace closesim::rules
