// What the rule tests' traces share: the time unit they are written in, the descriptor they
// close, and the tail of a graceful close. One copy, so the files can share a unity batch.
#pragma once

#include "../support/trace_builder.h"

namespace closesim::testing {

inline constexpr Time ms = kMillisecond;
inline constexpr Handle s = 0x10;

// The FIN on connection 1, then its socket released under R7.
inline void fin_and_release(TraceBuilder& b) { b.fin_sent(1).socket_released(1, RuleId::R7); }

}  // namespace closesim::testing
