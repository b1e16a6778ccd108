// A fluent builder of hand-written traces for the rule monitors' tests, so that a test reads like
// the sequence in docs/trace.md: records are appended at the builder's current time, in order.
// Low-level methods append one record each; the application steps (open_tcp, send, close...)
// append the records a correct model writes for that step.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "closesim/base/errors.h"
#include "closesim/rules/rules.h"
#include "closesim/base/trace.h"

namespace closesim::testing {

inline std::string process_of(const std::string& thread) {
  return thread.substr(0, thread.find('.'));
}

struct SocketOptions {
  bool overlapped = false;
  bool nonblocking = false;
};

// The shape of a close in docs/trace.md. `aborts` runs between ProviderCloseBegin and RefCount
// (wake-ups, aborted completions); `disconnect` between RefCount and HandleReleased (FIN, RST,
// SocketReleased, linger).
struct CloseShape {
  std::int64_t refs_left = 0;
  HandleKind kind = HandleKind::Wpu;
  std::function<void()> aborts = nullptr;
  std::function<void()> disconnect = nullptr;
};

class TraceBuilder {
 public:
  // The call table's id for a name the test writes ("closesocket").
  static CallId call_id(const std::string& name) {
    std::optional<CallId> id = find_call_id(name);
    REQUIRE_MESSAGE(id.has_value(), "no call named " << name);
    return *id;
  }
  // The option a call's arguments, written as a script would ("SO_LINGER, 1, 0"), select.
  static CallOption option_in(CallId call, const std::string& text) {
    for (const auto& form : call_spec(call).forms)
      for (const ParamSpec& p : form)
        for (const ParamWord& w : p.words)
          if (w.option != CallOption::Overlapped && w.option != CallOption::NonBlocking &&
              (text == w.word || text.rfind(std::string(w.word) + ",", 0) == 0))
            return w.option;
    return CallOption::None;
  }

  // --- time and names ---
  TraceBuilder& at(Time t) { now_ = t; return *this; }
  TraceBuilder& after(Time d) { now_ += d; return *this; }
  Time now() const { return now_; }
  TraceBuilder& name(const std::string& process, Handle h, SocketId s, const std::string& name) {
    trace_.names().handles[{process, h}] = name;
    trace_.names().sockets.try_emplace(s, name);
    return *this;
  }
  const Trace& trace() const { return trace_; }
  std::uint64_t next_seq() const { return trace_.size(); }
  std::uint64_t last_seq() const { return trace_.size() - 1; }

  // --- one record each ---
  TraceBuilder& call_begin(const std::string& thread, const std::string& call, Handle h, SocketId s,
                           std::int64_t value = 0, std::int64_t value2 = 0,
                           const std::string& text = "") {
    TraceRecord r = thread_record(RecordKind::CallBegin, thread, h, s);
    r.call = call_id(call);
    r.option = option_in(r.call, text);
    r.value = value;
    r.value2 = value2;
    r.text = text;
    return add(r);
  }
  TraceBuilder& call_end(const std::string& thread, const std::string& call, Handle h, SocketId s,
                         std::int64_t value, int error = 0) {
    TraceRecord r = thread_record(RecordKind::CallEnd, thread, h, s);
    r.call = call_id(call);
    r.value = value;
    r.error = error;
    return add(r);
  }
  TraceBuilder& blocked(const std::string& thread, Handle h, SocketId s,
                        const std::string& text = "data") {
    TraceRecord r = thread_record(RecordKind::ThreadBlocked, thread, h, s);
    r.text = text;
    return add(r);
  }
  TraceBuilder& woken(const std::string& thread, Handle h, SocketId s, RuleId rule, int error) {
    TraceRecord r = thread_record(RecordKind::ThreadWoken, thread, h, s);
    r.rule = rule;
    r.error = error;
    return add(r);
  }
  TraceBuilder& op_issued(const std::string& thread, const std::string& op,
                          const std::string& call, Handle h, SocketId s, CompletionVia via) {
    TraceRecord r = thread_record(RecordKind::OpIssued, thread, h, s);
    r.op = op;
    r.call = call_id(call);
    r.value = static_cast<std::int64_t>(via);
    return add(r);
  }
  TraceBuilder& op_completed(const std::string& thread, const std::string& op, Handle h,
                             SocketId s, int status, CompletionVia via, RuleId rule = RuleId::None,
                             std::int64_t bytes = 0) {
    TraceRecord r = thread_record(RecordKind::OpCompleted, thread, h, s);
    r.op = op;
    r.error = status;
    r.value = static_cast<std::int64_t>(via);
    r.rule = rule;
    r.bytes = bytes;
    return add(r);
  }
  TraceBuilder& event_signaled(const std::string& op, const std::string& event = "e") {
    TraceRecord r = plain(RecordKind::EventSignaled, "provider");
    r.op = op;
    r.text = event;
    return add(r);
  }
  TraceBuilder& apc_queued(const std::string& thread, const std::string& op) {
    TraceRecord r = thread_record(RecordKind::ApcQueued, thread, 0, 0);
    r.op = op;
    return add(r);
  }
  TraceBuilder& apc_ran(const std::string& thread, const std::string& op) {
    TraceRecord r = thread_record(RecordKind::ApcRan, thread, 0, 0);
    r.op = op;
    return add(r);
  }
  TraceBuilder& port_posted(const std::string& op, const std::string& port = "p") {
    TraceRecord r = plain(RecordKind::PortPacketPosted, "provider");
    r.op = op;
    r.text = port;
    return add(r);
  }
  TraceBuilder& port_dequeued(const std::string& thread, const std::string& op,
                              const std::string& port = "p") {
    TraceRecord r = thread_record(RecordKind::PortPacketDequeued, thread, 0, 0);
    r.op = op;
    r.text = port;
    return add(r);
  }
  TraceBuilder& handle_created(const std::string& process, Handle h, SocketId s,
                               HandleKind kind = HandleKind::Wpu, int layer = 0) {
    TraceRecord r = provider_record(RecordKind::HandleCreated, process, h, s, layer);
    r.value = static_cast<std::int64_t>(kind);
    return add(r);
  }
  TraceBuilder& handle_released(const std::string& process, Handle h, SocketId s,
                                HandleKind kind = HandleKind::Wpu, int layer = 0) {
    TraceRecord r = provider_record(RecordKind::HandleReleased, process, h, s, layer);
    r.value = static_cast<std::int64_t>(kind);
    r.rule = RuleId::R11;
    return add(r);
  }
  TraceBuilder& provider_close_begin(const std::string& process, Handle h, SocketId s,
                                     int layer = 0) {
    return add(provider_record(RecordKind::ProviderCloseBegin, process, h, s, layer));
  }
  TraceBuilder& provider_close_end(const std::string& process, Handle h, SocketId s, int error = 0,
                                   int layer = 0) {
    TraceRecord r = provider_record(RecordKind::ProviderCloseEnd, process, h, s, layer);
    r.error = error;
    return add(r);
  }
  TraceBuilder& refcount(const std::string& process, Handle h, SocketId s, std::int64_t count) {
    TraceRecord r = provider_record(RecordKind::RefCount, process, h, s, 0);
    r.value = count;
    r.rule = RuleId::R6;
    return add(r);
  }
  TraceBuilder& socket_released(SocketId s, RuleId rule) {
    TraceRecord r = plain(RecordKind::SocketReleased, "provider");
    r.socket = s;
    r.rule = rule;
    return add(r);
  }
  TraceBuilder& network_event(const std::string& process, Handle h, SocketId s,
                              const std::string& event = "FD_CLOSE") {
    TraceRecord r = provider_record(RecordKind::NetworkEvent, process, h, s, 0);
    r.text = event;
    return add(r);
  }
  TraceBuilder& linger_timer_started(const std::string& process, Handle h, SocketId s,
                                     Time deadline) {
    TraceRecord r = provider_record(RecordKind::LingerTimerStarted, process, h, s, 0);
    r.value = deadline;
    r.rule = RuleId::R9;
    return add(r);
  }
  TraceBuilder& linger_timer_expired(const std::string& process, Handle h, SocketId s) {
    TraceRecord r = provider_record(RecordKind::LingerTimerExpired, process, h, s, 0);
    r.rule = RuleId::R9;
    return add(r);
  }
  TraceBuilder& cleanup_begin(const std::string& process) {
    TraceRecord r = plain(RecordKind::CleanupBegin, "dll");
    r.process = process;
    r.rule = RuleId::R14;
    return add(r);
  }
  TraceBuilder& cleanup_end(const std::string& process) {
    TraceRecord r = plain(RecordKind::CleanupEnd, "dll");
    r.process = process;
    r.rule = RuleId::R14;
    return add(r);
  }

  // --- the wire; totals are kept per socket, as the model does ---
  TraceBuilder& connection_opened(SocketId s) { return add(wire(RecordKind::ConnectionOpened, s)); }
  TraceBuilder& data_queued(SocketId s, std::int64_t bytes) {
    return add(total(RecordKind::DataQueued, s, totals_[s].queued, bytes));
  }
  TraceBuilder& data_sent(SocketId s, std::int64_t bytes) {
    return add(total(RecordKind::DataSent, s, totals_[s].sent, bytes));
  }
  TraceBuilder& peer_received(SocketId s, std::int64_t bytes) {
    return add(total(RecordKind::PeerReceived, s, totals_[s].received, bytes));
  }
  TraceBuilder& data_acked(SocketId s, std::int64_t bytes) {
    return add(total(RecordKind::DataAcked, s, totals_[s].acked, bytes));
  }
  // DataSent, PeerReceived, DataAcked of `bytes` at the current instant.
  TraceBuilder& transmit(SocketId s, std::int64_t bytes) {
    return data_sent(s, bytes).peer_received(s, bytes).data_acked(s, bytes);
  }
  TraceBuilder& data_discarded(SocketId s, std::int64_t bytes, const std::string& what = "send") {
    TraceRecord r = wire(RecordKind::DataDiscarded, s);
    r.bytes = bytes;
    r.text = what;
    return add(r);
  }
  TraceBuilder& fin_sent(SocketId s, RuleId rule = RuleId::R7) {
    TraceRecord r = wire(RecordKind::FinSent, s);
    r.rule = rule;
    return add(r);
  }
  TraceBuilder& peer_saw_fin(SocketId s) { return add(wire(RecordKind::PeerSawFin, s)); }
  TraceBuilder& rst_sent(SocketId s, RuleId rule = RuleId::R8) {
    TraceRecord r = wire(RecordKind::RstSent, s);
    r.rule = rule;
    return add(r);
  }
  TraceBuilder& peer_saw_rst(SocketId s) { return add(wire(RecordKind::PeerSawRst, s)); }
  TraceBuilder& local_received(SocketId s, std::int64_t bytes) {
    TraceRecord r = wire(RecordKind::LocalReceived, s);
    r.bytes = bytes;
    return add(r);
  }
  TraceBuilder& local_saw_fin(SocketId s) { return add(wire(RecordKind::LocalSawFin, s)); }
  TraceBuilder& local_saw_rst(SocketId s) { return add(wire(RecordKind::LocalSawRst, s)); }

  // --- the application's steps, as a correct model records them ---
  // A call that returns at once: CallBegin, CallEnd.
  TraceBuilder& call(const std::string& thread, const std::string& call, Handle h, SocketId s,
                     std::int64_t result, int error = 0, std::int64_t value = 0,
                     std::int64_t value2 = 0, const std::string& text = "") {
    return call_begin(thread, call, h, s, value, value2, text).call_end(thread, call, h, s, result,
                                                                        error);
  }
  // s = socket(tcp|udp ...): the new descriptor and its first reference.
  TraceBuilder& open(const std::string& thread, Handle h, SocketId s, const std::string& protocol,
                     SocketOptions options = {}, HandleKind kind = HandleKind::Wpu) {
    call_begin(thread, "socket", 0, 0, options.overlapped ? 1 : 0, options.nonblocking ? 1 : 0,
               protocol);
    handle_created(process_of(thread), h, s, kind);
    refcount(process_of(thread), h, s, 1);
    return call_end(thread, "socket", h, s, h);
  }
  // s = socket(tcp); connect(s).
  TraceBuilder& open_tcp(const std::string& thread, Handle h, SocketId s,
                         SocketOptions options = {}, HandleKind kind = HandleKind::Wpu) {
    open(thread, h, s, "tcp", options, kind);
    call_begin(thread, "connect", h, s);
    connection_opened(s);
    return call_end(thread, "connect", h, s, 0);
  }
  // A layered provider's socket: the base provider's handle `lower` (layer 0, `lower_kind`), then
  // the layered provider's own `h` (layer 1, Wpu) that the application gets; connected.
  TraceBuilder& open_layered_tcp(const std::string& thread, Handle h, Handle lower, SocketId s,
                                 HandleKind lower_kind = HandleKind::File) {
    call_begin(thread, "socket", 0, 0, 0, 0, "tcp");
    handle_created(process_of(thread), lower, s, lower_kind, 0);
    handle_created(process_of(thread), h, s, HandleKind::Wpu, 1);
    refcount(process_of(thread), h, s, 1);
    call_end(thread, "socket", h, s, h);
    call_begin(thread, "connect", h, s);
    connection_opened(s);
    return call_end(thread, "connect", h, s, 0);
  }
  // d = WSASocket(info) in the thread's process: a new descriptor for the same socket.
  TraceBuilder& duplicate(const std::string& thread, Handle h, SocketId s, std::int64_t refs) {
    call_begin(thread, "WSASocket", 0, 0, 0, 0, "info");
    handle_created(process_of(thread), h, s);
    refcount(process_of(thread), h, s, refs);
    return call_end(thread, "WSASocket", h, s, h);
  }
  TraceBuilder& set_linger(const std::string& thread, Handle h, SocketId s, int onoff, int seconds,
                           int error = 0) {
    return call(thread, "setsockopt", h, s, error ? -1 : 0, error, onoff, seconds,
                fmt_linger(onoff, seconds));
  }
  TraceBuilder& set_dontlinger(const std::string& thread, Handle h, SocketId s, int value) {
    return call(thread, "setsockopt", h, s, 0, 0, value, 0,
                "SO_DONTLINGER, " + std::to_string(value));
  }
  TraceBuilder& set_nonblocking(const std::string& thread, Handle h, SocketId s, bool on) {
    return call(thread, "ioctlsocket", h, s, 0, 0, on ? 1 : 0, 0,
                std::string("FIONBIO, ") + (on ? "1" : "0"));
  }
  TraceBuilder& event_select(const std::string& thread, Handle h, SocketId s, std::int64_t mask = 0x20) {
    return call(thread, "WSAEventSelect", h, s, 0, 0, mask, 0, "e, FD_CLOSE");
  }
  // send(s, n) accepted at once into the send queue.
  TraceBuilder& send(const std::string& thread, Handle h, SocketId s, std::int64_t bytes) {
    call_begin(thread, "send", h, s, bytes);
    data_queued(s, bytes);
    return call_end(thread, "send", h, s, bytes);
  }
  TraceBuilder& shutdown(const std::string& thread, Handle h, SocketId s, int how) {
    return call(thread, "shutdown", h, s, 0, 0, how);
  }
  // closesocket(h) in the shape of docs/trace.md, returning 0 at the current instant.
  TraceBuilder& close(const std::string& thread, Handle h, SocketId s, CloseShape shape = {}) {
    const std::string p = process_of(thread);
    call_begin(thread, "closesocket", h, s);
    provider_close_begin(p, h, s);
    if (shape.aborts) shape.aborts();
    refcount(p, h, s, shape.refs_left);
    if (shape.disconnect) shape.disconnect();
    handle_released(p, h, s, shape.kind);
    provider_close_end(p, h, s);
    return call_end(thread, "closesocket", h, s, 0);
  }
  // closesocket on a value that is not a live descriptor: the DLL answers WSAENOTSOCK.
  TraceBuilder& close_dead(const std::string& thread, Handle h) {
    return call(thread, "closesocket", h, 0, -1, WSAENOTSOCK);
  }

 private:
  struct Totals {
    std::int64_t queued = 0, sent = 0, received = 0, acked = 0;
  };

  static std::string fmt_linger(int onoff, int seconds) {
    return "SO_LINGER, " + std::to_string(onoff) + ", " + std::to_string(seconds);
  }
  TraceRecord plain(RecordKind kind, const std::string& actor) const {
    TraceRecord r;
    r.time = now_;
    r.kind = kind;
    r.actor = actor;
    return r;
  }
  TraceRecord thread_record(RecordKind kind, const std::string& thread, Handle h, SocketId s) const {
    TraceRecord r = plain(kind, thread);
    r.process = process_of(thread);
    r.handle = h;
    r.socket = s;
    return r;
  }
  TraceRecord provider_record(RecordKind kind, const std::string& process, Handle h, SocketId s,
                              int layer) const {
    TraceRecord r = plain(kind, "provider");
    r.process = process;
    r.handle = h;
    r.socket = s;
    r.layer = layer;
    return r;
  }
  TraceRecord wire(RecordKind kind, SocketId s) const {
    TraceRecord r = plain(kind, "link");
    r.socket = s;
    return r;
  }
  TraceRecord total(RecordKind kind, SocketId s, std::int64_t& running, std::int64_t bytes) const {
    TraceRecord r = wire(kind, s);
    running += bytes;
    r.bytes = bytes;
    r.value = running;
    return r;
  }
  TraceBuilder& add(const TraceRecord& r) {
    trace_.append(r);
    return *this;
  }

  Trace trace_;
  Time now_ = 0;
  std::map<SocketId, Totals> totals_;
};

// The set-up the overlapped-rule tests start from: process A's socket s (handle 0x10, socket 1),
// overlapped, with one `call` (operation o1, 100 bytes asked) pending since 1 ms, reported `via`.
inline TraceBuilder pending_overlapped(CompletionVia via, const std::string& call = "WSARecv") {
  constexpr Handle s = 0x10;
  TraceBuilder b;
  b.name("A", s, 1, "s").open_tcp("A.main", s, 1, {.overlapped = true});
  b.at(1 * kMillisecond).call_begin("A.main", call, s, 1, 100)
      .op_issued("A.main", "o1", call, s, 1, via)
      .call_end("A.main", call, s, 1, -1, WSA_IO_PENDING);
  return b;
}

// What the checker said about one rule.
struct RuleFindings {
  std::vector<Violation> violations;  // of this rule only, divergences included
  RuleCoverage coverage;
  RuleReport report;  // everything, for messages
  std::vector<Violation> failures() const {
    std::vector<Violation> out;
    for (const Violation& v : violations)
      if (!v.divergence) out.push_back(v);
    return out;
  }
  std::vector<Violation> divergences() const {
    std::vector<Violation> out;
    for (const Violation& v : violations)
      if (v.divergence) out.push_back(v);
    return out;
  }
};

inline std::string describe(const RuleReport& report) {
  std::string out;
  for (const Violation& v : report.violations)
    out += format_violation(v) + " [seq " + std::to_string(v.seq) + "]\n";
  return out.empty() ? "(no violations)" : out;
}

inline RuleFindings check(const TraceBuilder& b, RuleId rule,
                          ProfileKind profile = ProfileKind::Documented) {
  RuleFindings f;
  f.report = check_rules(b.trace(), CheckerOptions{profile});
  for (const Violation& v : f.report.violations)
    if (v.rule == rule) f.violations.push_back(v);
  f.coverage = f.report.coverage.at(static_cast<int>(rule) - 1);
  return f;
}

// The rule held and its premise occurred.
#define CHECK_HOLDS(findings)                              \
  do {                                                     \
    const auto& f_ = (findings);                           \
    INFO(describe(f_.report));                             \
    CHECK(f_.violations.empty());                          \
    CHECK(f_.coverage.exercised);                          \
  } while (0)

// The rule was broken once, by the record `seq`.
#define CHECK_VIOLATED_AT(findings, at_seq)                \
  do {                                                     \
    const auto& f_ = (findings);                           \
    INFO(describe(f_.report));                             \
    REQUIRE(f_.failures().size() == 1);                    \
    CHECK(f_.failures()[0].seq == (at_seq));               \
    CHECK(f_.coverage.exercised);                          \
  } while (0)

// The rule was broken by the record `seq` (among, perhaps, other violations).
#define CHECK_VIOLATION_AT(findings, at_seq)                                        \
  do {                                                                              \
    const auto& f_ = (findings);                                                    \
    INFO(describe(f_.report));                                                      \
    bool found_ = false;                                                            \
    for (const auto& v_ : f_.failures()) found_ = found_ || v_.seq == (at_seq);     \
    CHECK(found_);                                                                  \
  } while (0)

// A windows-profile divergence was reported at `seq`, and nothing of this rule failed.
#define CHECK_DIVERGES_AT(findings, at_seq)                \
  do {                                                     \
    const auto& f_ = (findings);                           \
    INFO(describe(f_.report));                             \
    CHECK(f_.failures().empty());                          \
    REQUIRE(f_.divergences().size() == 1);                 \
    CHECK(f_.divergences()[0].seq == (at_seq));            \
  } while (0)

}  // namespace closesim::testing
