// The socket world: processes and their threads, the Winsock DLL's descriptor tables, provider
// sockets with their reference counts, send queues and receive buffers, pending operations and
// their completion actions, the link and the peer application at the far end. Close semantics
// are the answers of one provider unit (sim/world/provider.h: the kind, under its profile,
// optionally layered, optionally bent by one Mutant), R1–R14. Which call goes where is the call
// table's (closesim/base/call_table.h).
//
// The world knows nothing of the scenario language: callers hand it typed calls with opaque
// labels, and it answers through WorldListener. Every state change appends a TraceRecord.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "closesim/base/call_table.h"
#include "closesim/engine/engine.h"
#include "closesim/base/run_config.h"
#include "closesim/base/trace.h"
#include "closesim/world/mutant.h"

namespace closesim {

using ThreadId = std::uint32_t;
using ObjectId = std::uint32_t;  // an event, completion port or duplicated protocol info; 0 = none

// One socket of select's sets or of WSAPoll's array, as the application passes it.
struct WatchedSocket {
  Handle handle = 0;        // may be stale: select fails on it (C30), WSAPoll says POLLNVAL
  std::string name;         // its label, for the result text ("s")
  int set = 0;              // select: 0 read, 1 write, 2 except
  std::int64_t events = 0;  // WSAPoll: the POLL* events asked
};

// One call as the application makes it. Fields not used by a function are ignored.
struct ApiCall {
  CallId call = CallId::Socket;
  CallOption option = CallOption::None;  // setsockopt: SoLinger|SoDontLinger; socket: Tcp|Udp
  std::string text;             // the arguments as written, for the trace
  Handle handle = 0;            // the descriptor named (may be stale: the DLL decides)
  std::string handle_label;     // its name in the script (WSAAsyncSelect's messages carry it)
  Handle handle2 = 0;           // AcceptEx: the accept socket's descriptor
  std::int64_t count = 0;       // bytes; l_onoff; 0|1 switches; shutdown how; event mask; key
  std::int64_t count2 = 0;      // l_linger seconds
  bool udp = false;             // Socket
  bool overlapped = false;      // Socket
  bool nonblocking = false;     // Socket
  std::string op;               // WSASend/WSARecv/CancelIoEx: the operation's label ("o1")
  CompletionVia via = CompletionVia::None;  // WSASend/WSARecv
  ObjectId object = 0;          // event (WSASend/WSARecv event=, Wait, EventSelect), port, info
  std::string object_name;      // its label, for the trace
  std::string target_process;   // DuplicateSocket
  Time timeout = -1;            // waits; -1 = INFINITE
  int line = 0;                 // the scenario line, copied into records
  std::vector<WatchedSocket> watched;  // select, WSAPoll (handle = the first one's)
};

// What a call returned. `text` is the result as a script writes it ("SOCKET_ERROR WSAEINTR").
struct ApiResult {
  std::int64_t value = 0;
  int error = 0;
  Handle handle = 0;        // Socket, Accept, WSASocket: the new descriptor
  SocketId socket = 0;
  ObjectId object = 0;      // WSACreateEvent, CreateIoCompletionPort, DuplicateSocket
  bool io_pending = false;  // WSASend/WSARecv returned WSA_IO_PENDING
  std::string wait;         // "WAIT_OBJECT_0" | "WAIT_TIMEOUT" | "WAIT_IO_COMPLETION"
  std::string packet_op;    // GetQueuedCompletionStatus: the completed op, its status and bytes
  int packet_status = 0;
  std::int64_t packet_bytes = 0;
  // WSAEnumNetworkEvents: the events it reported (FD_* bit, its error code), in bit order.
  bool enumerated = false;
  std::vector<std::pair<std::int64_t, int>> events;
  std::string text;
  // What the call wrote besides its value, as a script states it (`read` -> "{s}", `s` ->
  // "POLLNVAL", `optval` -> "{1, 5}", `bytes` -> "0"); also appended to `text`.
  std::vector<std::pair<std::string, std::string>> outputs;
};

class WorldListener {
 public:
  virtual ~WorldListener() = default;
  // A call returned: at once (inside World::call) or later, when a parked thread goes on.
  virtual void on_return(ThreadId thread, const ApiResult& result) = 0;
};

struct WorldConfig {
  ProviderKind provider = ProviderKind::NonIfs;
  ProfileKind profile = ProfileKind::Documented;
  LinkConfig link;
  Mutant mutant = Mutant::None;
};

class World {
 public:
  World(Engine& engine, Trace& trace, const WorldConfig& config, WorldListener& listener);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Threads (and their processes) are made on first use; a new process has called WSAStartup
  // once. `lane` is the engine lane the thread's own events run in.
  ThreadId thread(const std::string& process, const std::string& name, Lane lane);
  bool busy(ThreadId thread) const;  // parked in a call
  const std::string& thread_label(ThreadId thread) const;  // "A.main"

  // REQUIRES: !busy(thread). Answers through WorldListener::on_return.
  void call(ThreadId thread, const ApiCall& call);

  // The peer application at the far end of `socket`'s connection (R8's RST, R7's FIN...).
  enum class PeerDoes {
    Send, StopReading, StartReading, Close, Reset, Connect,
    // The peer's side of a close (C5, C45, C50, C17): its half-close, its full close (data that
    // reaches it afterwards is answered with RST), a connection aborted from outside.
    Shutdown, CloseSocket, Abort,
  };
  // Returns false when `socket` has no far end to act (nothing happens then).
  bool peer_act(SocketId socket, PeerDoes what, std::int64_t bytes, int line);

  // The socket a live descriptor names in a process's table, 0 if none.
  SocketId socket_of(const std::string& process, Handle handle) const;

  // One line per thread still parked, naming the call and what it waits for.
  std::vector<std::string> parked() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace closesim
