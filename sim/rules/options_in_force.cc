// OptionsInForce: the checker's shadow run over the trace once, keeping each socket's options
// every time they change.
#include "closesim/rules/options_in_force.h"

#include <algorithm>

#include "rules/shadow_state.h"

namespace closesim::rules {

namespace {

SocketOptions options_of(const SocketShadow& s) {
  SocketOptions o;
  o.linger_on = s.linger_on;
  o.linger_seconds = s.linger_seconds;
  o.nonblocking = s.nonblocking;
  o.overlapped = s.overlapped;
  o.udp = s.udp;
  return o;
}

}  // namespace

OptionsInForce::OptionsInForce(const Trace& trace) {
  ShadowState shadow;
  const TraceRecords& records = trace.records();
  for (std::size_t i = 0; i < records.size(); ++i) {
    const TraceRecord& r = records[i];
    // A CallEnd sets the options of the socket its CallBegin named (setsockopt(s, ...)).
    SocketId named = 0;
    if (r.kind == RecordKind::CallEnd)
      if (const CallShadow* call = shadow.call(r.actor)) named = call->begin->socket;
    shadow.apply(r);
    for (SocketId s : {r.socket, named}) {
      if (s == 0) continue;
      SocketOptions now = options_of(shadow.socket(s));
      auto& list = changes_[s];
      if (list.empty() ? now != SocketOptions{} : list.back().second != now)
        list.emplace_back(i + 1, now);
    }
  }
}

SocketOptions OptionsInForce::at(std::size_t record, SocketId s) const {
  auto it = changes_.find(s);
  if (it == changes_.end()) return {};
  const auto& list = it->second;
  auto after = std::upper_bound(list.begin(), list.end(), record,
                                [](std::size_t i, const auto& change) { return i < change.first; });
  if (after == list.begin()) return {};
  return std::prev(after)->second;
}

}  // namespace closesim::rules
