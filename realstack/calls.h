// Plays one scenario call on ws2_32 and records it: CallBegin, what the call set going
// (OpIssued, ConnectionOpened, PortPacketDequeued), CallEnd with the result as a script writes it.
#pragma once

#include "plan_file.h"
#include "realm.h"
#include "shared_run.h"
#include "trace_log.h"

namespace realstack {

struct CallContext {
  Realm& realm;
  TraceLog& log;
  const Clock& clock;
  std::int64_t sndbuf = 65536;  // the scenario's link sndbuf, set as each TCP socket's SO_SNDBUF
  SharedRun* shared = nullptr;  // process ids and protocol infos (WSADuplicateSocket, WSASocket)
};

void play_call(const PlanStep& step, CallContext& cx);

// Records OpCompleted for every operation whose OVERLAPPED is no longer pending: the runner's
// only view of a completion that the scenario itself does not wait for.
void poll_completions(CallContext& cx);

}  // namespace realstack
