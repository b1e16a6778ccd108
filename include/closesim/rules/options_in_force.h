// The options each socket had, record by record, as the application set them: what the rule
// checker's shadow (sim/rules/shadow_state.h) learns from the trace alone — applied on a
// successful CallEnd of socket/WSASocket/accept, setsockopt, ioctlsocket, WSAEventSelect — never
// from the model. Reports cite these, so an explanation says what the checker judged by.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "closesim/base/trace.h"

namespace closesim::rules {

struct SocketOptions {
  bool linger_on = false;  // SO_LINGER {1,t} (linger_seconds t), else SO_DONTLINGER
  std::int64_t linger_seconds = 0;
  bool nonblocking = false;
  bool overlapped = false;
  bool udp = false;

  bool operator==(const SocketOptions&) const = default;
};

class OptionsInForce {
 public:
  // One pass of the shadow over the trace; O(n log n) in the records.
  explicit OptionsInForce(const Trace& trace);

  // Socket s's options when the record at `record` (an index into trace.records()) is written:
  // what every record before it set. The defaults for a socket the trace has not shown.
  SocketOptions at(std::size_t record, SocketId s) const;

 private:
  // For each socket, (index of the first record that sees them, options), in record order.
  std::map<SocketId, std::vector<std::pair<std::size_t, SocketOptions>>> changes_;
};

}  // namespace closesim::rules
