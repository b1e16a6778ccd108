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
// Calls, operations and closes point at their records in the trace instead of copying them: the
// trace's records never move (TraceRecords), and the shadow lives no longer than its trace.
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
#include <string_view>
#include <utility>
#include <vector>

#include "closesim/base/trace.h"

namespace closesim::rules {

using DescKey = std::pair<std::string, Handle>;  // (process, handle value)
// Orders DescKeys as pair's < does, and finds one from a (process view, handle) without a copy.
struct DescKeyLess {
  using is_transparent = void;
  using View = std::pair<std::string_view, Handle>;
  static View view(const DescKey& k) { return {k.first, k.second}; }
  static View view(const View& k) { return k; }
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return view(a) < view(b);
  }
};

enum class LingerMode : std::uint8_t { Off, Hard, Timeout };  // SO_DONTLINGER, {1,0}, {1,t>0}
// "linger off", "linger {1,0}", "linger {1,t}" — the coverage branch names.
std::string_view linger_branch(LingerMode mode);

enum class ProviderKind : std::uint8_t { NonIfs, Ifs, Lsp };
std::string_view provider_name(ProviderKind p);  // "nonifs", "ifs", "lsp"

// The coverage branches of a close: linger, blocking mode, provider, single or shared. Four
// small fields rather than a set of strings, since a close is copied into several monitors;
// names() spells them as the coverage report does.
struct CloseBranches {
  LingerMode linger = LingerMode::Off;
  bool nonblocking = false;
  ProviderKind provider = ProviderKind::NonIfs;
  bool shared = false;

  std::set<std::string> names() const;
  // A number below kCount for each combination, for a monitor's set of those already counted.
  int code() const;
  static constexpr int kCount = 3 * 2 * 3 * 2;
};

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
  ProviderKind provider_kind() const;
  std::string_view provider() const { return provider_name(provider_kind()); }  // "lsp", "ifs", "nonifs"
};

struct CallShadow {
  const TraceRecord* begin = nullptr;  // never null in the shadow
  std::uint64_t descriptor = 0;  // id of the live descriptor it named at CallBegin, 0 if none
  bool blocked = false;
  bool woken = false;
};

struct OpShadow {
  const TraceRecord* issued = nullptr;  // never null in the shadow
  std::uint64_t descriptor = 0;  // id of the descriptor it was issued through, 0 if none
  bool completed = false;
  int completions = 0;
  const TraceRecord* completion = nullptr;  // the first OpCompleted
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
  const TraceRecord* begin = nullptr;  // never null in the shadow
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
  CloseBranches branches;
};


class ShadowState {
 public:
  ShadowState() = default;
  ShadowState(const ShadowState&) = delete;
  ShadowState& operator=(const ShadowState&) = delete;

  void apply(const TraceRecord& r);

  // --- descriptors ---
  const DescriptorShadow* live(std::string_view process, Handle h) const;
  const DescriptorShadow* live(const DescKey& key) const { return live(key.first, key.second); }
  // ... only if the application can name it: not a layered provider's lower handle.
  const DescriptorShadow* app_live(std::string_view process, Handle h) const;
  // The application-level descriptor for (process, h): itself, or the layer-1 one above it.
  const DescriptorShadow* app_of(std::string_view process, Handle h) const;
  const std::map<DescKey, DescriptorShadow, DescKeyLess>& descriptors() const { return live_; }
  // The live descriptors of socket s (any process, any layer), in the order of descriptors().
  std::vector<const DescriptorShadow*> descriptors_of(SocketId s) const;
  // Whether the descriptor with this id was released; ... while the application could name it
  // (not a layered provider's lower handle).
  bool released(std::uint64_t id) const { return id < released_.size() && released_[id]; }
  bool released_app(std::uint64_t id) const {
    return id < released_app_.size() && released_app_[id];
  }

  // --- sockets ---
  const SocketShadow& socket(SocketId s) const;  // a default one for an unknown id
  // f(id, socket) for every socket the trace has shown, in id order.
  template <class F>
  void for_each_socket(F f) const {
    for (const SocketShadow& s : dense_sockets_)
      if (s.id != 0) f(s.id, s);
    for (const auto& [id, s] : sparse_sockets_) f(id, s);
  }
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
  const CallShadow* call(std::string_view thread) const;
  const std::map<std::string, CallShadow, std::less<>>& calls() const { return calls_; }
  const CloseShadow* close_by_thread(std::string_view thread) const;
  const CloseShadow* close_of(std::uint64_t descriptor) const;
  // A CloseHandle of an IFS socket's handle in progress (C15): not a close to the monitors that
  // judge closesocket, but R3 and R4 count what it aborts.
  const CloseShadow* handle_close_by_thread(std::string_view thread) const;
  bool closing(std::uint64_t descriptor) const;  // in a close or its process's cleanup

  // --- overlapped operations ---
  const std::vector<OpShadow>& ops() const { return ops_; }
  // The incarnation of `name` an OpCompleted refers to: the oldest pending one, else the latest.
  const OpShadow* op_for_completion(std::string_view name) const;
  // The incarnation a completion action refers to: the latest completed one, else the latest.
  const OpShadow* op_for_action(std::string_view name) const;
  std::vector<const OpShadow*> pending_ops(std::uint64_t descriptor) const;

  // --- processes ---
  bool cleaning(std::string_view process) const;
  bool initialised(std::string_view process) const;  // false after CleanupEnd until WSAStartup

 private:
  SocketShadow& socket_mut(SocketId s);
  std::optional<std::size_t> completion_index(std::string_view name) const;
  void apply_call_end(const TraceRecord& r);
  CloseShadow make_close(const TraceRecord& begin, const DescriptorShadow& d) const;

  // Updates that keep the indices in step.
  void add_descriptor(const DescriptorShadow& d);
  void erase_descriptor(std::map<DescKey, DescriptorShadow, DescKeyLess>::iterator it);
  void set_call(std::string_view thread, CallShadow call);
  void erase_call(std::string_view thread);
  void set_close(std::string_view thread, CloseShadow close);
  void erase_close(std::string_view thread);
  void count_waiting_receive(const CallShadow& call, int delta);
  const DescriptorShadow* by_id(std::uint64_t id) const;

  std::map<DescKey, DescriptorShadow, DescKeyLess> live_;
  // By descriptor id (the seq of its HandleCreated): a bit each for the whole run.
  std::vector<bool> released_, released_app_;
  // Sockets by id: the model numbers them from 1, so most sit in a flat table (an unknown slot
  // has id 0); a trace from elsewhere may use any number, kept in the map.
  static constexpr SocketId kDenseSockets = SocketId{1} << 20;
  std::vector<SocketShadow> dense_sockets_;
  std::map<SocketId, SocketShadow> sparse_sockets_;
  std::map<std::string, CallShadow, std::less<>> calls_;
  std::map<std::string, CloseShadow, std::less<>> closes_;
  std::map<std::string, CloseShadow, std::less<>> handle_closes_;  // thread -> its CloseHandle (C15)
  std::vector<OpShadow> ops_;
  std::map<std::string, std::vector<std::size_t>, std::less<>> ops_by_name_;
  std::set<std::string, std::less<>> cleaning_;
  std::set<std::string, std::less<>> uninitialised_;

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
