// What one call returned, as the runner writes it into CallEnd; shared by the files that play
// calls (calls.cc, overlapped.cc). Private to the runner.
#pragma once

#include <cstdint>
#include <functional>
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

// WSASend / WSARecv with their completion action, and GetQueuedCompletionStatus.
Outcome play_overlapped(const PlanStep& st, CallContext& cx, RealSocket& s);
Outcome play_dequeue(const PlanStep& st, CallContext& cx);

}  // namespace realstack
