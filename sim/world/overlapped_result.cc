// getsockopt, GetOverlappedResult and WSAGetOverlappedResult: what an application reads back.
// One completion has two surfaces: GetOverlappedResult (kernel32) gives the Win32 code and
// works on any handle; WSAGetOverlappedResult gives the Winsock error and only on a value the
// Winsock DLL knows as a socket (C40). So a receive a close aborted on Windows reads
// ERROR_CONNECTION_ABORTED (1236) through the first and WSAECONNABORTED through the second
// (C14, C17), and an explicit cancel ERROR_OPERATION_ABORTED / WSA_OPERATION_ABORTED (995).
#include <fmt/format.h>

#include "world/world_state.h"

namespace closesim {

namespace {

void add_output(ApiResult& r, const std::string& key, const std::string& value) {
  r.outputs.emplace_back(key, value);
  r.text += " " + key + "=" + value;
}

// 995 and 996 have a Win32 name beside the Winsock one the reports print.
std::string win32_name(int code) {
  if (code == ERROR_OPERATION_ABORTED) return "ERROR_OPERATION_ABORTED";
  if (code == WSA_IO_INCOMPLETE) return "ERROR_IO_INCOMPLETE";
  return error_name(code);
}

ApiResult false_result(int code, bool winsock) {
  ApiResult r;
  r.value = 0;
  r.error = code;
  r.text = "FALSE " + (winsock ? error_name(code) : win32_name(code));
  return r;
}

}  // namespace

void World::State::getsockopt_call(ThreadId t, const ApiCall& c, Descriptor& d) {
  (void)t;
  const Socket& s = socket(d.socket);
  const bool linger = c.option == CallOption::SoLinger || c.option == CallOption::SoDontLinger;
  if (linger && provider->refuses_linger(s)) {  // C8: UDP has no linger state
    ApiResult r = error_result(WSAENOPROTOOPT);
    add_output(r, "optval", "untouched");  // C1: a failed call writes nothing
    finish(t, r);
    return;
  }
  ApiResult r = value_result(0);
  switch (c.option) {
    case CallOption::SoLinger:  // C8: l_onoff reads back as a boolean, l_linger as set
      add_output(r, "optval", fmt::format("{{{}, {}}}", s.linger_on ? 1 : 0, s.linger_seconds));
      break;
    case CallOption::SoDontLinger: add_output(r, "optval", s.linger_on ? "0" : "1"); break;  // C8
    case CallOption::SoType: add_output(r, "optval", s.udp ? "SOCK_DGRAM" : "SOCK_STREAM"); break;
    default: add_output(r, "optval", "0"); break;  // SO_ERROR: no error is pending in the model
  }
  finish(t, r);
}

ApiResult World::State::overlapped_result(const PendingOp& op, bool winsock) const {
  const int code = winsock ? winsock_error_of(op.status) : win32_error_of(op.status);
  ApiResult r = code == 0 ? value_result(1) : false_result(code, winsock);
  add_output(r, "bytes", std::to_string(code == 0 ? op.done : 0));
  return r;
}

void World::State::overlapped_result_call(ThreadId t, const ApiCall& c) {
  const Thread& th = threads.at(t);
  const bool winsock = c.call == CallId::WSAGetOverlappedResult;
  if (winsock && !live(th.process, c.handle)) {  // C40: not a socket the DLL knows
    finish(t, false_result(WSAENOTSOCK, true));
    return;
  }
  const PendingOp* found = nullptr;
  for (const auto& [id, op] : ops)  // the latest operation of that name in this process
    if (!op.blocking && op.label == c.op && op.process == th.process) found = &op;
  if (!found) {
    finish(t, false_result(WSAEINVAL, winsock));
    return;
  }
  if (found->completed) {
    finish(t, overlapped_result(*found, winsock));
    return;
  }
  if (c.count == 0) {
    finish(t, false_result(WSA_IO_INCOMPLETE, winsock));
    return;
  }
  result_waits[t] = found->id;  // fWait: until it completes, however that happens
  park(t, ParkReason::Result, fmt::format("{} to complete", found->label));
}

void World::State::serve_result_waits(const PendingOp& op) {
  for (auto it = result_waits.begin(); it != result_waits.end();) {
    if (it->second != op.id || threads.at(it->first).returning) {
      ++it;
      continue;
    }
    const ThreadId t = it->first;
    it = result_waits.erase(it);
    wake(t, RuleId::None, overlapped_result(op, threads.at(t).current == CallId::WSAGetOverlappedResult));
  }
}

}  // namespace closesim
