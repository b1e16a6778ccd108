// What one call returned, as the runner writes it into CallEnd; shared by the files that play
// calls (calls.cc, overlapped.cc). Private to the runner.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "calls.h"

namespace realstack {

// The scenario thread running on this real thread ("A.main"), for records made inside calls and
// completion routines.
extern thread_local std::string t_actor;
extern thread_local std::string t_process;

struct Outcome {
  std::int64_t value = 0;
  int error = 0;
  std::string text;                  // as a script writes it: "0", "ok", "SOCKET_ERROR WSAE..."
  std::uint64_t handle = 0;
  std::uint32_t socket = 0;
  std::string handle_name;
  std::string op;
  std::int64_t bytes = 0;
  // The runner's own work that the call made necessary (taking the far end of a connect): done
  // after CallEnd is written, so it is not counted in the call's time, and before the next step.
  std::function<void()> after;
};

inline Outcome socket_error(int e, const char* sentinel = "SOCKET_ERROR") {
  Outcome o;
  o.value = -1;
  o.error = e;
  o.text = std::string(sentinel) + " " + error_name(e);
  return o;
}

// "ok": what a call that makes an event, a port or a shared socket's info returns.
inline Outcome made() {
  Outcome o;
  o.text = "ok";
  return o;
}

// "ok" for a call that made the socket `socket` as descriptor `handle`, named `name`.
inline Outcome made_socket(std::uint64_t handle, std::uint32_t socket, const std::string& name) {
  Outcome o = made();
  o.handle = handle;
  o.socket = socket;
  o.handle_name = name;
  return o;
}

inline Outcome value(std::int64_t v) {
  Outcome o;
  o.value = v;
  o.text = std::to_string(v);
  return o;
}

inline DWORD timeout_ms(const PlanStep& st, std::size_t i, const Clock& clock) {
  if (i >= st.args.size()) return INFINITE;
  const PlanArg& a = st.args[i];
  if (a.kind != 'd') return INFINITE;
  return static_cast<DWORD>(clock.wall_ns(a.value) / 1'000'000);
}

// Appends what the call wrote besides its value, as a script states it (` optval={1, 5}`).
inline void add_output(Outcome& o, const std::string& key, const std::string& value) {
  o.text += " " + key + "=" + value;
}

inline std::string name_arg(const PlanStep& st, std::size_t i) {
  return i < st.args.size() ? st.args[i].text : std::string();
}

// The socket a scenario name stands for now: a stale name whose handle value was reused acts on
// the new socket, as in a real program. nullptr for a name the runner never made.
RealSocket* socket_named(Realm& realm, const std::string& name);
HANDLE event_named(Realm& realm, const std::string& name);

// WSASend, WSARecv, WSARecvFrom, WSAIoctl and AcceptEx with their completion action, and
// GetQueuedCompletionStatus.
Outcome play_overlapped(const PlanStep& st, CallContext& cx, RealSocket& s);
Outcome play_dequeue(const PlanStep& st, CallContext& cx);
// Records OpCompleted now if the operation is no longer pending (a call that read its status
// saw it complete, so the record must not wait for the poller).
void record_if_completed(CallContext& cx, Operation& op);
// AcceptEx(l, a, N, o1): 0 or SOCKET_ERROR with the error set, as AcceptEx itself (accept_ex.cc).
int play_accept_ex(const PlanStep& st, CallContext& cx, RealSocket& listener, Operation& op, DWORD& count);

// select and WSAPoll (readiness.cc).
Outcome play_readiness(const PlanStep& st, CallContext& cx, Record& begin);
// getsockopt, GetOverlappedResult, WSAGetOverlappedResult, WSAEnumNetworkEvents, CancelIo,
// CancelIoEx, a WSAIoctl without an operation (status_calls.cc); nothing for other calls.
std::optional<Outcome> play_status(const PlanStep& st, CallContext& cx, RealSocket& s);
// bind, sendto, recvfrom and the far end of a datagram socket (datagram.cc); nothing for other
// calls. connect of a UDP socket is here too: it aims at that far end.
std::optional<Outcome> play_datagram(const PlanStep& st, CallContext& cx, RealSocket& s);

}  // namespace realstack
