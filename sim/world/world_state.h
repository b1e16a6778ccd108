// The world's state as plain data, and the operations on it that several files share.
// Private to sim/world. Invariants (asserted where they change):
//   - a socket's refs equals the number of live application-level descriptors naming it whose
//     kernel handle is open (CloseHandle drops one, C15), and never goes below zero (R6);
//   - a pending operation is completed at most once, and never after its descriptor's release
//     (R4, R5) — unless the provider says otherwise;
//   - a released descriptor value is never completed to (R5).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "closesim/engine/engine.h"
#include "closesim/base/errors.h"
#include "closesim/base/trace.h"
#include "closesim/world/world.h"
#include "world/descriptor_table.h"
#include "world/fifo.h"
#include "world/provider.h"

namespace closesim {

using OpId = std::uint32_t;

// Network events as winsock2.h numbers them (FD_READ_BIT 0 ... FD_CLOSE_BIT 5).
constexpr std::int64_t kFdRead = 1, kFdWrite = 2, kFdOob = 4, kFdAccept = 8, kFdConnect = 16,
                       kFdClose = 32;

// "FD_READ" ... "FD_CLOSE" for one of the bits above (network_events.cc).
const char* network_event_name(std::int64_t bit);

// Why a thread is parked.
enum class ParkReason { None, Op, Linger, Event, Port, Sleep,
                        Readiness,  // select, WSAPoll (readiness.cc)
                        Result };   // GetOverlappedResult with wait=1 (overlapped_result.cc)

struct Thread {
  std::string process;
  std::string name;
  std::string label;  // "A.main"
  Lane lane = 0;
  CallId current = CallId::Socket;  // the call it is in
  Handle handle = 0;
  int line = 0;
  ParkReason park = ParkReason::None;
  std::string waiting_for;  // as ThreadBlocked said it, for "stuck" reports
  OpId op = 0;              // ParkReason::Op: the blocking operation
  ObjectId waiting_on = 0;  // Event / Port
  bool alertable = false;   // Sleep
  EventId timer;            // timeout of a wait, if any
  Fifo<std::string> apcs;        // queued completion routines (op labels), run when alertable
  bool returning = false;   // woken; its CallEnd is scheduled
  bool exited = false;      // ExitThread: it makes no more calls; its I/O may outlive it (C24)
  // WM_SOCKET messages posted for a WSAAsyncSelect it made, oldest first (PeekMessage).
  struct Message {
    std::string socket;     // wParam, as the script names the socket
    std::int64_t lparam = 0;  // WSAMAKESELECTREPLY(event, error)
  };
  std::deque<Message> messages;
};

struct Process {
  std::string name;
  int startup_count = 1;  // R14: a process starts as if it had called WSAStartup once
  DescriptorTable table;
  std::map<Handle, SocketId> previous;  // the socket a released value last named (R1 routing)
};

// An operation that has started and not finished: a blocking call parked in a thread, or an
// overlapped WSASend/WSARecv that returned WSA_IO_PENDING.
struct PendingOp {
  OpId id = 0;
  std::string label;          // "o1" for overlapped ops; the call name for blocking ones
  CallId function = CallId::Recv;  // Send, Recv, Accept, WSASend, WSARecv
  bool blocking = false;      // a thread is parked in it (otherwise overlapped)
  ThreadId thread = 0;        // the issuing thread
  std::string process;
  Handle handle = 0;          // the application-level descriptor it was issued through
  SocketId socket = 0;
  std::int64_t wanted = 0;    // bytes asked for
  std::int64_t done = 0;      // bytes transferred so far
  CompletionVia via = CompletionVia::None;
  ObjectId target = 0;        // event or port
  std::string target_name;
  bool completed = false;
  int status = 0;             // once completed: what it completed with (GetOverlappedResult)
  // AcceptEx: the accept socket's descriptor and socket (closing either end aborts it), and
  // whether a connection has been taken into it (it may still wait for the first data).
  Handle acceptor = 0;
  SocketId acceptor_socket = 0;
  bool accepted = false;
};

// A thread parked in select or WSAPoll, and what it watches (readiness.cc).
struct ReadinessWait {
  CallId call = CallId::Select;
  std::vector<WatchedSocket> watched;
};

// The remote application at the far end of a connection.
struct Peer {
  bool reading = true;
  std::int64_t received = 0;
  bool saw_fin = false;
  bool saw_rst = false;
  bool sent_fin = false;
  bool sent_rst = false;
  // The peer's side of a close (peer_close.cc): it closed its socket (close or closesocket), and
  // after a full closesocket it answers any data that reaches it with RST (C50, C51).
  bool closed = false;
  bool answers_data_with_rst = false;
  bool port_closed = false;  // UDP: nothing listens at the peer's port; datagrams bounce (ICMP)
};

// A provider socket (endpoint). Options belong to the socket, so duplicates share them.
struct Socket {
  SocketId id = 0;
  bool udp = false;
  bool overlapped = false;
  bool nonblocking = false;
  int refs = 0;               // live application-level descriptors (R6)
  std::map<std::string, int> handles_in;  // ... by process (C39: a process letting go)
  // SO_LINGER / SO_DONTLINGER (R7–R10). linger_on false = SO_DONTLINGER, the default.
  bool linger_on = false;
  int linger_seconds = 0;
  enum class State { Fresh, Listening, Connected } state = State::Fresh;
  bool has_peer = false;
  Peer peer;
  Lane lane = 0;              // the link's events
  // Send side. `queued` bytes wait in the send buffer; sent bytes are in flight until acked.
  std::int64_t queued = 0;
  std::int64_t queued_total = 0;
  std::int64_t sent_total = 0;
  std::int64_t acked_total = 0;
  bool transmitting = false;
  Time burst_start = 0;
  std::int64_t burst_bytes = 0;
  bool fin_wanted = false;    // a close or shutdown asked for FIN after the queue
  bool fin_sent = false;
  bool rst_sent = false;
  bool shut_send = false;
  bool shut_recv = false;
  // Receive side.
  std::int64_t rcv_buffered = 0;
  bool fin_received = false;
  bool rst_received = false;
  // Lifecycle.
  bool closed = false;        // its last descriptor is gone; it may still be draining (R7)
  bool released = false;     // state discarded
  // Ops issued through any of its descriptors, in issue order. A completed op may stay here
  // until the next prune (every reader skips completed ops): erasing each one as it completes
  // made a close that wakes n threads cost O(n^2).
  std::vector<OpId> ops;
  Fifo<SocketId> backlog;        // Listening: connections waiting for accept
  ObjectId port = 0;          // completion port association
  // WSAEventSelect: the descriptor that selected, its event and mask. WSAAsyncSelect fills the
  // same fields with a message queue in place of the event: the selecting thread's (C14, C15).
  std::string select_process;
  Handle select_handle = 0;
  ObjectId select_event = 0;
  std::int64_t select_mask = 0;
  bool select_async = false;
  ThreadId select_thread = 0;
  std::string select_label;  // the socket's name, the messages' wParam
  bool selected() const { return select_event != 0 || select_async; }
  void unselect() {
    select_event = 0;
    select_handle = 0;
    select_async = false;
  }
  // A blocking linger close in progress (R9).
  ThreadId linger_thread = 0;
  bool linger_waiting = false;
  EventId linger_timer;
  bool recv_ever_pending_at_close = false;
  // Network events (network_events.cc, C42-C47): the record WSAEnumNetworkEvents reports and
  // clears, each recorded event's error code, and the events recorded since their re-enabling
  // call (FD_READ: a receive; FD_WRITE: a send that failed WSAEWOULDBLOCK; FD_ACCEPT: an
  // accept; FD_CLOSE: never, it is latched once per connection).
  std::int64_t events_recorded = 0;
  std::map<std::int64_t, int> event_errors;
  std::int64_t events_disabled = 0;
  bool connection_aborted = false;  // aborted from outside, not by either end (C17)
  // Datagrams (datagram.cc): a local address, and a port-unreachable report not yet returned.
  bool bound = false;
  bool unreachable = false;
};

struct EventObject {
  std::string name;
  bool signaled = false;
};

struct Packet {
  std::string op;
  int status = 0;
  std::int64_t bytes = 0;
};

struct Port {
  std::string name;
  std::deque<Packet> packets;
};

struct ProtocolInfo {
  SocketId socket = 0;
  std::string target_process;
};

// A close that has begun and not yet returned (it may be parked by linger).
struct CloseInProgress {
  ThreadId thread = 0;
  std::string process;
  Handle handle = 0;     // application-level
  Handle lower = 0;      // layered provider: the base provider's descriptor
  SocketId socket = 0;
  bool last = false;
};

struct World::State {
  State(Engine& e, Trace& t, const WorldConfig& c, WorldListener& l)
      : engine(e), trace(t), config(c), listener(l), provider(make_provider(c)) {}

  // --- for the whole run ---
  Engine& engine;
  Trace& trace;
  WorldConfig config;
  WorldListener& listener;
  std::unique_ptr<Provider> provider;  // every close decision (R2-R14) is its answer

  // --- the model's state, each map owning its objects for their whole life ---
  std::map<std::string, Process> processes;
  std::vector<Thread> threads;      // ThreadId = index
  std::map<std::string, ThreadId> thread_by_label;  // "A.main" -> index in threads
  std::map<SocketId, Socket> sockets;
  std::map<OpId, PendingOp> ops;
  std::map<ObjectId, EventObject> events;
  std::map<ObjectId, Port> ports;
  std::map<ObjectId, ProtocolInfo> infos;
  std::map<ThreadId, CloseInProgress> closes;
  std::map<ThreadId, ReadinessWait> readiness_waits;  // threads parked in select or WSAPoll
  std::map<ThreadId, OpId> result_waits;              // ... in GetOverlappedResult(wait=1)
  SocketId next_socket = 1;
  OpId next_op = 1;
  ObjectId next_object = 1;

  // --- helpers shared by the files of sim/world ---

  TraceRecord record(RecordKind kind, std::string actor) const;
  void emit(TraceRecord r) { trace.append(std::move(r)); }
  std::string peer_actor(SocketId s) const { return "peer#" + std::to_string(s); }

  Process& process(const std::string& name);
  Socket& socket(SocketId id);
  Descriptor* live(const std::string& process, Handle h);  // app-level descriptors only

  // The Winsock DLL's routing (dll_routing.cc): records the call and sends it on (R1).
  void begin_call(ThreadId t, const ApiCall& c);

  // Threads in calls (world.cc).
  void finish(ThreadId t, const ApiResult& r);                  // returns now
  ApiResult error_result(int error, bool invalid_socket = false) const;
  static ApiResult value_result(std::int64_t v);  // "0", "1024"
  static ApiResult ok_result();                   // "ok": a handle or object was made
  void park(ThreadId t, ParkReason why, const std::string& waiting_for);
  // Wakes a parked thread: ThreadWoken now, CallEnd and on_return at the same instant, in the
  // thread's own lane.
  void wake(ThreadId t, RuleId rule, const ApiResult& r);
  // The two halves of wake, for a close that must release its handle between them (R5).
  void wake_record(ThreadId t, RuleId rule, int error);
  void schedule_return(ThreadId t, const ApiResult& r);

  // Descriptors (world.cc).
  Handle create_descriptor(const std::string& process, SocketId s, int line);
  // RefCount: the socket's count as it now is, and the descriptor that changed it (R6).
  void record_refcount(const std::string& process, Handle h, const Socket& s, RuleId why, int line);
  SocketId new_socket(bool udp, bool overlapped, bool nonblocking);

  // Data path (transfer.cc).
  void send_call(ThreadId t, const ApiCall& c, Descriptor& d, bool overlapped_call);
  void recv_call(ThreadId t, const ApiCall& c, Descriptor& d, bool overlapped_call);
  void accept_call(ThreadId t, const ApiCall& c, Descriptor& d);
  void connect_call(ThreadId t, const ApiCall& c, Descriptor& d);
  void enqueue(Socket& s, std::int64_t bytes, int line);
  void kick(Socket& s);                   // start transmitting if it can
  void transmit_next(SocketId s);
  void serve_senders(Socket& s);          // queue room freed: move pending sends on
  void serve_receivers(Socket& s);        // data, FIN or RST arrived: move pending recvs on
  void post_network_event(Socket& s, const char* name, std::int64_t bit);
  void maybe_discard(Socket& s, RuleId why);  // release the socket's state when it may (R7)

  // Network events (network_events.cc): WSAEventSelect, WSAEnumNetworkEvents, WSAResetEvent,
  // and each event's re-enabling call. post_network_event (above) records every selected event
  // whose condition holds and is not waiting for its re-enabling call.
  void event_select_call(ThreadId t, const ApiCall& c, Socket& s);
  void enum_network_events_call(ThreadId t, const ApiCall& c, Socket& s);
  void reset_event_call(ThreadId t, const ApiCall& c);
  void reenable_network_event(Socket& s, std::int64_t bit);
  // WSAAsyncSelect and PeekMessage (window_messages.cc); `notify_selection` signals the selected
  // event or posts the selecting thread a WM_SOCKET message, whichever the socket selected.
  void async_select_call(ThreadId t, const ApiCall& c, Socket& s);
  void peek_message_call(ThreadId t, const ApiCall& c);
  void notify_selection(Socket& s, std::int64_t event, int error);
  // CloseHandle (close_handle.cc): the kernel handle goes, Winsock's entry stays (C15, C54).
  void close_handle_call(ThreadId t, const ApiCall& c);
  // DuplicateHandle (close_handle.cc): a kernel copy Winsock does not know (C39, C40).
  void duplicate_handle_call(ThreadId t, const ApiCall& c);
  // Drops one of p's references to s (refs, handles_in); true if p has none left (C39).
  bool drop_reference(Socket& s, const std::string& p);
  // A process let go of a socket another process keeps: the kernel cancels this process's
  // port-bound operations on it, and nothing else (C39).
  void cancel_on_process_let_go(Socket& s, const std::string& p);

  // The peer's side of a close (peer_close.cc): shutdown, closesocket, a connection aborted
  // from outside, and data reaching a peer that has fully closed.
  bool peer_close_act(Socket& s, World::PeerDoes what, int line);
  void peer_rejects_data(SocketId s);

  // The connection's ends (peer.cc).
  void send_fin_if_due(Socket& s, RuleId why);
  void reset_connection(Socket& s, RuleId why, int line);  // discard unsent, RST
  bool peer_act(SocketId s, World::PeerDoes what, std::int64_t bytes, int line);

  // Completions (completion.cc).
  OpId new_op(ThreadId t, CallId f, const ApiCall& c, const Descriptor& d, bool blocking);
  void prune_ops(Socket& s);  // drops the completed ops from s.ops, keeping the order
  // Completes an overlapped op: OpCompleted, then its completion action (unless `silent`).
  // `again`: a repeated completion of an op already completed (a provider that completes
  // twice, R4); otherwise an op completes once.
  void complete_op(PendingOp& op, int status, RuleId rule, bool silent = false, bool again = false);
  void signal_event(ObjectId e, const std::string& op);
  void wait_call(ThreadId t, const ApiCall& c);     // WaitForSingleObject
  void port_wait_call(ThreadId t, const ApiCall& c);  // GetQueuedCompletionStatus
  void sleep_call(ThreadId t, const ApiCall& c);    // SleepEx
  void run_apcs(ThreadId t);                        // ApcRan for each queued APC
  void deliver_apcs(ThreadId t);                    // a parked alertable thread got an APC
  void post_packet(ObjectId port, const Packet& p);
  void record_dequeue(const Thread& th, const Packet& p, const Port& port);
  void arm_timeout(ThreadId t, Time timeout);
  // The end of a wait on c.object with nothing due yet: WAIT_TIMEOUT for a zero timeout, else
  // parked until it is signalled or c.timeout passes.
  void wait_on(ThreadId t, const ApiCall& c, ParkReason why, const std::string& waiting_for);

  // select, WSAPoll (readiness.cc). A parked one is looked at again whenever a socket's
  // receive or send side changes, and ended by a close of a socket it watches (C28, C32).
  void select_call(ThreadId t, const ApiCall& c);
  void poll_call(ThreadId t, const ApiCall& c);
  void serve_readiness_waits();
  ApiResult readiness_now(const std::string& process, const ReadinessWait& wait, Handle closed);
  void park_for_readiness(ThreadId t, ReadinessWait wait, Time timeout, const char* waiting_for);
  void end_readiness_waits_on_close(const std::string& process, Handle h, bool cleanup);
  // getsockopt, GetOverlappedResult, WSAGetOverlappedResult (overlapped_result.cc).
  void getsockopt_call(ThreadId t, const ApiCall& c, Descriptor& d);
  void overlapped_result_call(ThreadId t, const ApiCall& c);
  void serve_result_waits(const PendingOp& op);  // op just completed
  ApiResult overlapped_result(const PendingOp& op, bool winsock) const;

  // CancelIo, CancelIoEx (cancel.cc).
  void cancel_call(ThreadId t, const ApiCall& c);

  // AcceptEx and what accepted sockets take from their listener (accept_ex.cc).
  void accept_ex_call(ThreadId t, const ApiCall& c, Descriptor& d);
  // Moves an AcceptEx on as connections and data arrive; false if `op` is not an AcceptEx.
  bool serve_accept_ex(Socket& s, PendingOp& op);
  void inherit_listener_options(const Socket& listener, Socket& accepted);  // C9
  // Datagrams (datagram.cc): bind, sendto; a datagram that reached a closed port (ICMP).
  void bind_call(ThreadId t, const ApiCall& c, Descriptor& d);
  void sendto_call(ThreadId t, const ApiCall& c, Descriptor& d);
  void port_unreachable(SocketId s);
  void wake_datagram_receivers(Socket& s);  // shutdown of the receiving side (C36)
  // ExitThread (thread_exit.cc) and WSAIoctl (address_change.cc).
  void exit_thread_call(ThreadId t, const ApiCall& c);
  void ioctl_call(ThreadId t, const ApiCall& c, Descriptor& d);

  // Close, shutdown, cleanup (close.cc).
  void close_call(ThreadId t, const ApiCall& c);
  void finish_close(ThreadId t, RuleId rule);   // after a linger wait: release and return
  void linger_check(SocketId s);                // drained? wake the linger close (R9)
  void shutdown_call(ThreadId t, const ApiCall& c, Descriptor& d);
  void cleanup_call(ThreadId t, const ApiCall& c);
  // Aborts what a close of (process, handle) must abort (R2, R3); `cleanup` for R14.
  void abort_pending(const std::string& process, Handle h, SocketId s, bool cleanup, bool last);
  void release_descriptor(const std::string& process, Handle h, int layer, HandleKind kind,
                          RuleId rule, int line);
  // Hands back the application's descriptor `h` and, under a layered provider, the base
  // provider's `lower` first (0 = none): the one place the layers' release order is written.
  void release_layers(const std::string& process, Handle h, Handle lower, RuleId rule, int line);
  void disconnect_on_last_close(Socket& s, ThreadId closer, int line, bool& park_for_linger);
};

}  // namespace closesim
