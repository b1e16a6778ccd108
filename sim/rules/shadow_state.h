// What the rule checker reconstructs from the trace alone: which descriptors are live and which
// socket each names, each socket's options as the application set them, its reference count and
// wire totals, the calls in progress, the overlapped operations and the closes under way.
// The checker keeps one, shared by every monitor: each monitor looks at the state before a
// record, the record is applied once, and each looks at the state after it.
//
// It never sees the model. What it knows it learns from records, so a wrong model cannot make it
// agree with itself: options are applied from the application's CallBegin/CallEnd pairs, not
// from any record the provider writes about them.
//
// Cost: every record and every query is O(log n) in the live descriptors, calls, operations and
// closes (times the few descriptors one socket has): the indices below stand in for scans.
//
// Invariants: a descriptor is live from its HandleCreated to its HandleReleased; `references(S)`
// counts live application-level descriptors of S whose reference has not been dropped, so it is
// never negative.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "closesim/base/trace.h"

namespace closesim::rules {

using DescKey = std::pair<std::string, Handle>;  // (process, handle value)

enum class LingerMode { Off, Hard, Timeout };  // SO_DONTLINGER, {1,0}, {1,t>0}
// "linger off", "linger {1,0}", "linger {1,t}" — the coverage branch names.
std::string linger_branch(LingerMode mode);

struct SocketShadow {
  SocketId id = 0;

  // --- options, as the application set them (applied on a successful CallEnd) ---
  bool options_set = false;  // set by socket/WSASocket/accept; WSASocket(info) keeps them
  bool udp = false;          // unknown protocol counts as TCP
  bool overlapped = false;
  bool nonblocking = false;
  bool linger_on = false;
  std::int64_t linger_seconds = 0;
  bool event_select = false;  // WSAEventSelect/WSAAsyncSelect with a non-empty mask
  bool shutdown_send = false;
  bool shutdown_receive = false;

  // --- the wire, from its records ---
  bool connected = false;
  std::int64_t queued = 0;  // DataQueued running total
  std::int64_t sent = 0;
  std::int64_t peer_received = 0;
  std::int64_t acked = 0;
  std::int64_t local_received = 0;  // LocalReceived bytes
  std::int64_t consumed = 0;        // ... taken by recv / WSARecv, or discarded
  bool fin_sent = false;
  bool peer_saw_fin = false;
  bool rst_sent = false;
  bool peer_saw_rst = false;
  bool local_saw_fin = false;
  bool local_saw_rst = false;
  bool released = false;  // SocketReleased seen
  int most_references = 0;

  LingerMode linger() const;
  bool reset() const { return rst_sent || local_saw_rst; }
  bool unread() const { return local_received > consumed; }
  bool shared() const { return most_references > 1; }
};

struct DescriptorShadow {
  DescKey key;
  SocketId socket = 0;
  int layer = 0;
  HandleKind kind = HandleKind::Wpu;
  std::uint64_t id = 0;  // seq of its HandleCreated: names this incarnation of the value
  bool dropped = false;  // its reference was dropped (a RefCount during its close or cleanup)
  bool below = false;    // a layer-0 handle under a layer-1 one: not the application's
  // CloseHandle closed it (an IFS base handle): its reference is dropped, but the value stays
  // the DLL's and names no socket (C54); R1 holds later calls on it to WSAENOTSOCK.
  bool handle_closed = false;
  std::optional<Handle> lower;  // layer 1: the layer-0 handle paired with it

  bool app() const { return !below; }
  std::string provider() const;  // "lsp" for layer 1, else "ifs" / "nonifs"
};

struct CallShadow {
  TraceRecord begin;
  std::uint64_t descriptor = 0;  // id of the live descriptor it named at CallBegin, 0 if none
  bool blocked = false;
  bool woken = false;
};

struct OpShadow {
  TraceRecord issued;
  std::uint64_t descriptor = 0;  // id of the descriptor it was issued through, 0 if none
  bool completed = false;
  int completions = 0;
  TraceRecord completion;  // the first OpCompleted
  // Its descriptor was released while it was pending, and whether the socket still had other
  // references then (the windows profile's "cancelled only at the last close").
  bool outlived_descriptor = false;
  bool outlived_with_references = false;
  // AcceptEx: the accept socket's descriptor (0 if none), on which the operation is pending too:
  // closing it must abort the operation as closing the listener does (R3).
  std::uint64_t acceptor = 0;
  SocketId acceptor_socket = 0;
};

// A closesocket on a live descriptor, from its CallBegin to its CallEnd, with what held when it
// began.
struct CloseShadow {
  TraceRecord begin;
  DescKey key;
  std::uint64_t descriptor = 0;
  SocketId socket = 0;
  HandleKind kind = HandleKind::Wpu;
  bool last = false;  // no other reference to the socket remained
  LingerMode linger = LingerMode::Off;
  std::int64_t linger_seconds = 0;
  bool nonblocking = false;
  bool udp = false;
  bool connected = false;
  bool shutdown_send = false;
  bool reset = false;  // the connection was already reset (by either side)
  bool receive_pending = false;  // a WSARecv pending or a recv blocked on the socket
  bool unread = false;           // received bytes not yet read
  std::set<std::string> branches;  // linger, blocking, provider, single/shared
};

struct ReleasedDescriptor {
  DescriptorShadow descriptor;
  std::uint64_t seq = 0;  // the HandleReleased
  Time time = 0;
  int references_left = 0;
};

class ShadowState {
 public:
  ShadowState() = default;
  ShadowState(const ShadowState&) = delete;
  ShadowState& operator=(const ShadowState&) = delete;

  void apply(const TraceRecord& r);

  // --- descriptors ---
  const DescriptorShadow* live(const std::string& process, Handle h) const;
  const DescriptorShadow* live(const DescKey& key) const { return live(key.first, key.second); }
  // ... only if the application can name it: not a layered provider's lower handle.
  const DescriptorShadow* app_live(const std::string& process, Handle h) const;
  // The application-level descriptor for (process, h): itself, or the layer-1 one above it.
  const DescriptorShadow* app_of(const std::string& process, Handle h) const;
  const std::map<DescKey, DescriptorShadow>& descriptors() const { return live_; }
  // The live descriptors of socket s (any process, any layer), in the order of descriptors().
  std::vector<const DescriptorShadow*> descriptors_of(SocketId s) const;
  // nullptr unless released.
  const ReleasedDescriptor* released(std::uint64_t id) const;

  // --- sockets ---
  const SocketShadow& socket(SocketId s) const;  // a default one for an unknown id
  const std::map<SocketId, SocketShadow>& sockets() const { return sockets_; }
  // Live application-level descriptors of s whose reference has not been dropped.
  int references(SocketId s) const;
  // ... excluding the descriptor `except`.
  int other_references(SocketId s, std::uint64_t except) const;
  // ... excluding also the descriptors being closed or cleaned up right now: the references that
  // must keep the connection up (R6).
  int remaining_references(SocketId s) const;
  // An application descriptor of s that is one of remaining_references(s), nullptr if none.
  const DescriptorShadow* remaining_holder(SocketId s) const;

  // --- calls and closes in progress, by thread ---
  const CallShadow* call(const std::string& thread) const;
  const std::map<std::string, CallShadow>& calls() const { return calls_; }
  const CloseShadow* close_by_thread(const std::string& thread) const;
  const CloseShadow* close_of(std::uint64_t descriptor) const;
  const std::map<std::string, CloseShadow>& closes() const { return closes_; }
  // A CloseHandle of an IFS socket's handle in progress (C15): not a close to the monitors that
  // judge closesocket, but R3 and R4 count what it aborts.
  const CloseShadow* handle_close_by_thread(const std::string& thread) const;
  bool closing(std::uint64_t descriptor) const;  // in a close or its process's cleanup

  // --- overlapped operations ---
  const std::vector<OpShadow>& ops() const { return ops_; }
  // The incarnation of `name` an OpCompleted refers to: the oldest pending one, else the latest.
  const OpShadow* op_for_completion(const std::string& name) const;
  // The incarnation a completion action refers to: the latest completed one, else the latest.
  const OpShadow* op_for_action(const std::string& name) const;
  std::vector<const OpShadow*> pending_ops(std::uint64_t descriptor) const;

  // --- processes ---
  bool cleaning(const std::string& process) const;
  bool initialised(const std::string& process) const;  // false after CleanupEnd until WSAStartup

 private:
  SocketShadow& socket_mut(SocketId s);
  std::optional<std::size_t> completion_index(const std::string& name) const;
  void apply_call_end(const TraceRecord& r);
  CloseShadow make_close(const TraceRecord& begin, const DescriptorShadow& d) const;

  // Updates that keep the indices in step.
  void add_descriptor(const DescriptorShadow& d);
  void erase_descriptor(std::map<DescKey, DescriptorShadow>::iterator it);
  void set_call(const std::string& thread, CallShadow call);
  void erase_call(const std::string& thread);
  void set_close(const std::string& thread, CloseShadow close);
  void erase_close(const std::string& thread);
  void count_waiting_receive(const CallShadow& call, int delta);
  const DescriptorShadow* by_id(std::uint64_t id) const;

  std::map<DescKey, DescriptorShadow> live_;
  std::map<std::uint64_t, ReleasedDescriptor> released_;
  std::map<SocketId, SocketShadow> sockets_;
  std::map<std::string, CallShadow> calls_;
  std::map<std::string, CloseShadow> closes_;
  std::map<std::string, CloseShadow> handle_closes_;  // thread -> its CloseHandle (C15)
  std::vector<OpShadow> ops_;
  std::map<std::string, std::vector<std::size_t>> ops_by_name_;
  std::set<std::string> cleaning_;
  std::set<std::string> uninitialised_;

  // --- indices over the above ---
  std::map<std::uint64_t, DescKey> key_of_;                     // live descriptor id -> key
  std::set<std::pair<SocketId, std::uint64_t>> by_socket_;      // (socket, live descriptor id)
  std::set<std::pair<DescKey, DescKey>> uppers_;                // (lower key, live layer-1 key)
  std::map<std::uint64_t, std::string> close_thread_;           // descriptor id -> closing thread
  std::set<std::pair<std::uint64_t, std::size_t>> pending_;     // (descriptor id, op index)
  std::map<SocketId, int> receives_waiting_;  // pending receive ops + blocked receive calls
};

// Names for messages. "recv(s)", "closesocket(s)", "WSARecv o1 on s".
std::string call_text(const Trace& trace, const TraceRecord& begin);
// "WPUCloseSocketHandle(s)" for Wpu, "CloseHandle(s)" for File.
// Names the handle as it was while it named `socket` (values are reused).
std::string release_text(const Trace& trace, const std::string& process, Handle h, SocketId socket,
                         HandleKind kind);
// "WSAENOTSOCK", or "N" when the call succeeded.
std::string result_text(const TraceRecord& end);

}  // namespace closesim::rules
