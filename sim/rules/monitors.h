// The rule monitors, one factory per rule (docs/rules.md). make_monitors() in checker.cc builds
// one of each; tests may build a single one. Each monitor starts with a shadow of its own;
// check_rules makes them share one (ShadowedMonitor::share).
#pragma once

#include <memory>

#include "closesim/rules/rules.h"
#include "rules/shadowed_monitor.h"

namespace closesim::rules {

std::unique_ptr<ShadowedMonitor> make_r1_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r2_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r3_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r4_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r5_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r6_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r7_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r8_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r9_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r10_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r11_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r12_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r13_monitor(const CheckerOptions& options);
std::unique_ptr<ShadowedMonitor> make_r14_monitor(const CheckerOptions& options);

}  // namespace closesim::rules
