// What R7–R10 share about the close of a socket's last reference, which they divide by its
// linger option (one monitor per rule, rNN_*.cc):
//
//   R7  linger off   returns 0 at once; data drains in order, then FIN; state discarded after.
//   R8  {1,0}        returns 0 at once; RST, nothing sent after; state discarded at once.
//   R9  {1,t} block  returns 0 at min(drain, call + t); at the deadline RST before returning.
//   R10 {1,t} nonbl  never blocks: WSAEWOULDBLOCK changing nothing, or 0 when drained.
//                    Also: closing a non-last reference, or a UDP socket, never blocks and never
//                    fails with WSAEWOULDBLOCK (the decided reading; docs/rules.md).
#pragma once

#include <string>

#include <fmt/format.h>

#include "rules/shadow_state.h"

namespace closesim::rules {

// The closes one of R7..R10 governs: the last reference of a TCP socket, in one linger mode.
inline bool last_tcp_close(const CloseShadow& c, LingerMode mode) {
  return c.last && !c.udp && c.linger == mode;
}

// windows profile: a close with a receive pending or unread data resets the connection.
inline bool windows_reset_premise(const CloseShadow& c) { return c.receive_pending || c.unread; }

inline std::string reset_reason(const CloseShadow& c) {
  return c.receive_pending ? "a receive was pending" : "received data was unread";
}

inline std::string linger_text(const CloseShadow& c) {
  switch (c.linger) {
    case LingerMode::Off: return "SO_DONTLINGER";
    case LingerMode::Hard: return "linger {1,0}";
    case LingerMode::Timeout: return fmt::format("linger {{1,{}}}", c.linger_seconds);
  }
  return "";
}

}  // namespace closesim::rules
